/**
 * Latency histograms in fixed memory, kept in a histogram store (WebAssembly
 * linear memory, or the reference store's typed arrays).
 *
 * Layout: log-linear buckets, HdrHistogram-style. Each power of two between
 * 2^-20 and 2^43 is split into 64 equal sub-buckets (4032 buckets), plus one
 * underflow bucket for values below 2^-20 (zero included); values at or above
 * 2^43 are counted in the top bucket. Every histogram takes
 * {@linkcode HISTOGRAM_BYTES} (32 KiB plus a 16-byte directory entry), however
 * many samples it records, so `record` never allocates.
 *
 * Error bound: a bucket is at most 1/64 of its lower bound wide, and a
 * quantile reports its bucket's midpoint clamped to `[min, max]`, so it is
 * within {@linkcode HISTOGRAM_RELATIVE_ERROR} (1/128, 0.78%) of the exact
 * nearest-rank quantile for samples in `[2^-20, 2^43)`. `quantile(0)` is the
 * exact min and `quantile(1)` the exact max; count, sum, min, max and the
 * invalid count are exact (the sum is an f64).
 *
 * @module
 */

import { CoreError } from "../core/errors.ts";
import { HistogramStat, type HistogramStore } from "../core/histogram_store.ts";
import { ReferenceHistogramStore } from "../core/reference_histogram_store.ts";
import { storeOption } from "./_histogram_store_option.ts";
import { HistogramFreedError } from "./histogram_errors.ts";

/**
 * Bound on the relative error of {@linkcode Histogram.quantile} for samples in
 * `[2^-20, 2^43)`: 1/128 (0.78125%).
 *
 * @example Checking a quantile against its bound
 * ```ts
 * import { Histogram, HISTOGRAM_RELATIVE_ERROR } from "@beamlet/beamlet/metrics";
 *
 * const h = new Histogram();
 * for (let ms = 1; ms <= 1000; ms++) h.record(ms);
 * const p99 = h.quantile(0.99); // the exact answer is 990
 * console.log(Math.abs(p99 - 990) <= 990 * HISTOGRAM_RELATIVE_ERROR); // true
 * ```
 */
export const HISTOGRAM_RELATIVE_ERROR = 1 / 128;

interface Orphan {
  readonly store: HistogramStore;
  readonly handle: number;
}

/**
 * Frees the store memory of histograms that were dropped without `free()`;
 * made on first use (never at module load), and absent where the host has
 * no `FinalizationRegistry` (Cloudflare Workers before compatibility date
 * 2025-05-05): there a dropped histogram's memory waits for `free()`.
 */
let orphans: FinalizationRegistry<Orphan> | null | undefined;

function orphanRegistry(): FinalizationRegistry<Orphan> | null {
  if (orphans !== undefined) return orphans;
  orphans = typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<Orphan>(({ store, handle }) => {
      // A handle freed meanwhile is stale: the store refuses it and nothing else is touched.
      store.histogramFree(handle);
    })
    : null;
  return orphans;
}

/**
 * Options of a {@linkcode Histogram}.
 *
 * @example Histograms that can be merged share a store
 * ```ts
 * import { Histogram, type HistogramOptions } from "@beamlet/beamlet/metrics";
 * import { createHistogramStore } from "@beamlet/beamlet/core";
 *
 * const options: HistogramOptions = { store: createHistogramStore() };
 * const a = new Histogram(options);
 * const b = new Histogram(options);
 * a.merge(b);
 * ```
 */
export interface HistogramOptions {
  /**
   * The store that holds the histogram (see `createHistogramStore`); default:
   * a store of its own, the TypeScript `ReferenceHistogramStore` (a store for
   * one histogram gains nothing from a WebAssembly instance and memory of its
   * own, which cost milliseconds to create on some hosts). Only histograms of
   * one store can be merged.
   */
  readonly store?: HistogramStore;
  /**
   * @deprecated Pass `store`. A scheduler core holds no histograms: a `core`
   * that is a histogram store is used as `store`, anything else is ignored.
   */
  readonly core?: object;
}

/**
 * A latency histogram: exact count, sum, min and max, and quantiles within
 * {@linkcode HISTOGRAM_RELATIVE_ERROR}, in fixed memory.
 *
 * @example Request latencies
 * ```ts
 * import { Histogram } from "@beamlet/beamlet/metrics";
 *
 * const latency = new Histogram();
 * for (const ms of [12, 15, 11, 240, 13]) latency.record(ms);
 * console.log(latency.count, latency.max);   // 5 240
 * console.log(latency.quantile(0.5));        // about 13
 * console.log(latency.countAtOrBelow(100));  // 4
 * latency.free();
 * ```
 *
 * @example Merging per-worker histograms (they share a store)
 * ```ts
 * import { Histogram } from "@beamlet/beamlet/metrics";
 * import { createHistogramStore } from "@beamlet/beamlet/core";
 *
 * const store = createHistogramStore();
 * const total = new Histogram({ store });
 * const shard = new Histogram({ store });
 * shard.record(3);
 * total.merge(shard);
 * shard.reset();
 * console.log(total.count, shard.count); // 1 0
 * ```
 */
