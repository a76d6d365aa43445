/**
 * The lexical rules of the Prometheus text exposition format 0.0.4: metric
 * names, label values, help text and sample values.
 *
 * @module
 */

import type { MetricSnapshot } from "../snapshot.ts";

/**
 * What naming and typing a family reads: a snapshot has it, and so does a
 * `MetricDefinition` (the generators and the Metrics page name metrics
 * before they have values).
 */
export type MetricShape = Pick<MetricSnapshot, "name" | "type" | "unit" | "reporterOptions">;
import { baseUnit, type Scale, scaleBetween } from "../_units.ts";

/** The exposition name of a metric, with its base-unit and `_total` suffixes. */
export function familyName(metric: MetricShape, prefix: string): string {
  let name = sanitizeName(prefix + metric.name.replaceAll(".", "_"));
  if (metric.unit !== undefined && metric.type !== "counter") {
    const suffix = "_" + baseUnit(metric.unit).suffix;
    if (!name.endsWith(suffix)) name += suffix;
  }
  if (prometheusType(metric) === "counter" && !name.endsWith("_total")) name += "_total";
  return name;
}

/** The Prometheus type of a metric. */
export function prometheusType(
  metric: MetricShape,
): "counter" | "gauge" | "summary" | "histogram" {
  switch (metric.type) {
    case "counter":
      return "counter";
    case "sum":
      return metric.reporterOptions.prometheusType === "counter" ? "counter" : "gauge";
    case "lastValue":
      return "gauge";
    case "summary":
      return "summary";
    case "distribution":
      return "histogram";
  }
}

/** The scale from a metric's unit to its base unit (seconds, bytes). */
export function toBaseUnit(metric: MetricSnapshot): Scale | undefined {
  if (metric.unit === undefined || metric.type === "counter") return undefined;
  return scaleBetween(metric.unit, baseUnit(metric.unit).unit);
}

/**
 * A valid metric name (`[a-zA-Z_][a-zA-Z0-9_]*`): anything else becomes `_`
 * (`:` too, reserved for recording rules), and a leading digit gets a `_`.
 */
export function sanitizeName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_]/g, "_");
  return /^[0-9]/.test(clean) || clean.length === 0 ? "_" + clean : clean;
}

/** A label value between double quotes: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
    : value;
}

/** Help text: backslash and newline escaped. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value or a float label value (`le`, `quantile`): `NaN`, `+Inf`, `-Inf` or a number. */
export function formatNumber(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return Number.isNaN(value) ? "NaN" : String(value);
}

/** `{a="x",b="y"}` from tags and an optional extra label, or `""` when there is none. */
export function labels(
  tags: Readonly<Record<string, string>>,
  extraName?: string,
  extraValue?: string,
): string {
  let text = "";
  for (const name in tags) {
    text += (text.length === 0 ? "" : ",") + name + '="' + escapeLabelValue(tags[name]) + '"';
  }
  if (extraName !== undefined) {
    text += (text.length === 0 ? "" : ",") + extraName + '="' + extraValue + '"';
  }
  return text.length === 0 ? "" : "{" + text + "}";
}
