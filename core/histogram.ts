/**
 * Log-linear latency histograms (HdrHistogram-style) in fixed memory: each
 * power of two in `2^-20 .. 2^43` is split into 64 equal sub-buckets, so a
 * bucket is at most 1/64 of its lower bound wide and its midpoint is within
 * 1/128 (0.78%) of any value in it. Values below 2^-20 (zero included) share
 * one underflow bucket; values at or above 2^43 are counted in the top
 * bucket. Count, sum, min, max and the invalid count are kept exactly.
 *
 * ```
 *  histogram block (class 15: 32768 bytes; 32328 used)
 *  ┌──────┬────────────┬─────────────────────────────────────────────────┐
 *  │    0 │ u64        │ COUNT    samples recorded                       │
 *  │    8 │ f64        │ SUM      their sum                              │
 *  │   16 │ f64        │ MIN      +Infinity while empty                  │
 *  │   24 │ f64        │ MAX      -Infinity while empty                  │
 *  │   32 │ u64        │ INVALID  refused values (NaN, < 0, Infinity)    │
 *  │   40 │ (24 bytes) │ (padding)                                       │
 *  │   64 │ u64[4033]  │ COUNTS   per bucket                             │
 *  └──────┴────────────┴─────────────────────────────────────────────────┘
 *
 *  bucket of a value v (from its f64 bits: 11-bit exponent e, top 6 mantissa bits m)
 *    v < 2^-20            → 0
 *    2^-20 <= v < 2^43    → 1 + (e + 20) * 64 + m      covers [2^e (1 + m/64), 2^e (1 + (m+1)/64))
 *    v >= 2^43            → 4032
 * ```
 *
 * Every nonzero bucket lies between the buckets of MIN and MAX, so scans,
 * merges and resets only visit that range.
 */

import {
  BAD_ARGUMENT, HISTOGRAM_BLOCK_CLASS, HISTOGRAM_BUCKETS, HISTOGRAM_MIN_EXPONENT, HISTOGRAM_OCTAVES,
  HISTOGRAM_STAT_COUNT, HISTOGRAM_STAT_INVALID, HISTOGRAM_STAT_MAX, HISTOGRAM_STAT_MIN, HISTOGRAM_STAT_SUM,
  HISTOGRAM_SUB_BITS, OK, STALE,
} from "./layout";
import { blockOf } from "./histogram_table";

const COUNT: usize = 0;
const SUM: usize = 8;
const MIN: usize = 16;
const MAX: usize = 24;
const INVALID: usize = 32;
const COUNTS: usize = 64;
/** Bytes a histogram uses. */
export const BLOCK_SIZE: usize = COUNTS + (<usize>HISTOGRAM_BUCKETS << 3);
/** Allocator class of a histogram block: 2^15 bytes. */
export const BLOCK_CLASS: i32 = HISTOGRAM_BLOCK_CLASS;

const EXPONENT_BIAS: i32 = 1023;
const MANTISSA_BITS: u64 = 52;
const SUB_MASK: u64 = (1 << HISTOGRAM_SUB_BITS) - 1;
const TOP_BUCKET: i32 = HISTOGRAM_BUCKETS - 1;
/** Midpoint of the underflow bucket [0, 2^-20). */
const UNDERFLOW_MIDPOINT: f64 = 4.76837158203125e-7;

/** Empties a fresh block. */
export function clearBlock(block: usize): void {
  memory.fill(block, 0, BLOCK_SIZE);
  store<f64>(block + MIN, Infinity);
  store<f64>(block + MAX, -Infinity);
}

/** The bucket of a value `v >= 0` (not NaN). */
// @ts-ignore: decorator
@inline function bucketOf(v: f64): i32 {
  const bits = reinterpret<u64>(v);
  const octave = (<i32>(bits >> MANTISSA_BITS) & 0x7ff) - EXPONENT_BIAS - HISTOGRAM_MIN_EXPONENT;
  if (octave < 0) return 0;
  if (octave >= HISTOGRAM_OCTAVES) return TOP_BUCKET;
  const sub = <i32>((bits >> (MANTISSA_BITS - <u64>HISTOGRAM_SUB_BITS)) & SUB_MASK);
  return 1 + (octave << HISTOGRAM_SUB_BITS) + sub;
}

/** The midpoint of a bucket: `2^e (129 + 2m) / 128`, exact. */
function midpointOf(bucket: i32): f64 {
  if (bucket == 0) return UNDERFLOW_MIDPOINT;
  const octave = (bucket - 1) >> HISTOGRAM_SUB_BITS;
  const sub = (bucket - 1) & <i32>SUB_MASK;
  const scale = <u64>(octave + HISTOGRAM_MIN_EXPONENT - 7 + EXPONENT_BIAS) << MANTISSA_BITS;
  return <f64>(129 + 2 * sub) * reinterpret<f64>(scale);
}

// @ts-ignore: decorator
@inline function countAt(block: usize, bucket: i32): u64 {
  return load<u64>(block + COUNTS + (<usize>bucket << 3));
}

