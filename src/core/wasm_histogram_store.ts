/**
 * The WebAssembly implementation of the {@linkcode HistogramStore}.
 *
 * Each `WasmHistogramStore` is one instance of the histogram store module,
 * placed in a memory of its own or in one it is given, next to scheduler
 * cores and other stores (see `core_memory.ts`). The module is compiled once,
 * synchronously, from the bytes inlined in `wasm/histogram_store_wasm.ts`; its
 * exports are bound as instance fields, so a call such as
 * `store.histogramRecord(h, v)` goes straight into WebAssembly.
 *
 * @module
 */

import { memoryFor, placeIn } from "./_wasm_memory.ts";
import type { HistogramStore } from "./histogram_store.ts";
import {
  HISTOGRAM_STORE_EXPORTS,
  HISTOGRAM_STORE_HASH_SECTION,
  HISTOGRAM_STORE_SOURCE_HASH,
  type HistogramStoreWasmExports,
  instantiateHistogramStore,
} from "../../wasm/histogram_store_wasm.ts";
import { checkModule, linkChecked, type ModuleIdentity } from "./_wasm_module.ts";

const HISTOGRAM_STORE: ModuleIdentity = {
  name: "histogram_store",
  hash: HISTOGRAM_STORE_SOURCE_HASH,
  section: HISTOGRAM_STORE_HASH_SECTION,
  exports: HISTOGRAM_STORE_EXPORTS,
};

/**
 * Options of {@linkcode WasmHistogramStore}.
 *
 * @example A store next to a scheduler core
 * ```ts
 * import { createCoreMemory, type WasmHistogramStoreOptions } from "@beamlet/beamlet/core";
 *
 * const options: WasmHistogramStoreOptions = { memory: createCoreMemory() };
 * ```
 */
export interface WasmHistogramStoreOptions {
  /**
   * The memory to live in, next to whatever else was placed there (see
   * {@linkcode createCoreMemory}); default: a memory of its own.
   */
  memory?: WebAssembly.Memory;
  /**
   * The compiled module to instantiate (beamlet's
   * `wasm/histogram_store.wasm`, for an unshared memory), for hosts that
   * cannot compile WebAssembly from bytes (Cloudflare Workers); default: the
   * bytes inlined in beamlet, compiled on first use.
   */
  module?: WebAssembly.Module;
}

/**
 * Histograms in WebAssembly, with the exact numbers of the
 * {@linkcode HistogramStore} contract.
 *
 * @example Record and read a quantile
 * ```ts
 * import { WasmHistogramStore } from "@beamlet/beamlet/core";
 *
 * const store = new WasmHistogramStore();
 * const h = store.histogramCreate();
 * for (let ms = 1; ms <= 100; ms++) store.histogramRecord(h, ms);
 * console.log(store.histogramQuantile(h, 0.99)); // about 99
 * ```
 */
export class WasmHistogramStore implements HistogramStore {
  /** Which implementation this is. */
  readonly kind = "wasm" as const;
  /** The memory this store lives in (perhaps with cores and other stores). */
  readonly memory: WebAssembly.Memory;
  /** This store's number in its memory (1, 2, ...: the order instances were placed in it). */
  readonly instanceId: number;

  /** Allocates an empty histogram: its handle (> 0), or Limit / OutOfMemory. */
  readonly histogramCreate: () => number;
  /** Frees a histogram: Ok, or Stale. */
  readonly histogramFree: (handle: number) => number;
  /** Live histograms. */
  readonly histogramCount: () => number;
  /** Records a value: Ok, or Stale / BadArgument (counted as invalid). */
  readonly histogramRecord: (handle: number, value: number) => number;
  /** A `HistogramStat` field, or Stale / BadArgument. */
  readonly histogramStat: (handle: number, field: number) => number;
  /** The nearest-rank quantile at bucket resolution (NaN when empty), or Stale / BadArgument. */
  readonly histogramQuantile: (handle: number, q: number) => number;
  /** Samples <= x at bucket resolution, or Stale / BadArgument. */
  readonly histogramCountAtOrBelow: (handle: number, x: number) => number;
  /** Adds `source` into `target`: Ok, or Stale. */
  readonly histogramMerge: (target: number, source: number) => number;
  /** Empties a histogram: Ok, or Stale. */
  readonly histogramReset: (handle: number) => number;

  /**
   * Creates a store: a new WebAssembly instance, placed in `memory` (or a memory of its own).
   *
   * @throws {TypeError} when `memory` is not a `WebAssembly.Memory` with a maximum of at most
   * 65536 pages.
   * @throws {CoreError} when the memory has no room for the store (`OutOfMemory`) or holds
   * something else than beamlet instances (`BadState`).
   * @throws {WasmModuleError} when `module` is not beamlet's histogram store of this version,
   * or cannot be linked to the memory (a TypeError when it is not a module at all).
   */
  constructor(options: WasmHistogramStoreOptions = {}) {
    this.memory = memoryFor(options.memory, "WasmHistogramStore");
    const module = options.module === undefined
      ? undefined
      : checkModule(options.module, HISTOGRAM_STORE, "WasmHistogramStore");
    const store: HistogramStoreWasmExports = placeIn(
      this.memory,
      "WasmHistogramStore",
      module === undefined ? instantiateHistogramStore : (memory) =>
        linkChecked(
          HISTOGRAM_STORE,
          "WasmHistogramStore",
          () => instantiateHistogramStore(memory, module),
        ),
      (instance) => instance.init(),
    );
    this.instanceId = store.instanceId();
    this.histogramCreate = store.histogramCreate;
    this.histogramFree = store.histogramFree;
    this.histogramCount = store.histogramCount;
    this.histogramRecord = store.histogramRecord;
    this.histogramStat = store.histogramStat;
    this.histogramQuantile = store.histogramQuantile;
    this.histogramCountAtOrBelow = store.histogramCountAtOrBelow;
    this.histogramMerge = store.histogramMerge;
    this.histogramReset = store.histogramReset;
  }
}
