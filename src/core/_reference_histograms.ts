/**
 * The histograms of the reference core: generational handles (a 16-bit
 * index, generation 1..32767, FIFO reuse) naming one `Float64Array` each,
 * with the numbers of `core/histogram.ts` exactly.
 *
 * ```
 * histogram (Float64Array, HEADER + HISTOGRAM_BUCKET_COUNT entries)
 *   [0] count   [1] sum   [2] min (+Infinity while empty)   [3] max (-Infinity while empty)
 *   [4] invalid [5..7] unused
 *   [8 + bucket] samples in that bucket (exact up to 2^53, like the core's u64 read as f64)
 * ```
 *
 * @module
 */

import {
  CoreCode,
  HISTOGRAM_INDEX_BITS as INDEX_BITS,
  HISTOGRAM_MAX_GENERATION as MAX_GENERATION,
  HistogramStat,
  MAX_HISTOGRAMS,
} from "./_layout.ts";
import { bucketMidpoint, bucketOf, HISTOGRAM_BUCKET_COUNT } from "./_histogram_buckets.ts";
import { IndexPool } from "./_reference_index_pool.ts";
import { isAllocationFailure } from "./_reference_typed_arrays.ts";

const COUNT = 0;
const SUM = 1;
const MIN = 2;
const MAX = 3;
const INVALID = 4;
const COUNTS = 8;

/**
 * Every histogram of one reference core.
 *
 * @example Record and read a quantile
 * ```ts
 * import { HistogramTable } from "./_reference_histograms.ts";
 *
 * const table = new HistogramTable();
 * const h = table.create();
 * table.record(h, 12);
 * table.quantile(h, 0.5); // 12
 * ```
 */
export class HistogramTable {
  readonly #handles = new IndexPool(INDEX_BITS, MAX_GENERATION, MAX_HISTOGRAMS);
  #blocks: (Float64Array | undefined)[] = [];

  /** Live histograms. */
  get count(): number {
    return this.#handles.count;
  }

  /** Allocates an empty histogram: its handle, or Limit / OutOfMemory. */
  create(): number {
    if (this.#handles.peek() < 0) return CoreCode.Limit;
    let index: number;
    let block: Float64Array;
    try {
      block = new Float64Array(COUNTS + HISTOGRAM_BUCKET_COUNT);
      index = this.#handles.allocate();
    } catch (error) {
      if (isAllocationFailure(error)) return CoreCode.OutOfMemory;
      throw error;
    }
    block[MIN] = Infinity;
    block[MAX] = -Infinity;
    this.#blocks[index] = block;
    return this.#handles.idOf(index);
  }

  /** Frees a histogram: Ok, or Stale. */
  free(handle: number): number {
    const index = this.#handles.indexOf(handle | 0);
    if (index < 0) return CoreCode.Stale;
    this.#blocks[index] = undefined;
    this.#handles.release(index);
    return CoreCode.Ok;
  }

  /** Records a value: Ok, or Stale / BadArgument (counted as invalid). */
  record(handle: number, value: number): number {
    const block = this.#blockOf(handle);
    if (block === undefined) return CoreCode.Stale;
    value = +value;
    if (!(value >= 0 && value < Infinity)) {
      block[INVALID]++;
      return CoreCode.BadArgument;
    }
    if (value === 0) value = 0; // -0 counts as +0
    block[COUNTS + bucketOf(value)]++;
    block[COUNT]++;
    block[SUM] += value;
    if (value < block[MIN]) block[MIN] = value;
    if (value > block[MAX]) block[MAX] = value;
    return CoreCode.Ok;
  }

  /** A `HistogramStat` field, or Stale / BadArgument. */
  stat(handle: number, field: number): number {
    const block = this.#blockOf(handle);
    if (block === undefined) return CoreCode.Stale;
    const empty = block[COUNT] === 0;
    switch (field | 0) {
      case HistogramStat.Count:
        return block[COUNT];
      case HistogramStat.Sum:
        return block[SUM];
      case HistogramStat.Min:
        return empty ? NaN : block[MIN];
      case HistogramStat.Max:
        return empty ? NaN : block[MAX];
      case HistogramStat.Invalid:
        return block[INVALID];
      default:
        return CoreCode.BadArgument;
    }
  }

  /** The nearest-rank quantile at bucket resolution (NaN when empty), or Stale / BadArgument. */
  quantile(handle: number, q: number): number {
    const block = this.#blockOf(handle);
    if (block === undefined) return CoreCode.Stale;
    q = +q;
    if (!(q >= 0 && q <= 1)) return CoreCode.BadArgument;
    const count = block[COUNT];
    if (count === 0) return NaN;
    const low = block[MIN];
    const high = block[MAX];
    const rank = Math.max(Math.ceil(q * count), 1);
    if (rank === 1) return low;
    if (rank >= count) return high;
    const last = bucketOf(high);
    let seen = 0;
    for (let bucket = bucketOf(low); bucket < last; bucket++) {
      seen += block[COUNTS + bucket];
      if (seen >= rank) return clamp(bucketMidpoint(bucket), low, high);
    }
    return clamp(bucketMidpoint(last), low, high);
  }

  /** Samples <= x at bucket resolution (rounding up within x's bucket), or Stale / BadArgument. */
  countAtOrBelow(handle: number, x: number): number {
    const block = this.#blockOf(handle);
    if (block === undefined) return CoreCode.Stale;
    x = +x;
    if (Number.isNaN(x)) return CoreCode.BadArgument;
    const count = block[COUNT];
    if (count === 0 || x < block[MIN]) return 0;
    if (x >= block[MAX]) return count;
    const last = bucketOf(x);
    let seen = 0;
    for (let bucket = bucketOf(block[MIN]); bucket <= last; bucket++) {
      seen += block[COUNTS + bucket];
    }
    return seen;
  }

  /** Adds `source` into `target`: Ok, or Stale. */
  merge(target: number, source: number): number {
    const to = this.#blockOf(target);
    const from = this.#blockOf(source);
    if (to === undefined || from === undefined) return CoreCode.Stale;
    to[INVALID] += from[INVALID];
    const count = from[COUNT];
    if (count === 0) return CoreCode.Ok;
    const low = from[MIN];
    const high = from[MAX];
    const last = bucketOf(high);
    for (let bucket = bucketOf(low); bucket <= last; bucket++) {
      to[COUNTS + bucket] += from[COUNTS + bucket];
    }
    to[COUNT] += count;
    to[SUM] += from[SUM];
    if (low < to[MIN]) to[MIN] = low;
    if (high > to[MAX]) to[MAX] = high;
    return CoreCode.Ok;
  }

  /** Empties a histogram: Ok, or Stale. */
  reset(handle: number): number {
    const block = this.#blockOf(handle);
    if (block === undefined) return CoreCode.Stale;
    block.fill(0);
    block[MIN] = Infinity;
    block[MAX] = -Infinity;
    return CoreCode.Ok;
  }

  #blockOf(handle: number): Float64Array | undefined {
    const index = this.#handles.indexOf(handle | 0);
    return index < 0 ? undefined : this.#blocks[index];
  }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
