/**
 * The shapes of metric definitions, after Elixir's `Telemetry.Metrics`: what
 * to aggregate (type, event, measurement), how to label it (tags) and which
 * samples to keep.
 *
 * @module
 */

import type { Measurements, Metadata, TelemetryEvent } from "../telemetry/types.ts";
import type { MetricUnit, UnitConversion } from "./units.ts";

/**
 * How a metric aggregates its samples:
 *
 * | type | aggregate | Prometheus | StatsD |
 * | --- | --- | --- | --- |
 * | `counter` | number of events | counter | `c` |
 * | `sum` | sum of the measurement | gauge (or counter) | `c` |
 * | `lastValue` | latest measurement | gauge | `g` |
 * | `summary` | count, sum, quantiles | summary | `ms` (DogStatsD `h`) |
 * | `distribution` | count, sum, buckets | histogram | `ms` (DogStatsD `d`) |
 *
 * @example
 * ```ts
 * import type { MetricType } from "@beamlet/beamlet/metrics";
 *
 * const type: MetricType = "distribution";
 * ```
 */
export type MetricType = "counter" | "sum" | "lastValue" | "summary" | "distribution";

/**
 * Reads a sample's value from an event: a measurement key, or a function of
 * the measurements and metadata. A result that is not a finite number skips
 * the sample (counted, never thrown).
 *
 * @example Bytes per message
 * ```ts
 * import { type MeasurementSource, summary } from "@beamlet/beamlet/metrics";
 *
 * const perMessage: MeasurementSource = (m) => m.bytes / m.messages;
 * const metric = summary("app.batch.stop.bytes_per_message", { measurement: perMessage });
 * console.log(typeof metric.measurement); // "function"
 * ```
 */
export type MeasurementSource =
  | string
  | ((measurements: Measurements, metadata: Metadata) => number);

/**
 * Options a reporter reads. Unknown keys are kept for third-party reporters.
 *
 * @example Latency buckets in milliseconds
 * ```ts
 * import { distribution, type ReporterOptions } from "@beamlet/beamlet/metrics";
 *
 * const reporterOptions: ReporterOptions = { buckets: [1, 5, 10, 50, 100, 500] };
 * distribution("beamlet.call.stop.duration", { unit: "millisecond", reporterOptions });
 * ```
 */
export interface ReporterOptions {
  /**
   * Histogram bucket upper bounds, in the metric's unit, strictly
   * increasing and finite (`+Inf` is implicit). Distributions only; the
   * default is a latency set for time units, a size set for byte units, and
   * a 1-2.5-5 decade set otherwise.
   */
  readonly buckets?: readonly number[];
  /**
   * Quantiles to expose, each in `[0, 1]`, strictly increasing. Default
   * `[0.5, 0.9, 0.99]`.
   */
  readonly quantiles?: readonly number[];
  /** How Prometheus exposes a `sum`: `"gauge"` (default) or `"counter"` (monotonic sums). */
  readonly prometheusType?: "gauge" | "counter";
  /** Options of other reporters. */
  readonly [option: string]: unknown;
}

/**
 * Options of the metric definition functions (`counter`, `sum`,
 * `lastValue`, `summary`, `distribution`).
 *
 * @example Call latency by server, errors dropped
 * ```ts
 * import { distribution, type MetricOptions } from "@beamlet/beamlet/metrics";
 *
 * const options: MetricOptions = {
 *   description: "GenServer call latency",
 *   unit: { from: "millisecond", to: "second" },
 *   tags: ["server"],
 *   tagValues: (meta) => ({ server: String(meta.name ?? "anonymous") }),
 *   dropIf: (meta) => meta.kind === "error",
 * };
 * distribution("beamlet.call.stop.duration", options);
 * ```
 */
export interface MetricOptions {
  /** The event to listen to; default: the name without its last segment. */
  readonly event?: TelemetryEvent;
  /** Where the value comes from; default: the last segment of the name. Ignored by counters. */
  readonly measurement?: MeasurementSource;
  /** What the metric means (Prometheus `# HELP`). */
  readonly description?: string;
  /** The unit of the measurement, or a conversion applied to it. */
  readonly unit?: MetricUnit | UnitConversion;
  /**
   * Metadata keys to label series with (after `tagValues`). Each must be a
   * valid Prometheus label name (`[A-Za-z_][A-Za-z0-9_]*`, not starting with
   * `__`); `le` is reserved for distributions and `quantile` for summaries.
   */
  readonly tags?: readonly string[];
  /** Derives the record tags are read from; default: the event's metadata. */
  readonly tagValues?: (metadata: Metadata) => Readonly<Record<string, unknown>>;
  /** Only samples for which this answers `true` are aggregated. */
  readonly keepIf?: (metadata: Metadata, measurements: Measurements) => boolean;
  /** Samples for which this answers `true` are not aggregated. */
  readonly dropIf?: (metadata: Metadata, measurements: Measurements) => boolean;
  /** Options for reporters (buckets, quantiles, ...). */
  readonly reporterOptions?: ReporterOptions;
  /**
   * The most series (tag combinations) kept; further combinations fold into
   * one overflow series whose tags are all `"__other__"`. Default: the
   * `Metrics` option, itself 1000 by default.
   */
  readonly maxSeries?: number;
}

/**
 * A checked, frozen metric definition, as the definition functions return
 * it. Hand it to a `Metrics` or a reporter.
 *
 * @example
 * ```ts
 * import { counter } from "@beamlet/beamlet/metrics";
 *
 * const metric = counter("beamlet.call.stop.count", { tags: ["server"] });
 * console.log(metric.type, metric.event, metric.tags); // "counter" ["beamlet", "call", "stop"] ["server"]
 * ```
 */
export interface MetricDefinition {
  /** How samples are aggregated. */
  readonly type: MetricType;
  /** The dotted name, as given. */
  readonly name: string;
  /** The event listened to. */
  readonly event: TelemetryEvent;
  /** Where the value comes from (ignored by counters). */
  readonly measurement: MeasurementSource;
  /** What the metric means; `undefined` if not given. */
  readonly description: string | undefined;
  /** The unit the metric is reported in; `undefined` for none. */
  readonly unit: MetricUnit | undefined;
  /** The unit measurements come in (equals `unit` without a conversion). */
  readonly measurementUnit: MetricUnit | undefined;
  /** Tag (label) names. */
  readonly tags: readonly string[];
  /** Derives the record tags are read from. */
  readonly tagValues: ((metadata: Metadata) => Readonly<Record<string, unknown>>) | undefined;
  /** `keepIf` and `dropIf` combined: keep the sample when it answers `true`. */
  readonly keep: ((metadata: Metadata, measurements: Measurements) => boolean) | undefined;
  /** Reporter options, with `buckets` (distributions) and `quantiles` filled in. */
  readonly reporterOptions: ReporterOptions;
  /** The series limit, or `undefined` for the `Metrics` default. */
  readonly maxSeries: number | undefined;
}
