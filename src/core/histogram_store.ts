/**
 * The histogram store contract: log-linear latency histograms in fixed
 * memory, named by integer handles.
 *
 * A store is separate from the scheduler {@linkcode Core}: metrics depend on
 * a store only, and each store owns its histograms (no store is shared behind
 * the caller's back). Two implementations follow the contract exactly — the
 * WebAssembly store compiled from `core/histogram_store.ts` and the
 * TypeScript {@linkcode ReferenceHistogramStore} (the model for property
 * tests and the fallback where WebAssembly cannot be compiled from bytes);
 * a differential property test holds them to the same numbers. A WebAssembly
 * store may share a `WebAssembly.Memory` with scheduler cores and other stores
 * (see {@linkcode createCoreMemory}).
 *
 * Log-linear (HdrHistogram-style) histograms of values `>= 0`, in fixed
 * memory: {@linkcode HISTOGRAM_BYTES} per histogram whatever it records. Each
 * power of two in `2^-20 .. 2^43` ({@linkcode HISTOGRAM_LOWEST} ..
 * {@linkcode HISTOGRAM_HIGHEST}) is split into 64 equal sub-buckets; values
 * below 2^-20 (zero included) share one underflow bucket and values at or
 * above 2^43 are counted in the top bucket. A bucket is at most 1/64 of its
 * lower bound wide, so a reported quantile (its bucket's midpoint, clamped to
 * `[min, max]`) is within 1/128 (0.78%, `HISTOGRAM_RELATIVE_ERROR`) of the
 * exact value for samples in range. Count, sum (an f64), min, max and the
 * invalid count are exact.
 *
 * Handles are positive `i32`s with generations, like actor ids: a 16-bit
 * index ({@linkcode MAX_HISTOGRAMS}) and a 15-bit generation in `1..32767`,
 * FIFO reuse of freed indices; a stale, freed or unknown handle returns
 * {@linkcode CoreCode.Stale} and changes nothing.
 *
 * - Bucket of `v`: from its f64 bits (exponent `e`, top 6 mantissa bits `m`):
 *   0 when `v < 2^-20`, `1 + (e + 20) * 64 + m` below 2^43, else the top bucket
 *   (4032). `-0` is recorded as `0`.
 * - `histogramRecord` checks Stale, then BadArgument for NaN, negative or
 *   infinite values (which add 1 to `Invalid`).
 * - `histogramQuantile(h, q)`: Stale, then BadArgument unless `0 <= q <= 1`;
 *   NaN when empty. With `rank = max(1, ceil(q * count))`: rank 1 gives min,
 *   `rank >= count` gives max, else the midpoint `2^e (129 + 2m) / 128` of the
 *   first bucket (in value order) whose cumulative count reaches `rank`
 *   (`2^-21` for the underflow bucket), clamped to `[min, max]`.
 * - `histogramCountAtOrBelow(h, x)`: Stale, then BadArgument for NaN; 0 when
 *   `x < min` (or empty), `count` when `x >= max`, else the cumulative count
 *   through x's bucket — it rounds up, counting that bucket's samples above x.
 * - `histogramMerge(target, source)` adds counts, sum, invalid, min and max
 *   (a histogram merged into itself doubles); Stale if either handle is.
 *
 * @module
 */

export {
  HISTOGRAM_BYTES,
  HISTOGRAM_HIGHEST,
  HISTOGRAM_LOWEST,
  HistogramStat,
  MAX_HISTOGRAMS,
} from "./_layout.ts";

/**
 * A histogram store's interface: both implementations, same numbers.
 *
 * @example Record latencies and read a quantile
 * ```ts
 * import { createHistogramStore, HistogramStat } from "@beamlet/beamlet/core";
 *
 * const store = createHistogramStore();
 * const h = store.histogramCreate();      // > 0: a handle
 * for (const ms of [12, 15, 11, 240, 13]) store.histogramRecord(h, ms);
 * console.log(store.histogramStat(h, HistogramStat.Count)); // 5
 * console.log(store.histogramQuantile(h, 0.5));             // about 13
 * store.histogramFree(h);
 * ```
 */
export interface HistogramStore {
  /** Which implementation this is. */
  readonly kind: "wasm" | "reference";

  /** Allocates an empty histogram: its handle (> 0), or Limit ({@linkcode MAX_HISTOGRAMS}) / OutOfMemory. */
  histogramCreate(): number;
  /** Frees a histogram and its memory: Ok, or Stale. */
  histogramFree(handle: number): number;
  /** Live histograms. */
  histogramCount(): number;
  /** Records a value `>= 0`: Ok, or Stale / BadArgument (NaN, negative, infinite; counted in `Invalid`). */
  histogramRecord(handle: number, value: number): number;
  /** A field ({@linkcode HistogramStat}) of a histogram, or Stale / BadArgument (unknown field). */
  histogramStat(handle: number, field: number): number;
  /** The nearest-rank `q`-quantile (`0 <= q <= 1`) at bucket resolution; NaN when empty; or Stale / BadArgument. */
  histogramQuantile(handle: number, q: number): number;
  /** Samples `<= x` at bucket resolution (rounds up within x's bucket), or Stale / BadArgument (NaN). */
  histogramCountAtOrBelow(handle: number, x: number): number;
  /** Adds every sample and the invalid count of `source` into `target`: Ok, or Stale. */
  histogramMerge(target: number, source: number): number;
  /** Forgets every sample and the invalid count: Ok, or Stale. */
  histogramReset(handle: number): number;
}
