/**
 * Formats metrics in the Prometheus text exposition format 0.0.4, for a
 * `/metrics` endpoint.
 *
 * @module
 */

import type { HistogramSeries, MetricSnapshot, SnapshotSource } from "../snapshot.ts";
import { applyScale, type Scale } from "../_units.ts";
import {
  escapeHelp,
  familyName,
  formatNumber,
  labels,
  prometheusType,
  sanitizeName,
  toBaseUnit,
} from "./_prometheus_format.ts";

/**
 * The `Content-Type` of {@linkcode prometheusText}'s output.
 *
 * @example Serving /metrics
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { Metrics, PROMETHEUS_CONTENT_TYPE, prometheusText } from "@beamlet/beamlet/metrics";
 *
 * const metrics = new Metrics(new Telemetry(), []);
 * const response = new Response(prometheusText(metrics), {
 *   headers: { "content-type": PROMETHEUS_CONTENT_TYPE },
 * });
 * console.log(response.headers.get("content-type")); // "text/plain; version=0.0.4; charset=utf-8"
 * ```
 */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Options of {@linkcode prometheusText}.
 *
 * @example
 * ```ts
 * import type { PrometheusOptions } from "@beamlet/beamlet/metrics";
 *
 * const options: PrometheusOptions = { namespace: "shop", selfMetrics: false };
 * ```
 */
export interface PrometheusOptions {
  /** Prepended to every metric name with `_` (`"shop"` → `shop_beamlet_call_...`). */
  readonly namespace?: string;
  /**
   * Also expose `beamlet_metrics_skipped_samples_total{metric}` (every
   * metric) and `beamlet_metrics_series_overflow_total{metric}` (tagged
   * metrics). Default `true`.
   */
  readonly selfMetrics?: boolean;
}

/**
 * Formats every series of `source` (a `Metrics`, or any snapshot source) in
 * the Prometheus text exposition format 0.0.4:
 *
 * - names: dots and invalid characters become `_`; a metric with a unit is
 *   exposed in its base unit, `_seconds` or `_bytes` (values, quantiles and
 *   bucket bounds converted), as Prometheus asks; counters end in `_total`;
 * - `counter` → counter, `sum` → gauge (counter with
 *   `reporterOptions.prometheusType: "counter"`), `lastValue` → gauge,
 *   `summary` → summary (`quantile` labels, `_sum`, `_count`; quantiles over
 *   all samples since start), `distribution` → histogram (cumulative
 *   `_bucket{le}` up to `le="+Inf"`, `_sum`, `_count`);
 * - `# HELP` (the description, or a generated one) and `# TYPE` per family;
 *   help text and label values escaped.
 *
 * A metric with no series yet is left out. If two metrics map to one name,
 * the later is left out with a `#` comment line saying so.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { counter, Metrics, prometheusText } from "@beamlet/beamlet/metrics";
 *
 * const telemetry = new Telemetry();
 * const metrics = new Metrics(telemetry, [counter("beamlet.cast.count", { tags: ["server"] })]);
 * telemetry.execute(["beamlet", "cast"], {}, { server: 'say "hi"' });
 * console.log(prometheusText(metrics, { selfMetrics: false }));
 * // # HELP beamlet_cast_count_total counter of event beamlet.cast
 * // # TYPE beamlet_cast_count_total counter
 * // beamlet_cast_count_total{server="say \"hi\""} 1
 * ```
 */
export function prometheusText(source: SnapshotSource, options: PrometheusOptions = {}): string {
  const snapshot = source.snapshot();
  const prefix = options.namespace === undefined || options.namespace === ""
    ? ""
    : sanitizeName(options.namespace) + "_";
  const used = new Set<string>();
  let text = "";
  for (const metric of snapshot) {
    if (metric.series.length === 0) continue;
    const name = familyName(metric, prefix);
    const reserved = reservedNames(name, metric);
    if (reserved.some((n) => used.has(n))) {
      text += `# beamlet: skipped metric ${JSON.stringify(metric.name)}: ` +
        `exposition name ${name} is taken\n`;
      continue;
    }
    for (const n of reserved) used.add(n);
    text += family(name, metric);
  }
  if (options.selfMetrics ?? true) text += selfMetrics(snapshot, prefix, used);
  return text;
}

