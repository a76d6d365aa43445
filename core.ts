/**
 * The scheduler core underneath the GenServers: actors with mailbox rings,
 * a run queue by priority, a timer wheel and latency histograms, in
 * WebAssembly (AssemblyScript) or in the TypeScript reference core with the
 * same interface. A `System` owns one; use it directly to build your own
 * runtime over it, or to read its counters (`Stat`).
 *
 * Every failure is a negative numeric code (`CoreCode`), never a trap;
 * `CoreError` carries one. The full contract, with every rule both cores
 * follow, is on {@linkcode Core}.
 *
 * Hosts that cannot compile WebAssembly from bytes at run time (Cloudflare
 * Workers) take the shipped modules precompiled: `createCore({ module })`
 * with `wasm/scheduler.wasm`, `createHistogramStore({ module })` with
 * `wasm/histogram_store.wasm` (a wrong one is a {@linkcode WasmModuleError}).
 * Without them `"auto"` falls back to the reference core, and a `System`
 * says so once through its logger (a {@linkcode NoticeReport}).
 *
 * @example A mailbox that refuses overload
 * ```ts
 * import { createCore, Overflow, Priority, Stat } from "@beamlet/beamlet/core";
 *
 * const core = createCore(); // WebAssembly where it compiles, else the reference core
 * const payloads: unknown[] = [];
 *
 * const id = core.spawn(16, 2, Overflow.Reject, Priority.Normal);
 * for (const message of ["a", "b", "c"]) {
 *   const slot = core.enqueue(id); // a slot >= 0, or a negative code
 *   if (slot >= 0) payloads[slot & 0x3fff_ffff] = message;
 * }
 * console.log(core.stat(id, Stat.Refused)); // 1
 *
 * const running = core.next(); // the next runnable actor
 * for (let n = 0; n < core.reductionBudget; n++) {
 *   const slot = core.dequeue(running);
 *   if (slot < 0) break;
 *   console.log(payloads[slot]); // "a", then "b"
 * }
 * core.release(running, 2, 0);
 * ```
 *
 * @module
 */

export {
  ActorState,
  type Core,
  CoreCode,
  DEFAULT_REDUCTION_BUDGET,
  LOW_PRIORITY_EVERY,
  MAX_ACTORS,
  MAX_BOUND,
  MAX_CLOCK,
  MAX_REDUCTION_BUDGET,
  MAX_TIMER_DELAY,
  MAX_TIMERS,
  Overflow,
  Priority,
  Stat,
} from "./src/core/core.ts";
export { CoreError } from "./src/core/errors.ts";
export { WasmModuleError } from "./src/core/wasm_module_error.ts";
// What a System's logger is told when WebAssembly cannot be used here.
export type { NoticeReport } from "./src/logger.ts";
export {
  type CoreImplementation,
  createCore,
  type CreateCoreOptions,
} from "./src/core/create_core.ts";
export { ReferenceCore, type ReferenceCoreOptions } from "./src/core/reference_core.ts";
export { WasmCore, type WasmCoreOptions } from "./src/core/wasm_core.ts";
export { type CoreMemoryOptions, createCoreMemory } from "./src/core/core_memory.ts";
export {
  HISTOGRAM_BYTES,
  HISTOGRAM_HIGHEST,
  HISTOGRAM_LOWEST,
  HistogramStat,
  type HistogramStore,
  MAX_HISTOGRAMS,
} from "./src/core/histogram_store.ts";
export {
  createHistogramStore,
  type CreateHistogramStoreOptions,
} from "./src/core/create_histogram_store.ts";
export { ReferenceHistogramStore } from "./src/core/reference_histogram_store.ts";
export {
  WasmHistogramStore,
  type WasmHistogramStoreOptions,
} from "./src/core/wasm_histogram_store.ts";
