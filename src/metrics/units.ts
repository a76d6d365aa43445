/**
 * The units a metric can be reported in, and conversions between them.
 *
 * @module
 */

/**
 * A unit of time. Durations from `Telemetry.span` are milliseconds.
 *
 * @example
 * ```ts
 * import type { TimeUnit } from "@beamlet/beamlet/metrics";
 *
 * const unit: TimeUnit = "millisecond";
 * ```
 */
export type TimeUnit = "nanosecond" | "microsecond" | "millisecond" | "second";

/**
 * A unit of information; as in Elixir's `Telemetry.Metrics`, a kilobyte is
 * 1024 bytes and a megabyte 1024 kilobytes.
 *
 * @example
 * ```ts
 * import type { ByteUnit } from "@beamlet/beamlet/metrics";
 *
 * const unit: ByteUnit = "kilobyte";
 * ```
 */
export type ByteUnit = "byte" | "kilobyte" | "megabyte";

/**
 * Every unit a metric knows. Anything else is refused with
 * `InvalidUnitError` when the metric is defined.
 *
 * @example
 * ```ts
 * import type { MetricUnit } from "@beamlet/beamlet/metrics";
 *
 * const units: MetricUnit[] = ["second", "byte"];
 * ```
 */
export type MetricUnit = TimeUnit | ByteUnit;

/**
 * A conversion applied to every measurement before it is aggregated: the
 * measurement is in `from`, the metric is reported in `to` (both of one
 * kind: time or bytes). As `{:native, :millisecond}` in `Telemetry.Metrics`.
 *
 * @example Reporting millisecond durations in seconds
 * ```ts
 * import { distribution, type UnitConversion } from "@beamlet/beamlet/metrics";
 *
 * const unit: UnitConversion = { from: "millisecond", to: "second" };
 * const metric = distribution("beamlet.call.stop.duration", { unit });
 * console.log(metric.unit); // "second"
 * ```
 */
export interface UnitConversion {
  /** The unit measurements come in. */
  readonly from: MetricUnit;
  /** The unit the metric is reported in. */
  readonly to: MetricUnit;
}

/**
 * Every {@linkcode MetricUnit}, time units first, smallest first.
 *
 * @example
 * ```ts
 * import { METRIC_UNITS } from "@beamlet/beamlet/metrics";
 *
 * console.log(METRIC_UNITS.includes("second")); // true
 * ```
 */
export const METRIC_UNITS: readonly MetricUnit[] = Object.freeze([
  "nanosecond",
  "microsecond",
  "millisecond",
  "second",
  "byte",
  "kilobyte",
  "megabyte",
]);
