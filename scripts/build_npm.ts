/**
 * Builds the npm package into `npm/`: ESM + `.d.ts` emitted by tsc from the
 * same sources Deno and Bun run directly, with the tests, benchmarks and
 * examples alongside so Node 20 (which cannot run `.ts`) runs them too.
 *
 * What is published is only what `files` in the written package.json lists:
 * the entries (`.js` + `.d.ts`), `src/`, `wasm/` (with any `.wasm` binary
 * found in the repository's `wasm/`), a README made from the repository's and
 * the LICENSE. No source maps are emitted: tsc's output keeps the source's
 * names, lines and comments (only types are erased), so a stack trace reads
 * as it is, and maps that resolve would mean shipping every `.ts` file too.
 * `npm run check:package` packs the result and runs publint and
 * arethetypeswrong over it; `e2e/package_test.ts` installs the tarball into a
 * fresh project and runs it on Node and Bun.
 *
 * Run: `npm run build:npm` (then `node --test npm/tests/`).
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
  imports: Record<string, string>;
};
const rootPackage = JSON.parse(await Deno.readTextFile(new URL("package.json", root))) as {
  description: string;
  engines: Record<string, string>;
};
// Every entry of deno.json's exports is an entry of the npm package too:
// "./core": "./core.ts" becomes "./core": { types: "./core.d.ts", default: "./core.js" }.
const entryFiles = Object.values(deno.exports).map((file) => file.replace(/^\.\//, ""));
const npmExports = {
  ...Object.fromEntries(
    Object.entries(deno.exports).map(([subpath, file]) => {
      const base = file.replace(/\.ts$/, "");
      return [subpath, { types: `${base}.d.ts`, default: `${base}.js` }];
    }),
  ),
  // The precompiled WebAssembly modules, for hosts that import `.wasm` as a
  // compiled module (Cloudflare Workers: `new System({ wasmModule })`).
  "./wasm/*.wasm": "./wasm/*.wasm",
  "./package.json": "./package.json",
};

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
    sourceMap: false,
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
  // The Deno and Bun examples use their runtime's own globals and run from
  // source on it (tests/examples/runtime_examples_test.ts); Node never runs them.
  exclude: ["../examples/deno/**", "../examples/bun/**"],
};
await Deno.writeTextFile(new URL("tsconfig.json", out), JSON.stringify(tsconfig, null, 2));

const packageJson = {
  name: deno.name,
  version: deno.version,
  description: rootPackage.description,
  license: deno.license,
  type: "module",
  engines: rootPackage.engines,
  sideEffects: false,
  exports: npmExports,
  // The tests, benchmarks, examples and e2e output stay in npm/ for Node's
  // own test run; only these are packed.
  files: [
    ...entryFiles.flatMap((file) => [file.replace(/\.ts$/, ".js"), file.replace(/\.ts$/, ".d.ts")]),
    "src/",
    "wasm/",
    "README.md",
    "LICENSE",
  ],
  // "./tables" keeps its ordered_set in @js-sdsl/ordered-map's red-black
  // tree, a small dependency (none of its own, 28 kB of ESM).
  dependencies: {
    "@js-sdsl/ordered-map": rangeOf("@js-sdsl/ordered-map"),
    // The codec of messages between schedulers (src/schedulers/_codec.ts).
    msgpackr: rangeOf("msgpackr"),
  },
  // Only five entries have peer dependencies: "./testing" needs fast-check,
  // "./otel" @opentelemetry/api, "./hono" hono, "./jetstream" the NATS
  // JetStream client (and its core's types), and a clustered System
  // ("./cluster") the NATS client for Node, Deno and Bun, JetStream and its
  // KV — each only when used; the ranges are deno.json's, so JSR and npm
  // users get the same ones.
  peerDependencies: Object.fromEntries(
    [
      "fast-check",
      "@opentelemetry/api",
      "hono",
      "@nats-io/jetstream",
      "@nats-io/nats-core",
      "@nats-io/transport-node",
      "@nats-io/kv",
    ].map((name) => [name, rangeOf(name)]),
  ),
  peerDependenciesMeta: {
    "fast-check": { optional: true },
    "@opentelemetry/api": { optional: true },
    "hono": { optional: true },
    "@nats-io/jetstream": { optional: true },
    "@nats-io/nats-core": { optional: true },
    "@nats-io/transport-node": { optional: true },
    "@nats-io/kv": { optional: true },
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

await referenceDisposableLib(out);
await copyWasmBinaries(new URL("wasm/", root), new URL("wasm/", out));
await Deno.copyFile(new URL("LICENSE", root), new URL("LICENSE", out));
await Deno.writeTextFile(
  new URL("README.md", out),
  packageReadme(await Deno.readTextFile(new URL("README.md", root))),
);
console.log(`build_npm: wrote ${out.pathname}`);

/** The version range deno.json's import map gives npm package `name` ("npm:hono@^4.1" → "^4.1"). */
function rangeOf(name: string): string {
  const specifier = deno.imports[name] ?? "";
  const range = specifier.startsWith(`npm:${name}@`) ? specifier.slice(`npm:${name}@`.length) : "";
  if (range === "") throw new Error(`build_npm: deno.json imports no npm:${name}@<range>`);
  return range;
}

