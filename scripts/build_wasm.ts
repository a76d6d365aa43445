/**
 * Builds the WebAssembly modules of the core from `core/` (AssemblyScript)
 * into generated, committed files, and the constants both languages share:
 *
 * - `core/layout.ts` and `src/core/_layout.ts`, from `core/layout.json` (codes,
 *   enums, limits, memory layouts: see `scripts/_layout.ts`);
 * - `wasm/scheduler_wasm.ts` (entry `core/scheduler.ts`) and
 *   `wasm/histogram_store_wasm.ts` (entry `core/histogram_store.ts`): the bytes
 *   inlined as base64, a typed interface of the exports, a synchronous loader.
 *
 * Each module imports its memory (`env.memory`, at most 65536 pages), so a
 * host can place several instances in one memory. A memory import is either
 * shared or not, and the two builds differ in that one byte only (the import's
 * limits flag): this script builds both, checks that they differ exactly
 * there, and commits one; the loader sets the byte for the memory it is given.
 * A module must have no data section: instantiating it would write that data
 * into a memory other instances already live in (the build fails if it has).
 *
 * The compiles run entirely in memory through asc's programmatic API and are
 * deterministic; each generated file's header carries a sha256 over its
 * sources (the spec; or every `core/*.ts`, sorted by name, with the asc
 * version and the flags), and `--check` fails when any file differs from what
 * this script would write.
 *
 * Run:
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-env scripts/build_wasm.ts          # writes
 * deno run --allow-read --allow-env scripts/build_wasm.ts --check                # exits 1 when stale
 * ```
 *
 * @module
 */

import asc from "assemblyscript/asc";
import { parseLayout, renderAssemblyScript, renderTypeScript } from "./_layout.ts";

const ROOT = new URL("../", import.meta.url);
const CORE_DIR = new URL("core/", ROOT);
const LAYOUT_SPEC = "core/layout.json";
const LAYOUT_AS = "core/layout.ts";
const LAYOUT_TS = "src/core/_layout.ts";
const WASM_NAME = "core.wasm";
const TYPES_NAME = "core.d.ts";

/** Largest memory the modules import, in 64 KiB pages (4 GiB). */
const MAXIMUM_PAGES = 65536;
/** The memory import's limits flag: has-maximum (1), plus shared (2). */
const LIMITS_SHARED = 0x03;
const LIMITS_UNSHARED = 0x01;

/** Release settings: speed first, no assertions, a runtime with no GC (the core allocates itself). */
const FLAGS: readonly string[] = [
  "--runtime",
  "stub",
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  "--converge",
  "--noAssert",
  "--bindings",
  "raw",
  "--enable",
  "threads",
  "--importMemory",
  "--noExportMemory",
  "--initialMemory",
  "0",
  "--maximumMemory",
  String(MAXIMUM_PAGES),
  "--sharedMemory",
];

/** One WebAssembly module to build. */
interface ModuleSpec {
  /** AssemblyScript entry file. */
  readonly entry: string;
  /** Generated TypeScript file. */
  readonly output: string;
  /** Prefix of the generated names: `Scheduler` → `SchedulerWasmExports`, `instantiateScheduler`. */
  readonly name: string;
  /** What it is, for the module doc. */
  readonly what: string;
  /** The contract its exports follow. */
  readonly contract: string;
  /** A line of example code using an instance `wasm`. */
  readonly example: string;
}

const MODULES: readonly ModuleSpec[] = [
  {
    entry: "core/scheduler.ts",
    output: "wasm/scheduler_wasm.ts",
    name: "Scheduler",
    what: "The beamlet scheduler core (actors, mailbox rings, run queue, timers)",
    contract: "`Core` in `src/core/core.ts`",
    example: "const id = wasm.spawn(4, 100, 0, 1); // > 0",
  },
  {
    entry: "core/histogram_store.ts",
    output: "wasm/histogram_store_wasm.ts",
    name: "HistogramStore",
    what: "The beamlet histogram store (log-linear latency histograms)",
    contract: "`HistogramStore` in `src/core/histogram_store.ts`",
    example: "const h = wasm.histogramCreate(); // > 0",
  },
];

/** Reads every `core/*.ts`, sorted by name, with `core/layout.ts` as rendered now. */
async function readSources(layout: string): Promise<Map<string, string>> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(CORE_DIR)) {
    if (entry.isFile && entry.name.endsWith(".ts")) names.push(entry.name);
  }
  if (!names.includes("layout.ts")) names.push("layout.ts");
  names.sort();
  const sources = new Map<string, string>();
  for (const name of names) {
    const path = `core/${name}`;
    sources.set(
      path,
      path === LAYOUT_AS ? layout : await Deno.readTextFile(new URL(name, CORE_DIR)),
    );
  }
  return sources;
}

