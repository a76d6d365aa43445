// For the npm build only: scripts/build_npm.ts compiles examples/**/*.ts with tsc, which knows
// Node's globals but not Deno's. Deno never loads this file: run main.ts with `deno run --check`
// to type-check it against Deno's own types, as tests/examples/runtime_examples_test.ts does.

// deno-lint-ignore no-explicit-any
declare const Deno: any;