export class Histogram {
  readonly #store: HistogramStore;
  #handle: number;
  readonly #token = {};

  /**
   * Creates an empty histogram in `options.store`, or in a store of its own
   * (a `ReferenceHistogramStore`).
   *
   * @throws {CoreError} when the store has no room (Limit, OutOfMemory).
   * @throws {TypeError} when `store` is not a histogram store.
   */
  constructor(options: HistogramOptions = {}) {
    this.#store = storeOption(options ?? {}, "Histogram") ?? new ReferenceHistogramStore();
    const handle = this.#store.histogramCreate();
    if (handle < 0) throw new CoreError(handle, "histogramCreate");
    this.#handle = handle;
    orphanRegistry()?.register(this, { store: this.#store, handle }, this.#token);
  }

  /**
   * Records a sample: true, or false for NaN, negative, infinite or
   * non-number values (counted in {@linkcode Histogram.invalid}). Never throws
   * except after `free()`.
   */
  record(value: number): boolean {
    const handle = this.#live("record");
    return this.#store.histogramRecord(handle, typeof value === "number" ? value : NaN) === 0;
  }

  /** Samples recorded. */
  get count(): number {
    return this.#stat(HistogramStat.Count, "count");
  }

  /** Sum of the samples. */
  get sum(): number {
    return this.#stat(HistogramStat.Sum, "sum");
  }

  /** Smallest sample, exact; NaN when empty. */
  get min(): number {
    return this.#stat(HistogramStat.Min, "min");
  }

  /** Largest sample, exact; NaN when empty. */
  get max(): number {
    return this.#stat(HistogramStat.Max, "max");
  }

  /** Values `record` refused. */
  get invalid(): number {
    return this.#stat(HistogramStat.Invalid, "invalid");
  }

  /**
   * The nearest-rank `q`-quantile (the `ceil(q * count)`-th smallest sample)
   * within {@linkcode HISTOGRAM_RELATIVE_ERROR}; exact min at 0 and max at 1;
   * NaN when empty.
   *
   * @throws {RangeError} unless `0 <= q <= 1`.
   */
  quantile(q: number): number {
    const handle = this.#live("quantile");
    if (typeof q !== "number" || !(q >= 0 && q <= 1)) {
      throw new RangeError(`Histogram.quantile: q must be a number in [0, 1], got ${String(q)}`);
    }
    return this.#store.histogramQuantile(handle, q);
  }

  /**
   * Samples `<= bound`, at bucket resolution: exact below `min` and from `max`
   * up; otherwise every sample in `bound`'s bucket counts, so it may include
   * samples up to 1/64 above `bound` (it rounds up).
   *
   * @throws {RangeError} when `bound` is NaN or not a number.
   */
  countAtOrBelow(bound: number): number {
    const handle = this.#live("countAtOrBelow");
    if (typeof bound !== "number" || Number.isNaN(bound)) {
      throw new RangeError(
        `Histogram.countAtOrBelow: bound must be a number, got ${String(bound)}`,
      );
    }
    return this.#store.histogramCountAtOrBelow(handle, bound);
  }

  /**
   * Adds every sample of `other` (and its invalid count) into this one;
   * `other` is unchanged (merging a histogram into itself doubles it).
   *
   * @throws {HistogramFreedError} when either histogram was freed.
   * @throws {TypeError} when `other` lives in another store.
   */
  merge(other: Histogram): void {
    const handle = this.#live("merge");
    const source = other.#live("merge");
    if (other.#store !== this.#store) {
      throw new TypeError("Histogram.merge: both histograms must live in the same store");
    }
    this.#store.histogramMerge(handle, source);
  }

  /** Forgets every sample and the invalid count. */
  reset(): void {
    this.#store.histogramReset(this.#live("reset"));
  }

  /** Releases the histogram's memory; any later use (a second `free()` included) throws {@linkcode HistogramFreedError}. */
  free(): void {
    const handle = this.#live("free");
    this.#handle = -1;
    orphans?.unregister(this.#token);
    this.#store.histogramFree(handle);
  }

  #live(operation: string): number {
    if (this.#handle < 0) throw new HistogramFreedError(operation);
    return this.#handle;
  }

  #stat(field: number, operation: string): number {
    return this.#store.histogramStat(this.#live(operation), field);
  }
}