async function sha256(parts: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(parts.join("\0"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** sha256 over the sources (name and text, in order), the entry, the asc version and the flags. */
function sourceHash(sources: Map<string, string>, entry: string): Promise<string> {
  const parts: string[] = [];
  for (const [name, text] of sources) parts.push(name, text);
  parts.push(`entry ${entry}`, `asc ${asc.version}`, FLAGS.join(" "));
  return sha256(parts);
}

/** Compiles in memory: the wasm bytes and asc's raw-bindings declaration text. */
async function compile(
  sources: Map<string, string>,
  entry: string,
  flags: readonly string[],
): Promise<{ wasm: Uint8Array; types: string }> {
  const outputs = new Map<string, string | Uint8Array>();
  const stderr: string[] = [];
  const { error } = await asc.main(
    [entry, "--outFile", WASM_NAME, ...flags],
    {
      readFile: (name: string, baseDir: string) => {
        const path = baseDir === "." || baseDir === "" ? name : `${baseDir}/${name}`;
        return sources.get(path.replace(/^\.\//, "")) ?? null;
      },
      writeFile: (name: string, contents: string | Uint8Array) => {
        outputs.set(name, contents);
      },
      listFiles: () => [],
      stdout: { write: () => {} },
      stderr: {
        write: (chunk: string | Uint8Array) => {
          stderr.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
        },
      },
    } as Parameters<typeof asc.main>[1],
  );
  if (error) throw new Error(`asc failed on ${entry}: ${error.message}\n${stderr.join("")}`);
  const wasm = outputs.get(WASM_NAME);
  const types = outputs.get(TYPES_NAME);
  if (!(wasm instanceof Uint8Array) || typeof types !== "string") {
    throw new Error(`asc produced no ${WASM_NAME} / ${TYPES_NAME}\n${stderr.join("")}`);
  }
  return { wasm, types };
}

/** Reads an unsigned LEB128 at `at`: its value and the offset after it. */
function leb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

/** The offset of the memory import's limits flag (the import section, kind 2). */
function memoryFlagsOffset(wasm: Uint8Array): number {
  let at = 8; // magic and version
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = leb(wasm, at + 1);
    if (id === 2) {
      let [count, p] = leb(wasm, body);
      for (; count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const [length, after] = leb(wasm, p);
          p = after + length;
        }
        const kind = wasm[p++];
        if (kind === 2) return p;
        if (kind === 0) p = leb(wasm, p)[1];
        else if (kind === 1) {
          const flags = wasm[p + 1];
          p = leb(wasm, p + 2)[1];
          if (flags & 1) p = leb(wasm, p)[1];
        } else if (kind === 3) p += 2;
        else throw new Error(`unexpected import kind ${kind}`);
      }
    }
    at = body + size;
  }
  throw new Error("the module imports no memory");
}

/**
 * The ids of the sections in the module. A data section would write its bytes
 * into the memory at every instantiation, over whatever another instance keeps
 * there, so the modules must have none (their memory holds only what `init`
 * and the allocator place).
 */
function sectionIds(wasm: Uint8Array): number[] {
  const ids: number[] = [];
  for (let at = 8; at < wasm.length;) {
    const [size, body] = leb(wasm, at + 1);
    ids.push(wasm[at]);
    at = body + size;
  }
  return ids;
}

/** Builds one module both ways and checks they differ only in the memory import's shared bit. */
async function buildModule(
  sources: Map<string, string>,
  entry: string,
): Promise<{ wasm: Uint8Array; types: string; flagsOffset: number }> {
  const { wasm, types } = await compile(sources, entry, FLAGS);
  const unshared = await compile(sources, entry, FLAGS.filter((f) => f !== "--sharedMemory"));
  const DATA_SECTION = 11;
  if (sectionIds(wasm).includes(DATA_SECTION)) {
    throw new Error(
      `${entry}: the module has static data, which every instantiation would write over the ` +
        "memory other instances share; keep constants in code",
    );
  }
  const flagsOffset = memoryFlagsOffset(wasm);
  if (wasm[flagsOffset] !== LIMITS_SHARED || unshared.wasm[flagsOffset] !== LIMITS_UNSHARED) {
    throw new Error(`${entry}: the memory import's limits flag is not where it was expected`);
  }
  const same = unshared.wasm.length === wasm.length &&
    wasm.every((byte, i) => i === flagsOffset || byte === unshared.wasm[i]);
  if (!same) throw new Error(`${entry}: the shared and unshared builds differ beyond one byte`);
  return { wasm, types, flagsOffset };
}

/** Turns asc's `declare namespace __AdaptedExports { export function f(...) }` into interface members. */
function exportMembers(types: string): string {
  const start = types.indexOf("{", types.indexOf("declare namespace __AdaptedExports"));
  const end = types.indexOf("\n}", start);
  if (start < 0 || end < 0) throw new Error("unexpected asc bindings layout");
  return types.slice(start + 1, end)
    .replace(/export const (\w+):/g, "readonly $1:")
    .replace(/export function (\w+)\(/g, "$1(")
    .replace(/^\n/, "");
}

/** The custom section that carries a module's source hash: how a precompiled module is recognised. */
const HASH_SECTION = "beamlet:source-sha256";

/** An unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** The bytes with a custom section (id 0) appended: `name`, then `payload`. */
function withCustomSection(wasm: Uint8Array, name: string, payload: string): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...uleb(nameBytes.length), ...nameBytes, ...new TextEncoder().encode(payload)];
  const section = [0, ...uleb(body.length), ...body];
  const out = new Uint8Array(wasm.length + section.length);
  out.set(wasm);
  out.set(section, wasm.length);
  return out;
}

/** The names of the exports, from asc's bindings declaration. */
function exportNames(types: string): string[] {
  return [...types.matchAll(/export (?:function|const) (\w+)/g)].map((m) => m[1]).sort();
}

/** A string array literal as \`deno fmt\` writes it: on one line when it fits in 100 columns. */
function formatList(prefix: string, names: readonly string[]): string {
  const quoted = names.map((name) => JSON.stringify(name));
  const line = `[${quoted.join(", ")}]`;
  if (prefix.length + line.length + 1 <= 100) return line;
  return `[\n${quoted.map((q) => `  ${q},\n`).join("")}]`;
}

/** Base64 of the bytes, with web-standard btoa only. */
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** `HistogramStore` → `HISTOGRAM_STORE`. */
function constantCase(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The generated module's text. */
function render(
  spec: ModuleSpec,
  hash: string,
  built: { wasm: Uint8Array; types: string; flagsOffset: number },
): string {
  const { name } = spec;
  const upper = constantCase(name);
  const lower = name[0].toLowerCase() + name.slice(1);
  const file = spec.output.slice("wasm/".length);
  return `// Generated by scripts/build_wasm.ts from core/*.ts: do not edit.
// Rebuild with \`deno task build:wasm\`; \`deno task check:wasm\` fails when this file is stale.
// source sha256: ${hash}
// (core/*.ts sorted by name, entry ${spec.entry}, assemblyscript ${asc.version}, flags: ${
    FLAGS.join(" ")
  })

/**
 * ${spec.what} compiled to WebAssembly (${built.wasm.length} bytes), with a
 * synchronous loader that uses web-standard APIs only (runs on Deno, Bun, Node
 * and browsers). Its exports follow ${spec.contract}.
 *
 * The module imports its memory (\`env.memory\`, at most ${MAXIMUM_PAGES} pages, shared or
 * not) and has no start function: call \`init\` once after instantiating, before
 * any other export; it places the instance in the memory, next to any others.
 *
 * @module
 */

/** sha256 over the core sources, the entry, the compiler version and the flags this module was built from. */
export const ${upper}_SOURCE_HASH =
  "${hash}";

/** The custom section of the module that holds {@linkcode ${upper}_SOURCE_HASH}. */
export const ${upper}_HASH_SECTION = "${HASH_SECTION}";

/** The names of the module's exports, sorted. */
export const ${upper}_EXPORTS: readonly string[] = ${
    formatList(`export const ${upper}_EXPORTS: readonly string[] = `, exportNames(built.types))
  };

/** The exports of one instance (see \`${spec.entry}\`); failures are negative codes. */
export interface ${name}WasmExports {
${exportMembers(built.types)}
}

const ${upper}_WASM_BASE64 =
  "${toBase64(built.wasm)}";

/** Where the memory import's limits flag sits in the bytes: ${LIMITS_SHARED} for a shared memory, ${LIMITS_UNSHARED} for an unshared one. */
const MEMORY_FLAGS_OFFSET = ${built.flagsOffset};

const compiled: { shared?: WebAssembly.Module; unshared?: WebAssembly.Module } = {};

/**
 * The compiled module for a shared or an unshared memory, compiled
 * synchronously on first use and cached.
 *
 * @example Compile once, instantiate many
 * \`\`\`ts
 * import { ${lower}Module } from "./${file}";
 * const module = ${lower}Module(false); // the same Module every call
 * \`\`\`
 */
export function ${lower}Module(shared: boolean): WebAssembly.Module {
  const cached = shared ? compiled.shared : compiled.unshared;
  if (cached !== undefined) return cached;
  const binary = atob(${upper}_WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  bytes[MEMORY_FLAGS_OFFSET] = shared ? ${LIMITS_SHARED} : ${LIMITS_UNSHARED};
  const module = new WebAssembly.Module(bytes);
  if (shared) compiled.shared = module;
  else compiled.unshared = module;
  return module;
}

/** Whether \`memory\` is a shared memory (its buffer a SharedArrayBuffer). */
function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
}

/**
 * A new instance over \`memory\` (which must have a maximum of at most ${MAXIMUM_PAGES}
 * pages), not yet placed: call \`init\` first. \`module\` is a precompiled
 * module to use instead of compiling the inlined bytes (\`wasm/${
    file.replace("_wasm.ts", ".wasm")
  }\`,
 * for hosts that cannot compile from bytes); whoever passes it checks it first.
 *
 * @example An instance in a memory of its own
 * \`\`\`ts
 * import { instantiate${name} } from "./${file}";
 * const wasm = instantiate${name}(new WebAssembly.Memory({ initial: 1, maximum: 65536 }));
 * wasm.init(${name === "Scheduler" ? "2000, 1 << 30, 1 << 20" : ""});
 * ${spec.example}
 * \`\`\`
 */
export function instantiate${name}(
  memory: WebAssembly.Memory,
  module?: WebAssembly.Module,
): ${name}WasmExports {
  const instance = new WebAssembly.Instance(module ?? ${lower}Module(isShared(memory)), {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(\`beamlet ${lower} aborted at \${line}:\${column}\`);
      },
    },
  });
  return instance.exports as unknown as ${name}WasmExports;
}
`;
}

/** Every generated file: its path and text. */
async function generate(): Promise<Map<string, string | Uint8Array>> {
  const specText = await Deno.readTextFile(new URL(LAYOUT_SPEC, ROOT));
  const layout = parseLayout(specText);
  const layoutHash = await sha256([LAYOUT_SPEC, specText]);
  const files = new Map<string, string | Uint8Array>();
  const layoutAs = renderAssemblyScript(layout, layoutHash);
  files.set(LAYOUT_AS, layoutAs);
  files.set(LAYOUT_TS, renderTypeScript(layout, layoutHash));
  const sources = await readSources(layoutAs);
  for (const spec of MODULES) {
    const hash = await sourceHash(sources, spec.entry);
    const built = await buildModule(sources, spec.entry);
    const wasm = withCustomSection(built.wasm, HASH_SECTION, hash);
    files.set(spec.output, render(spec, hash, { ...built, wasm }));
    // The module for an unshared memory as a file of its own, for hosts that
    // load modules instead of compiling bytes (Cloudflare Workers).
    const unshared = wasm.slice();
    unshared[built.flagsOffset] = LIMITS_UNSHARED;
    files.set(spec.output.replace(/_wasm\.ts$/, ".wasm"), unshared);
  }
  return files;
}

function sameContent(a: string | Uint8Array | undefined, b: string | Uint8Array): boolean {
  if (typeof a === "string" || typeof b === "string" || a === undefined) return a === b;
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function main(): Promise<number> {
  const check = Deno.args.includes("--check");
  const files = await generate();
  if (check) {
    let stale = 0;
    for (const [path, text] of files) {
      let current: string | Uint8Array | undefined;
      try {
        current = typeof text === "string"
          ? await Deno.readTextFile(new URL(path, ROOT))
          : await Deno.readFile(new URL(path, ROOT));
      } catch {
        current = undefined;
      }
      if (sameContent(current, text)) continue;
      stale++;
      console.error(
        current === undefined
          ? `${path} is missing. Run \`deno task build:wasm\` and commit the result.`
          : `${path} is stale: it does not match its sources. Run \`deno task build:wasm\` and commit the result.`,
      );
    }
    if (stale > 0) return 1;
    console.log(`${[...files.keys()].join(", ")} are fresh.`);
    return 0;
  }
  for (const [path, text] of files) {
    const url = new URL(path, ROOT);
    await Deno.mkdir(new URL("./", url), { recursive: true });
    if (typeof text === "string") await Deno.writeTextFile(url, text);
    else await Deno.writeFile(url, text);
    console.log(`wrote ${path}`);
  }
  return 0;
}

Deno.exit(await main());