/**
 * A few `.d.ts` files name `Disposable` / `Symbol.dispose` (explicit
 * resource management, in TypeScript's `esnext.disposable` lib). A consumer
 * whose target is below ESNext and who has no `@types/node` (which pulls
 * that lib in) would get "Cannot find name 'Disposable'", so each such file
 * says which lib it needs, as `@types/node` does. The sources need no such
 * line: Deno and Bun type-check them with that lib already.
 */
async function referenceDisposableLib(dir: URL): Promise<void> {
  const reference = '/// <reference lib="esnext.disposable" />\n';
  const uses = /\b(?:Async)?Disposable\b|\bSymbol\.(?:dispose|asyncDispose)\b/;
  for (const file of await declarationFiles(dir)) {
    const text = await Deno.readTextFile(file);
    if (uses.test(text) && !text.startsWith(reference)) {
      await Deno.writeTextFile(file, reference + text);
    }
  }
}

/** The `.d.ts` files the package ships: the entries, `src/` and `wasm/`. */
async function declarationFiles(dir: URL): Promise<URL[]> {
  const found: URL[] = [];
  const walk = async (at: URL, depth: number) => {
    for await (const entry of Deno.readDir(at)) {
      if (entry.isDirectory && (depth > 0 || entry.name === "src" || entry.name === "wasm")) {
        await walk(new URL(`${entry.name}/`, at), depth + 1);
      } else if (entry.isFile && entry.name.endsWith(".d.ts")) {
        found.push(new URL(entry.name, at));
      }
    }
  };
  await walk(dir, 0);
  return found;
}

/**
 * Copies the WASM binaries (`wasm/*.wasm`) into the package, for runtimes
 * that take a precompiled module (Cloudflare Workers); tsc copies only
 * what it compiles.
 */
async function copyWasmBinaries(from: URL, to: URL): Promise<void> {
  for await (const entry of Deno.readDir(from)) {
    if (entry.isFile && entry.name.endsWith(".wasm")) {
      await Deno.mkdir(to, { recursive: true });
      await Deno.copyFile(new URL(entry.name, from), new URL(entry.name, to));
    }
  }
}

/**
 * The package's README: the repository's, with links to repository files
 * (which the package does not ship) turned into their text. Absolute links
 * and links to headings stay; fenced code is left as it is.
 */
function packageReadme(readme: string): string {
  const relative = (target: string) => !/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target);
  const unlink = (prose: string) =>
    prose
      // ![alt](path): a repository image shows nowhere else.
      .replace(/!\[[^\]]*\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g, (all, to) => relative(to) ? "" : all)
      // [text](path) → text
      .replace(
        /\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g,
        (all, text, to) => relative(to) ? text : all,
      )
      // [label]: path, a reference definition
      .replace(/^ {0,3}\[[^\]]+\]:\s+(\S+).*\n?/gm, (all, to) => relative(to) ? "" : all);
  // Odd parts are fenced code blocks (``` to ```), kept verbatim.
  return readme
    .split(/(^```[^\n]*\n[\s\S]*?^```[^\n]*$)/m)
    .map((part, i) => i % 2 === 1 ? part : unlink(part))
    .join("");
}