function reservedNames(name: string, metric: MetricSnapshot): string[] {
  switch (metric.type) {
    case "summary":
      return [name, name + "_sum", name + "_count"];
    case "distribution":
      return [name, name + "_bucket", name + "_sum", name + "_count"];
    default:
      return [name];
  }
}

function family(name: string, metric: MetricSnapshot): string {
  const type = prometheusType(metric);
  const help = metric.description || defaultHelp(metric); // promtool refuses an empty help
  let text = `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
  const scale = toBaseUnit(metric);
  for (const series of metric.series) {
    if (!("count" in series)) {
      text += name + labels(series.tags) + " " + formatNumber(scaled(series.value, scale)) + "\n";
    } else if (type === "summary") {
      text += summaryLines(name, series, scale);
    } else {
      text += histogramLines(name, series, scale);
    }
  }
  return text;
}

function summaryLines(name: string, series: HistogramSeries, scale: Scale | undefined): string {
  let text = "";
  for (const { quantile, value } of series.quantiles) {
    text += name + labels(series.tags, "quantile", formatNumber(quantile)) + " " +
      formatNumber(scaled(value, scale)) + "\n";
  }
  return text + sumAndCount(name, series, scale);
}

function histogramLines(name: string, series: HistogramSeries, scale: Scale | undefined): string {
  let text = "";
  const bucket = name + "_bucket";
  // Cumulative and monotonic even if a bound rounds up to a coarser bucket.
  let previous = 0;
  for (const { le, count } of series.buckets) {
    previous = Math.min(Math.max(previous, count), series.count);
    text += bucket + labels(series.tags, "le", formatNumber(scaled(le, scale))) + " " +
      formatNumber(previous) + "\n";
  }
  text += bucket + labels(series.tags, "le", "+Inf") + " " + formatNumber(series.count) + "\n";
  return text + sumAndCount(name, series, scale);
}

function sumAndCount(name: string, series: HistogramSeries, scale: Scale | undefined): string {
  const tags = labels(series.tags);
  return name + "_sum" + tags + " " + formatNumber(scaled(series.sum, scale)) + "\n" +
    name + "_count" + tags + " " + formatNumber(series.count) + "\n";
}

function selfMetrics(
  snapshot: readonly MetricSnapshot[],
  prefix: string,
  used: Set<string>,
): string {
  let skipped = "";
  let overflow = "";
  for (const metric of snapshot) {
    const tags = { metric: metric.name };
    skipped += `${prefix}beamlet_metrics_skipped_samples_total${labels(tags)} ${metric.skipped}\n`;
    if (metric.tags.length > 0) {
      overflow += `${prefix}beamlet_metrics_series_overflow_total${
        labels(tags)
      } ${metric.overflowed}\n`;
    }
  }
  return selfFamily(
    `${prefix}beamlet_metrics_skipped_samples_total`,
    "Samples a metric skipped: missing or non-numeric measurement, bad tag value, failed callback.",
    skipped,
    used,
  ) + selfFamily(
    `${prefix}beamlet_metrics_series_overflow_total`,
    'Samples folded into a metric\'s overflow series (tags "__other__") after maxSeries.',
    overflow,
    used,
  );
}

function selfFamily(name: string, help: string, lines: string, used: Set<string>): string {
  if (lines.length === 0 || used.has(name)) return "";
  used.add(name);
  return `# HELP ${name} ${help}\n# TYPE ${name} counter\n${lines}`;
}

function scaled(value: number, scale: Scale | undefined): number {
  return scale === undefined ? value : applyScale(value, scale);
}

function defaultHelp(metric: MetricSnapshot): string {
  const event = metric.event.join(".");
  if (metric.type === "counter") return `counter of event ${event}`;
  const measurement = metric.name.split(".").at(-1);
  return `${metric.type} of ${measurement} of event ${event}`;
}
