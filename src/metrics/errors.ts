/**
 * Named errors of metric definitions. Every definition is checked when it is
 * made (`counter`, `sum`, ...) or when a `Metrics` is built, never while
 * events flow: a sample that cannot be aggregated is skipped and counted.
 *
 * @module
 */

/**
 * A metric definition is malformed: the base class of every definition
 * error, thrown itself for options that have no more specific error (tags,
 * predicates, quantiles, `maxSeries`, ...).
 *
 * @example Catching any definition error
 * ```ts
 * import { counter, MetricDefinitionError } from "@beamlet/beamlet/metrics";
 *
 * try {
 *   counter("beamlet.call.stop.count", { tags: ["not a label"] });
 * } catch (error) {
 *   if (error instanceof MetricDefinitionError) console.log(error.metric, error.option);
 * }
 * ```
 */
export class MetricDefinitionError extends Error {
  /** The metric's name, as given (stringified). */
  readonly metric: string;
  /** The option at fault (`"tags"`, `"keepIf"`, ...), or `"name"`. */
  readonly option: string;

  /** Built by the metric definition functions and `Metrics`. */
  constructor(metric: string, option: string, message: string, options?: ErrorOptions) {
    super(`metric ${metric}: ${message}`, options);
    this.name = "MetricDefinitionError";
    this.metric = metric;
    this.option = option;
  }
}

/**
 * A metric name is malformed: not a non-empty dotted string of non-empty
 * segments without whitespace, or a single segment with no `event` option to
 * say which event it measures.
 *
 * @example
 * ```ts
 * import { InvalidMetricNameError, sum } from "@beamlet/beamlet/metrics";
 *
 * try {
 *   sum("beamlet..bytes");
 * } catch (error) {
 *   if (error instanceof InvalidMetricNameError) console.log(error.message);
 * }
 * ```
 */
export class InvalidMetricNameError extends MetricDefinitionError {
  /** Built by the metric definition functions. */
  constructor(metric: string, message: string, options?: ErrorOptions) {
    super(metric, "name", message, options);
    this.name = "InvalidMetricNameError";
  }
}

/**
 * A unit is not one of `METRIC_UNITS`, or a conversion mixes kinds (time to
 * bytes).
 *
 * @example
 * ```ts
 * import { InvalidUnitError, lastValue } from "@beamlet/beamlet/metrics";
 *
 * try {
 *   lastValue("vm.memory.total", { unit: { from: "byte", to: "second" } });
 * } catch (error) {
 *   if (error instanceof InvalidUnitError) console.log(error.unit); // { from: "byte", to: "second" }
 * }
 * ```
 */
export class InvalidUnitError extends MetricDefinitionError {
  /** The unit option as given. */
  readonly unit: unknown;

  /** Built by the metric definition functions. */
  constructor(metric: string, unit: unknown, message: string, options?: ErrorOptions) {
    super(metric, "unit", message, options);
    this.name = "InvalidUnitError";
    this.unit = unit;
  }
}

/**
 * Histogram buckets are not a non-empty array of finite numbers in strictly
 * increasing order.
 *
 * @example
 * ```ts
 * import { distribution, InvalidBucketsError } from "@beamlet/beamlet/metrics";
 *
 * try {
 *   distribution("app.query.stop.duration", { reporterOptions: { buckets: [10, 5] } });
 * } catch (error) {
 *   if (error instanceof InvalidBucketsError) console.log(error.buckets); // [10, 5]
 * }
 * ```
 */
export class InvalidBucketsError extends MetricDefinitionError {
  /** The buckets as given. */
  readonly buckets: unknown;

  /** Built by the metric definition functions. */
  constructor(metric: string, buckets: unknown, message: string, options?: ErrorOptions) {
    super(metric, "reporterOptions.buckets", message, options);
    this.name = "InvalidBucketsError";
    this.buckets = buckets;
  }
}

/**
 * Two definitions given to one `Metrics` (or one reporter) share a name:
 * their series and their exposition would collide.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { counter, DuplicateMetricError, Metrics, sum } from "@beamlet/beamlet/metrics";
 *
 * try {
 *   new Metrics(new Telemetry(), [counter("app.job.stop.size"), sum("app.job.stop.size")]);
 * } catch (error) {
 *   if (error instanceof DuplicateMetricError) console.log(error.metric); // "app.job.stop.size"
 * }
 * ```
 */
export class DuplicateMetricError extends MetricDefinitionError {
  /** Built by `Metrics` and the reporters. */
  constructor(metric: string, options?: ErrorOptions) {
    super(metric, "name", "is defined twice", options);
    this.name = "DuplicateMetricError";
  }
}
