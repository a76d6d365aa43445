/**
 * Builds the npm package into `npm/`: ESM + `.d.ts` emitted by tsc from the
 * same sources Deno and Bun run directly, with the tests, benchmarks and
 * examples alongside so Node 20 (which cannot run `.ts`) runs them too.
 *
 * Run: `deno task build:npm` (then `node --test npm/tests/`).
 *
 * @module
 */

const root = new URL("../", import.meta.url);
const out = new URL("npm/", root);
const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
  name: string;
  version: string;
  license: string;
  exports: Record<string, string>;
};
// Every entry of deno.json's exports is an entry of the npm package too:
// "./core": "./core.ts" becomes "./core": { types: "./core.d.ts", default: "./core.js" }.
const entryFiles = Object.values(deno.exports).map((file) => file.replace(/^\.\//, ""));
const npmExports = Object.fromEntries(
  Object.entries(deno.exports).map(([subpath, file]) => {
    const base = file.replace(/\.ts$/, "");
    return [subpath, { types: `${base}.d.ts`, default: `${base}.js` }];
  }),
);

await Deno.remove(out, { recursive: true }).catch((error) => {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
});
await Deno.mkdir(out, { recursive: true });

const tsconfig = {
  compilerOptions: {
    target: "es2022",
    lib: ["es2022", "dom"],
    module: "nodenext",
    moduleResolution: "nodenext",
    rewriteRelativeImportExtensions: true,
    declaration: true,
    sourceMap: true,
    strict: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: "..",
    outDir: ".",
  },
  include: [
    ...entryFiles.map((file) => `../${file}`),
    "../src/**/*.ts",
    "../wasm/**/*.ts",
    "../tests/**/*.ts",
    "../bench/**/*.ts",
    "../examples/**/*.ts",
    "../e2e/**/*.ts",
  ],
};
await Deno.writeTextFile(new URL("tsconfig.json", out), JSON.stringify(tsconfig, null, 2));

const packageJson = {
  name: deno.name,
  version: deno.version,
  description: "OTP-style actors for TypeScript on a WebAssembly core.",
  license: deno.license,
  type: "module",
  engines: { node: ">=20" },
  sideEffects: false,
  exports: npmExports,
  files: [
    ...entryFiles.flatMap((file) => [file.replace(/\.ts$/, ".js"), file.replace(/\.ts$/, ".d.ts")]),
    "src/",
    "wasm/",
  ],
  // Only three entries have dependencies: "./testing" needs fast-check,
  // "./otel" @opentelemetry/api and "./hono" hono, each only when used.
  peerDependencies: { "fast-check": "^4", "@opentelemetry/api": "^1.9", "hono": "^4" },
  peerDependenciesMeta: {
    "fast-check": { optional: true },
    "@opentelemetry/api": { optional: true },
    "hono": { optional: true },
  },
};
await Deno.writeTextFile(new URL("package.json", out), JSON.stringify(packageJson, null, 2) + "\n");

const tsc = new URL("node_modules/.bin/tsc", root).pathname;
const { code } = await new Deno.Command(tsc, {
  args: ["-p", new URL("tsconfig.json", out).pathname],
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (code !== 0) {
  console.error(`build_npm: tsc failed with exit code ${code}`);
  Deno.exit(code);
}
console.log(`build_npm: wrote ${out.pathname}`);
