/**
 * A small latency histogram in fixed memory (internal), for the per-server
 * summaries: the system-wide ones use `Histogram` (32 KiB each, fine three
 * times, not three times per server).
 *
 * Layout: log-linear buckets over milliseconds — each power of two from
 * 2^-10 ms (about 1 µs) to 2^22 ms (about 70 min) split into
 * {@linkcode SUB_BUCKETS} equal sub-buckets, one underflow bucket below
 * (zero included), the top bucket taking everything above. A quantile is
 * its bucket's midpoint clamped to the exact `[min, max]`, so it is within
 * {@linkcode SKETCH_RELATIVE_ERROR} (1/16) of the exact nearest-rank
 * quantile inside that range; count, min and max are exact, and so are the
 * smallest and largest ranks.
 *
 * Several sketches share one `Uint32Array` of counts and one
 * `Float64Array` of stats (a server keeps its three in two arrays).
 *
 * @module
 */

/** Sub-buckets per power of two. */
export const SUB_BUCKETS = 8;
const MIN_EXPONENT = -10;
const OCTAVES = 32;
/** Buckets of one sketch. */
export const SKETCH_BUCKETS = 1 + OCTAVES * SUB_BUCKETS;
/** Stats of one sketch in its `Float64Array`: count, min, max. */
export const SKETCH_STATS = 3;
/** Bound on a quantile's relative error within `[2^-10, 2^22)` ms. */
export const SKETCH_RELATIVE_ERROR = 1 / (2 * SUB_BUCKETS);

const LOWEST = 2 ** MIN_EXPONENT;
const SUB_BITS = Math.log2(SUB_BUCKETS);

// A value's bucket is read from its float64 bits (exponent and the top
// mantissa bits): no Math.log2 per sample.
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Index of the high word (sign, exponent, top of the mantissa) on this host. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bucket of `value` (a finite number >= 0). */
function bucketOf(value: number): number {
  if (value < LOWEST) return 0;
  bits[0] = value;
  const high = words[HIGH];
  const exponent = ((high >>> 20) & 0x7ff) - 1023;
  if (exponent - MIN_EXPONENT >= OCTAVES) return SKETCH_BUCKETS - 1;
  const sub = (high >>> (20 - SUB_BITS)) & (SUB_BUCKETS - 1);
  return 1 + (exponent - MIN_EXPONENT) * SUB_BUCKETS + sub;
}

/** The midpoint of bucket `index` (0 for the underflow bucket). */
function midpointOf(index: number): number {
  if (index === 0) return 0;
  const i = index - 1;
  const base = 2 ** (Math.floor(i / SUB_BUCKETS) + MIN_EXPONENT);
  return base * (1 + ((i % SUB_BUCKETS) + 0.5) / SUB_BUCKETS);
}

/** Records `value` (ms) in sketch `n` of `counts` / `stats`; NaN, negative or infinite values are ignored. */
export function sketchRecord(
  counts: Uint32Array,
  stats: Float64Array,
  n: number,
  value: number,
): void {
  if (!(value >= 0) || value === Infinity) return;
  counts[n * SKETCH_BUCKETS + bucketOf(value)]++;
  const s = n * SKETCH_STATS;
  const count = stats[s]++;
  if (count === 0 || value < stats[s + 1]) stats[s + 1] = value;
  if (count === 0 || value > stats[s + 2]) stats[s + 2] = value;
}

/** Samples in sketch `n`. */
export function sketchCount(stats: Float64Array, n: number): number {
  return stats[n * SKETCH_STATS];
}

/** Sketch `n`'s exact max (NaN when empty). */
export function sketchMax(stats: Float64Array, n: number): number {
  const s = n * SKETCH_STATS;
  return stats[s] === 0 ? NaN : stats[s + 2];
}

/** The nearest-rank `q`-quantile of sketch `n` (NaN when empty). */
export function sketchQuantile(
  counts: Uint32Array,
  stats: Float64Array,
  n: number,
  q: number,
): number {
  const s = n * SKETCH_STATS;
  const count = stats[s];
  if (count === 0) return NaN;
  const min = stats[s + 1];
  const max = stats[s + 2];
  const rank = Math.max(1, Math.ceil(q * count));
  if (rank === 1) return min; // exact at both ends, as `Histogram` is
  if (rank >= count) return max;
  const offset = n * SKETCH_BUCKETS;
  let seen = 0;
  for (let i = 0; i < SKETCH_BUCKETS; i++) {
    seen += counts[offset + i];
    if (seen >= rank) {
      const mid = midpointOf(i);
      return mid < min ? min : mid > max ? max : mid;
    }
  }
  return max;
}
