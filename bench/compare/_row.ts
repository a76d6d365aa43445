/**
 * What one workload of the comparison reports, and the run settings every
 * workload shares.
 *
 * @module
 */

import type { BenchResult } from "../_harness.ts";

/** A median with the lowest and highest sample. */
export interface Stat {
  median: number;
  min: number;
  max: number;
}

/** What the numbers are: a rate (higher is better), bytes or milliseconds (lower is better). */
export type Unit = "ops/s" | "bytes" | "ms";

/** One row of a runtime's table. */
export interface Row {
  /** Stable id, shared with the BEAM's and the peers' rows. */
  id: string;
  /** What is measured. */
  workload: string;
  unit: Unit;
  beamlet: Stat;
  baseline: Stat;
  /** What the baseline is, when it is not the hand-written actor system. */
  baselineName?: string;
  /** The peers' numbers on this workload, by peer name. */
  peers?: Record<string, Stat>;
  /** Extra facts (a high-water mark, counts). */
  note?: string;
}

/** Samples and sizes of one run. */
export interface Settings {
  quick: boolean;
  samples: number;
  sampleMs: number;
  warmupMs: number;
}

/** `--quick`: fewer, shorter samples and smaller sizes. */
export function settings(args: readonly string[]): Settings {
  const quick = args.includes("--quick");
  return quick
    ? { quick, samples: 5, sampleMs: 60, warmupMs: 120 }
    : { quick, samples: 7, sampleMs: 120, warmupMs: 250 };
}

/** The stat of a harness result. */
export function statOf(result: BenchResult): Stat {
  return { median: result.medianOpsPerSecond, min: result.min, max: result.max };
}

/** The median, lowest and highest of `values`. */
export function statOfValues(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** The `p` quantile (0..1) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Lets timers and I/O run: a macrotask turn. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
