/**
 * Running `examples/workers` in workerd, Cloudflare's Workers runtime,
 * through miniflare on 127.0.0.1 (private: not a test file). The Worker is
 * bundled with esbuild the way wrangler would (its `.wasm` imports left as
 * modules the runtime compiles), either from its entry `index.js` (the
 * precompiled WebAssembly modules passed in) or from a generated entry that
 * passes none (the reference core).
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { build } from "esbuild";
import { Log, LogLevel, Miniflare } from "miniflare";
import { repoPath } from "./_repo.ts";

/** Which core the Worker is built to run on. */
export type WorkerCore = "wasm" | "reference";

/** A bundled Worker: its script and the `.wasm` modules it imports. */
export interface WorkerBundle {
  /** The bundled script. */
  readonly script: string;
  /** Its size, minified, bytes. */
  readonly bytes: number;
  /** Its size, gzipped, bytes. */
  readonly gzipBytes: number;
  /** The `.wasm` modules it imports, with their paths from the repository root. */
  readonly wasm: readonly { path: string; contents: Uint8Array }[];
}

const EXAMPLE = repoPath("examples", "workers");
const REFERENCE_ENTRY = 'import { createWorker } from "./worker.ts";\n' +
  "export default createWorker({});\n";

/**
 * Bundles the example for `core`; `modules` overrides the `.wasm` files the
 * entry imports (bad-input tests hand it the wrong ones).
 */
export async function bundleWorker(
  core: WorkerCore,
  modules: { scheduler?: Uint8Array; histogramStore?: Uint8Array } = {},
): Promise<WorkerBundle> {
  const result = await build({
    ...(core === "wasm"
      ? { entryPoints: [join(EXAMPLE, "index.js")] }
      : { stdin: { contents: REFERENCE_ENTRY, resolveDir: EXAMPLE, sourcefile: "entry.js" } }),
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    minify: true,
    external: ["*.wasm"],
    outdir: EXAMPLE, // imports of ../../wasm/*.wasm stay relative to it
    logLevel: "silent",
  });
  const script = result.outputFiles[0].text;
  const { gzipSync } = await import("node:zlib");
  const wasm = core === "wasm"
    ? [
      {
        path: "wasm/scheduler.wasm",
        contents: modules.scheduler ?? readFileSync(repoPath("wasm", "scheduler.wasm")),
      },
      {
        path: "wasm/histogram_store.wasm",
        contents: modules.histogramStore ??
          readFileSync(repoPath("wasm", "histogram_store.wasm")),
      },
    ]
    : [];
  return {
    script,
    bytes: Buffer.byteLength(script),
    gzipBytes: gzipSync(script).length,
    wasm,
  };
}

/** The compatibility date from which a System shared by concurrent requests works (README). */
export const MIN_COMPATIBILITY_DATE = "2024-10-14";

/** A Worker running in workerd. */
export interface RunningWorker {
  /** Sends a request to it. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Stops workerd. */
  dispose(): Promise<void>;
}

/** Starts `bundle` in workerd with `compatibilityDate`. */
export async function startWorker(
  bundle: WorkerBundle,
  compatibilityDate: string,
): Promise<RunningWorker> {
  const printed: string[] = [];
  const collect = (stream: Readable) => stream.on("data", (chunk) => printed.push(String(chunk)));
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: join(EXAMPLE, "worker.js"), contents: bundle.script },
      ...bundle.wasm.map(({ path, contents }) => ({
        type: "CompiledWasm" as const,
        path: repoPath(path),
        contents,
      })),
    ],
    modulesRoot: repoPath(),
    compatibilityDate,
    host: "127.0.0.1",
    cf: false,
    log: new Log(LogLevel.NONE),
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      collect(stdout);
      collect(stderr);
    },
  });
  await mf.ready;
  return {
    fetch: async (path, init) =>
      (await mf.dispatchFetch(`http://127.0.0.1${path}`, init as never)) as unknown as Response,
    output: () => printed.join(""),
    dispose: () => mf.dispose(),
  };
}
