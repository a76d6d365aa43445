/**
 * One StatsD line per sample, as Elixir's `telemetry_metrics_statsd` writes
 * them: plain StatsD (tag values appended to the name) or DogStatsD (tags
 * after `|#`).
 *
 * @module
 */

import type { MetricDefinition } from "../types.ts";

/**
 * The StatsD dialect:
 *
 * | metric | `"standard"` | `"datadog"` |
 * | --- | --- | --- |
 * | counter | `name.tag1.tag2:1\|c` | `name:1\|c\|#tag1:a,tag2:b` |
 * | sum | `name:5\|c` | `name:5\|c` |
 * | lastValue | `name:5\|g` (a negative value is preceded by `name:0\|g`) | `name:-5\|g` |
 * | summary | `name:5\|ms` | `name:5\|h` |
 * | distribution | `name:5\|ms` | `name:5\|d` |
 *
 * @example
 * ```ts
 * import type { StatsdFormat } from "@beamlet/beamlet/metrics";
 *
 * const format: StatsdFormat = "datadog";
 * ```
 */
export type StatsdFormat = "standard" | "datadog";

/**
 * Options of {@linkcode formatStatsdLine} (the line-level part of the public
 * `StatsdOptions`).
 */
export interface StatsdLineOptions {
  /** The dialect; default `"standard"`. */
  readonly format?: StatsdFormat;
  /** Prepended to every name with a `.`. */
  readonly prefix?: string;
  /** DogStatsD tags added to every line (ignored by the standard dialect). */
  readonly globalTags?: Readonly<Record<string, string>>;
}

const RESERVED = /[:|@#,\s]/g;

/**
 * Formats one sample of `metric` (its value in the metric's unit, its tag
 * values in the order of `metric.tags`). Characters StatsD reserves
 * (`:|@#,` and whitespace) in names and tag values become `_`; in the
 * standard dialect an empty tag value is written `nil`. Values never use
 * exponent notation.
 *
 * For example, a counter `beamlet.call.stop.count` tagged by `server` is
 * written `beamlet.call.stop.count.cache:1|c` in the standard dialect and
 * `beamlet.call.stop.count:1|c|#server:cache` in DogStatsD; a distribution in
 * milliseconds `beamlet.call.stop.duration:1.5|ms`.
 */
export function formatStatsdLine(
  metric: MetricDefinition,
  value: number,
  tagValues: readonly string[] = [],
  options: StatsdLineOptions = {},
): string {
  const datadog = options.format === "datadog";
  let name = clean(metric.name);
  if (options.prefix !== undefined && options.prefix !== "") {
    name = clean(options.prefix) + "." + name;
  }
  if (!datadog) {
    for (let i = 0; i < metric.tags.length; i++) {
      const tag = tagValues[i] ?? "";
      name += "." + (tag.length === 0 ? "nil" : clean(tag));
    }
  }
  const text = formatStatsdValue(value);
  const type = typeCode(metric, datadog);
  let line = name + ":" + text + "|" + type;
  if (datadog) {
    let tags = "";
    for (let i = 0; i < metric.tags.length; i++) {
      tags += (tags.length === 0 ? "" : ",") + metric.tags[i] + ":" + clean(tagValues[i] ?? "");
    }
    for (const key in options.globalTags) {
      tags += (tags.length === 0 ? "" : ",") + clean(key) + ":" + clean(options.globalTags[key]);
    }
    if (tags.length > 0) line += "|#" + tags;
  } else if (type === "g" && value < 0) {
    // Plain StatsD reads a signed gauge as a change: set it to zero first.
    line = name + ":0|g\n" + line;
  }
  return line;
}

function typeCode(metric: MetricDefinition, datadog: boolean): string {
  switch (metric.type) {
    case "counter":
    case "sum":
      return "c";
    case "lastValue":
      return "g";
    case "summary":
      return datadog ? "h" : "ms";
    case "distribution":
      return datadog ? "d" : "ms";
  }
}

function clean(text: string): string {
  return text.replace(RESERVED, "_");
}

/** A finite number without exponent notation (StatsD servers do not all read `1e-7`). */
function formatStatsdValue(value: number): string {
  const text = String(value);
  if (!text.includes("e")) return text;
  if (Math.abs(value) >= 1) return BigInt(Math.round(value)).toString();
  const fixed = value.toFixed(20).replace(/0+$/, "");
  const trimmed = fixed.endsWith(".") ? fixed.slice(0, -1) : fixed;
  return trimmed === "-0" ? "0" : trimmed;
}
