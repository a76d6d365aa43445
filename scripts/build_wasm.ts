/**
 * Builds the WebAssembly scheduler core from `core/` (AssemblyScript) into one
 * generated, committed module: `wasm/core_wasm.ts` (the bytes inlined as
 * base64, a typed interface of the exports, a synchronous loader); and, first,
 * the constants both languages share: `core/layout.ts` and
 * `src/core/_layout.ts`, from `core/layout.json` (codes, enums, limits, the
 * header's layout: see `scripts/_layout.ts`).
 *
 * The compile runs entirely in memory through asc's programmatic API; the
 * output is deterministic, and its header carries a sha256 over the sources
 * (every `core/*.ts`, sorted by name), the asc version and the flags, so a
 * stale file is caught by `--check`; the layout files carry a sha256 of
 * `core/layout.json`, and `--check` compares every generated file with what
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
const OUTPUT_NAME = "wasm/core_wasm.ts";
const ENTRY = "core/index.ts";
const WASM_NAME = "core.wasm";
const TYPES_NAME = "core.d.ts";
const LAYOUT_SPEC = "core/layout.json";
const LAYOUT_AS = "core/layout.ts";
const LAYOUT_TS = "src/core/_layout.ts";

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

/** sha256 over the sources (name and text, in order), the asc version and the flags. */
function sourceHash(sources: Map<string, string>): Promise<string> {
  const parts: string[] = [];
  for (const [name, text] of sources) parts.push(name, text);
  parts.push(`asc ${asc.version}`, FLAGS.join(" "));
  return sha256(parts);
}

/** Compiles in memory: the wasm bytes and asc's raw-bindings declaration text. */
async function compile(sources: Map<string, string>): Promise<{ wasm: Uint8Array; types: string }> {
  const outputs = new Map<string, string | Uint8Array>();
  const stderr: string[] = [];
  const { error } = await asc.main(
    [ENTRY, "--outFile", WASM_NAME, ...FLAGS],
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
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.join("")}`);
  const wasm = outputs.get(WASM_NAME);
  const types = outputs.get(TYPES_NAME);
  if (!(wasm instanceof Uint8Array) || typeof types !== "string") {
    throw new Error(`asc produced no ${WASM_NAME} / ${TYPES_NAME}\n${stderr.join("")}`);
  }
  return { wasm, types };
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

/** Base64 of the bytes, with web-standard btoa only. */
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The generated module's text. */
function render(hash: string, wasm: Uint8Array, types: string): string {
  return `// Generated by scripts/build_wasm.ts from core/*.ts: do not edit.
// Rebuild with \`deno task build:wasm\`; \`deno task check:wasm\` fails when this file is stale.
// source sha256: ${hash}
// (core/*.ts sorted by name, assemblyscript ${asc.version}, flags: ${FLAGS.join(" ")})

/**
 * The beamlet scheduler core compiled to WebAssembly (${wasm.length} bytes), with a
 * synchronous loader that uses web-standard APIs only (runs on Deno, Bun, Node
 * and browsers).
 *
 * @module
 */

/** sha256 over the core sources, the compiler version and the flags this module was built from. */
export const CORE_SOURCE_HASH = "${hash}";

/** The exports of one core instance (see \`core/index.ts\`); failures are negative codes. */
export interface CoreWasmExports {
${exportMembers(types)}
}

const CORE_WASM_BASE64 =
  "${toBase64(wasm)}";

let compiled: WebAssembly.Module | undefined;

/**
 * The compiled core module, compiled synchronously on first use and cached.
 *
 * @example Compile once, instantiate many
 * \`\`\`ts
 * import { coreModule } from "./core_wasm.ts";
 * const module = coreModule(); // the same Module every call
 * \`\`\`
 */
export function coreModule(): WebAssembly.Module {
  if (compiled === undefined) {
    const binary = atob(CORE_WASM_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/** Reads an AssemblyScript string (UTF-16, byte length stored just before it) for abort messages. */
function readString(memory: WebAssembly.Memory, pointer: number): string {
  if (pointer === 0) return "";
  const bytes = new Uint32Array(memory.buffer, pointer - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, pointer, bytes >>> 1));
}

/**
 * A fresh core instance with its own memory, already initialised with the
 * default reduction budget.
 *
 * @example Spawn an actor on a new instance
 * \`\`\`ts
 * import { instantiateCore } from "./core_wasm.ts";
 * const core = instantiateCore();
 * const id = core.spawn(4, 100, 0, 1); // > 0
 * \`\`\`
 */
export function instantiateCore(): CoreWasmExports {
  // Filled in once instantiated: the start function runs before \`exports\` exists.
  const bound: { memory?: WebAssembly.Memory } = {};
  const instance = new WebAssembly.Instance(coreModule(), {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        const where = bound.memory
          ? \`\${readString(bound.memory, message)} at \${readString(bound.memory, file)}\`
          : "";
        throw new Error(\`beamlet core aborted: \${where}:\${line}:\${column}\`);
      },
    },
  });
  const exports = instance.exports as unknown as CoreWasmExports;
  bound.memory = exports.memory;
  return exports;
}
`;
}

/** Every generated file: its path and text. */
async function generate(): Promise<Map<string, string>> {
  const specText = await Deno.readTextFile(new URL(LAYOUT_SPEC, ROOT));
  const layout = parseLayout(specText);
  const layoutHash = await sha256([LAYOUT_SPEC, specText]);
  const files = new Map<string, string>();
  files.set(LAYOUT_AS, renderAssemblyScript(layout, layoutHash));
  files.set(LAYOUT_TS, renderTypeScript(layout, layoutHash));
  const sources = await readSources(files.get(LAYOUT_AS)!);
  const hash = await sourceHash(sources);
  const { wasm, types } = await compile(sources);
  files.set(OUTPUT_NAME, render(hash, wasm, types));
  return files;
}

async function main(): Promise<number> {
  const check = Deno.args.includes("--check");
  const files = await generate();
  if (check) {
    let stale = 0;
    for (const [path, text] of files) {
      let current: string | undefined;
      try {
        current = await Deno.readTextFile(new URL(path, ROOT));
      } catch {
        current = undefined;
      }
      if (current === text) continue;
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
    await Deno.writeTextFile(new URL(path, ROOT), text);
    console.log(`wrote ${path}`);
  }
  return 0;
}

Deno.exit(await main());
