/**
 * Metric definitions, after Elixir's `Telemetry.Metrics`: each function
 * describes one aggregate of one telemetry event and returns a frozen,
 * checked {@linkcode MetricDefinition}. A name `"beamlet.call.stop.duration"`
 * listens to `["beamlet", "call", "stop"]` and reads the `duration`
 * measurement; the `event` and `measurement` options override either part.
 *
 * Every option is checked here, at definition time: a malformed name throws
 * `InvalidMetricNameError`, an unknown unit `InvalidUnitError`, bad buckets
 * `InvalidBucketsError`, anything else `MetricDefinitionError`.
 *
 * @module
 */

import type { MetricDefinition, MetricOptions } from "./types.ts";
import { define } from "./_define.ts";

/**
 * Counts events (the measurement is not read).
 *
 * @example Calls per server
 * ```ts
 * import { counter } from "@beamlet/beamlet/metrics";
 *
 * const calls = counter("beamlet.call.stop.count", { tags: ["server"] });
 * console.log(calls.event); // ["beamlet", "call", "stop"]
 * ```
 */
export function counter(name: string, options?: MetricOptions): MetricDefinition {
  return define("counter", name, options);
}

/**
 * Sums a measurement over all events.
 *
 * @example Bytes received
 * ```ts
 * import { sum } from "@beamlet/beamlet/metrics";
 *
 * const received = sum("app.socket.receive.bytes", { unit: "byte" });
 * console.log(received.measurement); // "bytes"
 * ```
 */
export function sum(name: string, options?: MetricOptions): MetricDefinition {
  return define("sum", name, options);
}

/**
 * Keeps the latest value of a measurement (a gauge).
 *
 * @example Mailbox length
 * ```ts
 * import { lastValue } from "@beamlet/beamlet/metrics";
 *
 * const queued = lastValue("beamlet.mailbox.length", { tags: ["pid"] });
 * console.log(queued.type); // "lastValue"
 * ```
 */
export function lastValue(name: string, options?: MetricOptions): MetricDefinition {
  return define("lastValue", name, options);
}

/**
 * Count, sum and quantiles (default 0.5, 0.9, 0.99) of a measurement, held in
 * a fixed-memory histogram (quantiles within 1 % relative error).
 *
 * @example Query time quantiles
 * ```ts
 * import { summary } from "@beamlet/beamlet/metrics";
 *
 * const queries = summary("app.repo.query.total_time", {
 *   unit: { from: "millisecond", to: "second" },
 *   reporterOptions: { quantiles: [0.5, 0.95, 0.999] },
 * });
 * console.log(queries.reporterOptions.quantiles); // [0.5, 0.95, 0.999]
 * ```
 */
export function summary(name: string, options?: MetricOptions): MetricDefinition {
  return define("summary", name, options);
}

/**
 * Count, sum and bucket counts of a measurement (a Prometheus histogram).
 * Buckets default to a latency set in the metric's unit.
 *
 * @example Call latency in milliseconds
 * ```ts
 * import { distribution } from "@beamlet/beamlet/metrics";
 *
 * const latency = distribution("beamlet.call.stop.duration", {
 *   unit: "millisecond",
 *   reporterOptions: { buckets: [0.5, 1, 5, 10, 50, 100] },
 * });
 * console.log(latency.reporterOptions.buckets?.length); // 6
 * ```
 */
export function distribution(name: string, options?: MetricOptions): MetricDefinition {
  return define("distribution", name, options);
}