/** Records a value: OK, or STALE / BAD_ARGUMENT (NaN, negative or infinite: counted as invalid). */
export function histogramRecord(handle: i32, value: f64): i32 {
  const block = blockOf(handle);
  if (block == 0) return STALE;
  if (!(value >= 0 && value < Infinity)) {
    store<u64>(block + INVALID, load<u64>(block + INVALID) + 1);
    return BAD_ARGUMENT;
  }
  if (value == 0) value = 0; // -0 counts as +0
  const at = block + COUNTS + (<usize>bucketOf(value) << 3);
  store<u64>(at, load<u64>(at) + 1);
  store<u64>(block + COUNT, load<u64>(block + COUNT) + 1);
  store<f64>(block + SUM, load<f64>(block + SUM) + value);
  if (value < load<f64>(block + MIN)) store<f64>(block + MIN, value);
  if (value > load<f64>(block + MAX)) store<f64>(block + MAX, value);
  return OK;
}

/** A field of a histogram (`HistogramStat`; MIN / MAX are NaN while empty), or STALE / BAD_ARGUMENT. */
export function histogramStat(handle: i32, field: i32): f64 {
  const block = blockOf(handle);
  if (block == 0) return STALE;
  const empty = load<u64>(block + COUNT) == 0;
  switch (field) {
    case HISTOGRAM_STAT_COUNT: return <f64>load<u64>(block + COUNT);
    case HISTOGRAM_STAT_SUM: return load<f64>(block + SUM);
    case HISTOGRAM_STAT_MIN: return empty ? NaN : load<f64>(block + MIN);
    case HISTOGRAM_STAT_MAX: return empty ? NaN : load<f64>(block + MAX);
    case HISTOGRAM_STAT_INVALID: return <f64>load<u64>(block + INVALID);
  }
  return BAD_ARGUMENT;
}

/**
 * The nearest-rank quantile: the `max(1, ceil(q * count))`-th smallest sample
 * at bucket resolution (its bucket's midpoint, clamped to [min, max]); min and
 * max exactly at ranks 1 and count. NaN when empty; STALE / BAD_ARGUMENT (q
 * outside [0, 1]).
 */
export function histogramQuantile(handle: i32, q: f64): f64 {
  const block = blockOf(handle);
  if (block == 0) return STALE;
  if (!(q >= 0 && q <= 1)) return BAD_ARGUMENT;
  const count = <f64>load<u64>(block + COUNT);
  if (count == 0) return NaN;
  const low = load<f64>(block + MIN);
  const high = load<f64>(block + MAX);
  const rank = max<f64>(ceil<f64>(q * count), 1.0);
  if (rank == 1) return low;
  if (rank >= count) return high;
  const last = bucketOf(high);
  let seen: u64 = 0;
  for (let bucket = bucketOf(low); bucket < last; bucket++) {
    seen += countAt(block, bucket);
    if (<f64>seen >= rank) return min(max(midpointOf(bucket), low), high);
  }
  return min(max(midpointOf(last), low), high);
}

/**
 * Samples `<= x` at bucket resolution: exact when `x < min` (0) or `x >= max`
 * (count); otherwise every sample in x's bucket counts, so it may over-count
 * the samples above x in that one bucket (rounds up). STALE / BAD_ARGUMENT (NaN).
 */
export function histogramCountAtOrBelow(handle: i32, x: f64): f64 {
  const block = blockOf(handle);
  if (block == 0) return STALE;
  if (isNaN(x)) return BAD_ARGUMENT;
  const count = load<u64>(block + COUNT);
  if (count == 0 || x < load<f64>(block + MIN)) return 0;
  if (x >= load<f64>(block + MAX)) return <f64>count;
  const last = bucketOf(x);
  let seen: u64 = 0;
  for (let bucket = bucketOf(load<f64>(block + MIN)); bucket <= last; bucket++) {
    seen += countAt(block, bucket);
  }
  return <f64>seen;
}

/** Adds every sample (and the invalid count) of `source` into `target`: OK, or STALE. */
export function histogramMerge(target: i32, source: i32): i32 {
  const to = blockOf(target);
  const from = blockOf(source);
  if (to == 0 || from == 0) return STALE;
  store<u64>(to + INVALID, load<u64>(to + INVALID) + load<u64>(from + INVALID));
  const count = load<u64>(from + COUNT);
  if (count == 0) return OK;
  const low = load<f64>(from + MIN);
  const high = load<f64>(from + MAX);
  const last = bucketOf(high);
  for (let bucket = bucketOf(low); bucket <= last; bucket++) {
    const at = to + COUNTS + (<usize>bucket << 3);
    store<u64>(at, load<u64>(at) + countAt(from, bucket));
  }
  store<u64>(to + COUNT, load<u64>(to + COUNT) + count);
  store<f64>(to + SUM, load<f64>(to + SUM) + load<f64>(from + SUM));
  if (low < load<f64>(to + MIN)) store<f64>(to + MIN, low);
  if (high > load<f64>(to + MAX)) store<f64>(to + MAX, high);
  return OK;
}

/** Forgets every sample and the invalid count: OK, or STALE. */
export function histogramReset(handle: i32): i32 {
  const block = blockOf(handle);
  if (block == 0) return STALE;
  if (load<u64>(block + COUNT) != 0) {
    const first = bucketOf(load<f64>(block + MIN));
    const last = bucketOf(load<f64>(block + MAX));
    memory.fill(block + COUNTS + (<usize>first << 3), 0, <usize>(last - first + 1) << 3);
  }
  store<u64>(block + COUNT, 0);
  store<f64>(block + SUM, 0);
  store<f64>(block + MIN, Infinity);
  store<f64>(block + MAX, -Infinity);
  store<u64>(block + INVALID, 0);
  return OK;
}
