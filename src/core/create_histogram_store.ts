/**
 * Choosing a histogram store implementation at run time.
 *
 * @module
 */

import { implementationOf } from "./_implementation.ts";
import type { HistogramStore } from "./histogram_store.ts";
import { ReferenceHistogramStore } from "./reference_histogram_store.ts";
import { WasmHistogramStore } from "./wasm_histogram_store.ts";

/**
 * Options of {@linkcode createHistogramStore}.
 *
 * @example A TypeScript store (no WebAssembly instance to create)
 * ```ts
 * import { createHistogramStore, type CreateHistogramStoreOptions } from "@beamlet/beamlet/core";
 *
 * const options: CreateHistogramStoreOptions = { implementation: "reference" };
 * const store = createHistogramStore(options);
 * console.log(store.kind); // "reference"
 * ```
 */
export interface CreateHistogramStoreOptions {
  /**
   * `"wasm"` (the WebAssembly store), `"reference"` (the TypeScript store), or
   * `"auto"` (default): WebAssembly when this host can compile it from bytes,
   * else the reference store.
   */
  implementation?: "auto" | "wasm" | "reference";
  /**
   * The memory to place a WebAssembly store in, next to cores and other
   * stores (see {@linkcode createCoreMemory}); default: a memory of its own.
   * A memory means WebAssembly: `"auto"` does not fall back, and
   * `"reference"` is refused.
   */
  memory?: WebAssembly.Memory;
  /**
   * A precompiled histogram store module, beamlet's
   * `wasm/histogram_store.wasm`: how a host that cannot compile WebAssembly
   * from bytes (Cloudflare Workers) gets the WebAssembly store. Like a
   * memory, a module means WebAssembly; one that is not this beamlet's store
   * is a `WasmModuleError`.
   */
  module?: WebAssembly.Module;
}

/**
 * Builds a histogram store: its own state, shared with nobody.
 *
 * @example A store for a set of latency histograms
 * ```ts
 * import { createHistogramStore } from "@beamlet/beamlet/core";
 *
 * const store = createHistogramStore();
 * const h = store.histogramCreate();
 * store.histogramRecord(h, 3.5);
 * console.log(store.histogramCount()); // 1
 * ```
 *
 * @example A store next to a scheduler core, in one memory
 * ```ts
 * import { createCore, createCoreMemory, createHistogramStore } from "@beamlet/beamlet/core";
 *
 * const memory = createCoreMemory();
 * const core = createCore({ memory });
 * const store = createHistogramStore({ memory });
 * ```
 *
 * @throws {TypeError} for an unknown `implementation`, a `memory` that is not a
 * `WebAssembly.Memory`, or a `memory` with the reference implementation.
 */
export function createHistogramStore(options: CreateHistogramStoreOptions = {}): HistogramStore {
  const { memory, module } = options;
  const implementation = implementationOf(
    options.implementation,
    memory ?? module,
    "createHistogramStore",
    module === undefined ? "memory" : "module",
  );
  if (implementation === "reference") return new ReferenceHistogramStore();
  if (implementation === "wasm") return new WasmHistogramStore({ memory, module });
  try {
    return new WasmHistogramStore();
  } catch {
    // The host refused to compile WebAssembly from bytes (Cloudflare Workers).
    return new ReferenceHistogramStore();
  }
}
