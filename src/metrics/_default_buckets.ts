/**
 * Default histogram buckets and quantiles. Bounds are kept as integers in the
 * kind's smallest unit and divided once, so they come out as the same doubles
 * as their decimal literals (`0.25`, not `0.25000000000000006`).
 *
 * @module
 */

import type { MetricUnit } from "./units.ts";
import { applyScale, scaleBetween } from "./_units.ts";

/** 100 µs to 10 s, 1-2.5-5 per decade: an actor call is sub-millisecond, a request is not. */
const LATENCY_NANOSECONDS = [
  100_000,
  250_000,
  500_000,
  1_000_000,
  2_500_000,
  5_000_000,
  10_000_000,
  25_000_000,
  50_000_000,
  100_000_000,
  250_000_000,
  500_000_000,
  1_000_000_000,
  2_500_000_000,
  5_000_000_000,
  10_000_000_000,
];

/** 64 B to 64 MiB, ×4 a step. */
const SIZE_BYTES = [
  64,
  256,
  1024,
  4096,
  16_384,
  65_536,
  262_144,
  1_048_576,
  4_194_304,
  16_777_216,
  67_108_864,
];

/** 1 to 10 000, 1-2.5-5 per decade. */
const UNITLESS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

/** Default quantiles of summaries and distributions. */
export const DEFAULT_QUANTILES: readonly number[] = Object.freeze([0.5, 0.9, 0.99]);

/** The default buckets of a distribution reported in `unit`. */
export function defaultBuckets(unit: MetricUnit | undefined): readonly number[] {
  if (unit === undefined) return Object.freeze([...UNITLESS]);
  const time = scaleBetween("nanosecond", unit);
  const [bounds, scale] = time !== undefined
    ? [LATENCY_NANOSECONDS, time]
    : [SIZE_BYTES, scaleBetween("byte", unit)!];
  return Object.freeze(bounds.map((bound) => applyScale(bound, scale)));
}
