/**
 * The bucket arithmetic of the core's log-linear histograms, in TypeScript,
 * bit for bit the same as `core/histogram.ts`.
 *
 * ```
 * bucket of v >= 0, from its f64 bits (11-bit exponent e, top 6 mantissa bits m):
 *   v < 2^-20           → 0                          (underflow, zero included)
 *   2^-20 <= v < 2^43   → 1 + (e + 20) * 64 + m      [2^e (1 + m/64), 2^e (1 + (m+1)/64))
 *   v >= 2^43           → HISTOGRAM_BUCKET_COUNT - 1 (top)
 * midpoint of bucket 1 + (e + 20) * 64 + m  =  2^e (129 + 2m) / 128   (exact in an f64)
 * ```
 *
 * @module
 */

import {
  HISTOGRAM_BUCKETS,
  HISTOGRAM_MIN_EXPONENT as MIN_EXPONENT,
  HISTOGRAM_OCTAVES as OCTAVES,
  HISTOGRAM_SUB_BITS as SUB_BITS,
} from "./_layout.ts";

const SUB_MASK = (1 << SUB_BITS) - 1;
const EXPONENT_BIAS = 1023;

/** Buckets per histogram: the underflow bucket, then 63 x 64 (from `core/layout.json`). */
export const HISTOGRAM_BUCKET_COUNT: number = HISTOGRAM_BUCKETS;
const TOP_BUCKET = HISTOGRAM_BUCKET_COUNT - 1;

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** Index of the word holding the sign, exponent and top mantissa bits. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** `2^k` for an integer k in the normal range, built from its bits (exact). */
function pow2(k: number): number {
  words[HIGH_WORD] = (k + EXPONENT_BIAS) << 20;
  words[1 - HIGH_WORD] = 0;
  return scratch[0];
}

/** Midpoint of every bucket, precomputed: `2^-21` for the underflow bucket. */
const MIDPOINTS: Float64Array = (() => {
  const midpoints = new Float64Array(HISTOGRAM_BUCKET_COUNT);
  midpoints[0] = pow2(MIN_EXPONENT - 1);
  for (let bucket = 1; bucket < HISTOGRAM_BUCKET_COUNT; bucket++) {
    const octave = (bucket - 1) >> SUB_BITS;
    const sub = (bucket - 1) & SUB_MASK;
    midpoints[bucket] = (129 + 2 * sub) * pow2(octave + MIN_EXPONENT - 7);
  }
  return midpoints;
})();

/**
 * The bucket of a value `v >= 0` (not NaN).
 *
 * @example Buckets of a few values
 * ```ts
 * import { bucketOf } from "./_histogram_buckets.ts";
 *
 * bucketOf(0);        // 0 (underflow)
 * bucketOf(2 ** -20); // 1
 * bucketOf(1);        // 1 + 20 * 64
 * ```
 */
export function bucketOf(v: number): number {
  scratch[0] = v;
  const high = words[HIGH_WORD];
  const octave = ((high >>> 20) & 0x7ff) - EXPONENT_BIAS - MIN_EXPONENT;
  if (octave < 0) return 0;
  if (octave >= OCTAVES) return TOP_BUCKET;
  return 1 + (octave << SUB_BITS) + ((high >>> (20 - SUB_BITS)) & SUB_MASK);
}

/**
 * The midpoint of a bucket.
 *
 * @example The bucket of 1 is [1, 1 + 1/64)
 * ```ts
 * import { bucketMidpoint, bucketOf } from "./_histogram_buckets.ts";
 *
 * bucketMidpoint(bucketOf(1)); // 1 + 1/128
 * ```
 */
export function bucketMidpoint(bucket: number): number {
  return MIDPOINTS[bucket];
}
