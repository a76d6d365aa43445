/**
 * Plain data of every series a `Metrics` holds, as `Metrics.snapshot()`
 * answers it: what the reporters format and what a dashboard can serve as
 * JSON (`NaN` serializes as `null`).
 *
 * @module
 */

import type { TelemetryEvent } from "../telemetry/types.ts";
import type { MetricType, ReporterOptions } from "./types.ts";
import type { MetricUnit } from "./units.ts";

/**
 * One series of a counter, sum or lastValue: its tags and its value.
 *
 * @example
 * ```ts
 * import type { ScalarSeries } from "@beamlet/beamlet/metrics";
 *
 * const series: ScalarSeries = { tags: { server: "cache" }, value: 42 };
 * ```
 */
export interface ScalarSeries {
  /** Tag name → tag value (stringified, bounded). */
  readonly tags: Readonly<Record<string, string>>;
  /** The count, sum or last value. */
  readonly value: number;
}

/**
 * One quantile of a histogram series.
 *
 * @example
 * ```ts
 * import type { QuantileValue } from "@beamlet/beamlet/metrics";
 *
 * const p99: QuantileValue = { quantile: 0.99, value: 12.5 };
 * ```
 */
export interface QuantileValue {
  /** In `[0, 1]`. */
  readonly quantile: number;
  /** Nearest-rank estimate within 1 % relative error; `NaN` when empty. */
  readonly value: number;
}

/**
 * One cumulative histogram bucket: how many samples were at most `le`, at
 * the histogram's resolution (1 % relative error around the bound). The
 * `+Inf` bucket is implicit: it holds `count`.
 *
 * @example
 * ```ts
 * import type { BucketCount } from "@beamlet/beamlet/metrics";
 *
 * const bucket: BucketCount = { le: 0.005, count: 17 };
 * ```
 */
export interface BucketCount {
  /** Upper bound, in the metric's unit. */
  readonly le: number;
  /** Samples at or below `le`. */
  readonly count: number;
}

/**
 * One series of a summary or distribution.
 *
 * @example
 * ```ts
 * import type { HistogramSeries } from "@beamlet/beamlet/metrics";
 *
 * const series: HistogramSeries = {
 *   tags: {},
 *   count: 2,
 *   sum: 3,
 *   min: 1,
 *   max: 2,
 *   quantiles: [{ quantile: 0.5, value: 1 }],
 *   buckets: [{ le: 1, count: 1 }, { le: 5, count: 2 }],
 * };
 * ```
 */
export interface HistogramSeries {
  /** Tag name → tag value (stringified, bounded). */
  readonly tags: Readonly<Record<string, string>>;
  /** Samples recorded. */
  readonly count: number;
  /** Sum of the samples. */
  readonly sum: number;
  /** Smallest sample; `NaN` when empty. */
  readonly min: number;
  /** Largest sample; `NaN` when empty. */
  readonly max: number;
  /** The metric's quantiles, in order. */
  readonly quantiles: readonly QuantileValue[];
  /** Cumulative counts at the metric's buckets (empty when it has none). */
  readonly buckets: readonly BucketCount[];
}

/**
 * One metric and all its series.
 *
 * @example Reading a snapshot
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { counter, Metrics } from "@beamlet/beamlet/metrics";
 *
 * const telemetry = new Telemetry();
 * const metrics = new Metrics(telemetry, [counter("app.job.stop.count")]);
 * telemetry.execute(["app", "job", "stop"], { duration: 3 });
 * const [jobs] = metrics.snapshot();
 * console.log(jobs.name, jobs.series); // "app.job.stop.count" [{ tags: {}, value: 1 }]
 * ```
 */
export interface MetricSnapshot {
  /** The dotted name. */
  readonly name: string;
  /** The aggregation. */
  readonly type: MetricType;
  /** The event listened to. */
  readonly event: TelemetryEvent;
  /** The reported unit, if any. */
  readonly unit: MetricUnit | undefined;
  /** The description, if any. */
  readonly description: string | undefined;
  /** Tag names. */
  readonly tags: readonly string[];
  /** Reporter options (buckets, quantiles, ...). */
  readonly reporterOptions: ReporterOptions;
  /** Samples skipped: missing or non-numeric measurement, bad tag value, a callback that threw. */
  readonly skipped: number;
  /** Samples folded into the overflow series once `maxSeries` was reached. */
  readonly overflowed: number;
  /** Series, in creation order; the overflow series (tags `"__other__"`) last. */
  readonly series: readonly (ScalarSeries | HistogramSeries)[];
}

/**
 * What reporters read: anything with a `snapshot()`, such as a `Metrics`.
 *
 * @example A fixed source for a test
 * ```ts
 * import { prometheusText, type SnapshotSource } from "@beamlet/beamlet/metrics";
 *
 * const empty: SnapshotSource = { snapshot: () => [] };
 * console.log(prometheusText(empty, { selfMetrics: false })); // ""
 * ```
 */
export interface SnapshotSource {
  /** The current series of every metric. */
  snapshot(): readonly MetricSnapshot[];
}
