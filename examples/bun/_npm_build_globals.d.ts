// For the npm build only: scripts/build_npm.ts compiles examples/**/*.ts with tsc, which knows
// Node's globals but not Bun's. Bun never loads this file; a Bun project has @types/bun.

// deno-lint-ignore no-explicit-any
declare const Bun: any;
