/**
 * Metrics over telemetry events, after Elixir's `Telemetry.Metrics`: define
 * counters, sums, last values, summaries and distributions of events,
 * aggregate them with {@linkcode Metrics}, and report them as Prometheus
 * text, StatsD lines or console logs. Summaries and distributions stand on
 * {@linkcode Histogram}, a fixed-memory log-linear histogram in the core.
 * `beamletMetrics()` is a ready set over the runtime's built-in events.
 *
 * @example Prometheus text of a system's call latencies
 * ```ts
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import { beamletMetrics, Metrics, prometheusText } from "@beamlet/beamlet/metrics";
 *
 * const system = new System();
 * using metrics = new Metrics(system, beamletMetrics());
 * const echo = await system.start({
 *   init: () => ok(null),
 *   handleCall: (request: string, _from, state: null) => reply(request, state),
 * });
 * await system.call(echo, "hi");
 * console.log(prometheusText(metrics).includes("beamlet_call_stop_duration")); // true
 * system.shutdown();
 * ```
 *
 * @module
 */

export { counter, distribution, lastValue, sum, summary } from "./src/metrics/definitions.ts";
export type {
  MeasurementSource,
  MetricDefinition,
  MetricOptions,
  MetricType,
  ReporterOptions,
} from "./src/metrics/types.ts";
export {
  type ByteUnit,
  METRIC_UNITS,
  type MetricUnit,
  type TimeUnit,
  type UnitConversion,
} from "./src/metrics/units.ts";
export {
  DuplicateMetricError,
  InvalidBucketsError,
  InvalidMetricNameError,
  InvalidUnitError,
  MetricDefinitionError,
} from "./src/metrics/errors.ts";
export {
  type MetricReading,
  type MetricReadOptions,
  Metrics,
  type MetricsOptions,
  type MetricsStats,
} from "./src/metrics/metrics.ts";
export type {
  BucketCount,
  HistogramSeries,
  MetricSnapshot,
  QuantileValue,
  ScalarSeries,
  SnapshotSource,
} from "./src/metrics/snapshot.ts";
export {
  Histogram,
  HISTOGRAM_RELATIVE_ERROR,
  type HistogramOptions,
} from "./src/metrics/histogram.ts";
export { HistogramFreedError } from "./src/metrics/histogram_errors.ts";
export {
  PROMETHEUS_CONTENT_TYPE,
  type PrometheusOptions,
  prometheusText,
} from "./src/metrics/reporters/prometheus.ts";
export {
  type StatsdOptions,
  StatsdReporter,
  type StatsdStats,
} from "./src/metrics/reporters/statsd.ts";
export type { StatsdFormat } from "./src/metrics/reporters/statsd_line.ts";
export { ConsoleReporter, type ConsoleReporterOptions } from "./src/metrics/reporters/console.ts";
export { beamletMetrics } from "./src/metrics/beamlet_metrics.ts";
