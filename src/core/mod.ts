/**
 * The core contracts beneath the kernel: the scheduler {@linkcode Core}
 * (actors, mailbox rings, run queue, timers) and the
 * {@linkcode HistogramStore}, each with a WebAssembly and a TypeScript
 * implementation that return the same numbers, and
 * {@linkcode createCoreMemory} for placing several WebAssembly instances in
 * one (possibly shared) `WebAssembly.Memory`.
 *
 * @example Two scheduler cores and a histogram store in one memory
 * ```ts
 * import { createCore, createCoreMemory, createHistogramStore, Overflow, Priority } from "@beamlet/beamlet/core";
 *
 * const memory = createCoreMemory();
 * const a = createCore({ memory });
 * const b = createCore({ memory });
 * const store = createHistogramStore({ memory });
 * a.spawn(4, 100, Overflow.Reject, Priority.Normal);
 * console.log(a.actorCount(), b.actorCount(), store.histogramCount()); // 1 0 0
 * ```
 *
 * @module
 */

export * from "./core.ts";
export * from "./errors.ts";
export * from "./create_core.ts";
export { ReferenceCore, type ReferenceCoreOptions } from "./reference_core.ts";
export { WasmCore, type WasmCoreOptions } from "./wasm_core.ts";
export * from "./core_memory.ts";
export * from "./histogram_store.ts";
export * from "./create_histogram_store.ts";
export { ReferenceHistogramStore } from "./reference_histogram_store.ts";
export { WasmHistogramStore, type WasmHistogramStoreOptions } from "./wasm_histogram_store.ts";
