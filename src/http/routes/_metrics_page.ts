/**
 * The data of the dashboard's Metrics page, for every definition of the
 * app's `Metrics` (the user's and the built-ins):
 *
 * - `GET /metrics/definitions` → `{ items: [{ name, type, unit, description,
 *   tags, prometheusName }] }` (`type`: `"counter"`, `"sum"`,
 *   `"last_value"`, `"summary"` or `"distribution"`; `unit` and
 *   `description` `null` when not given);
 * - `GET /metrics/values?name=<metric name>` → `{ name, type, unit, time,
 *   series: [{ tags, value }] or [{ tags, count, sum, p50, p95, p99, max }],
 *   totalSeries, truncated }`: at most 500 series (`truncated` says when more
 *   exist), values in the metric's unit, counters and sums cumulative (the
 *   page computes rates), quantiles `null` while a series is empty. A
 *   missing `name` answers 400, an unknown one 404.
 *
 * Both read the metrics alone (one metric for `values`), never the process
 * table. `GET /metrics` stays the Prometheus exposition.
 *
 * @module
 */

import type { Handler } from "hono";
import type { Metrics } from "../../metrics/metrics.ts";
import type { HistogramSeries, ScalarSeries } from "../../metrics/snapshot.ts";
import type { MetricType } from "../../metrics/types.ts";
import { familyName } from "../../metrics/reporters/_prometheus_format.ts";
import type { AppState } from "../_app_state.ts";
import { HttpError } from "../_http_error.ts";

/** Series `GET /metrics/values` answers at most. */
export const MAX_METRIC_SERIES = 500;
/** Longest metric name `GET /metrics/values` looks up. */
const MAX_NAME_LENGTH = 512;
/** The quantiles every histogram series is read at. */
const QUANTILES = [0.5, 0.95, 0.99] as const;

/** A metric type as the page's JSON spells it. */
export type MetricTypeJson = "counter" | "sum" | "last_value" | "summary" | "distribution";

function typeJson(type: MetricType): MetricTypeJson {
  return type === "lastValue" ? "last_value" : type;
}

/** `GET /metrics/definitions`. */
export function metricDefinitionsRoute(state: AppState): Handler {
  return (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ items: definitionsOf(state.metrics) });
  };
}

function definitionsOf(metrics: Metrics) {
  return metrics.definitions.map((definition) => ({
    name: definition.name,
    type: typeJson(definition.type),
    unit: definition.unit ?? null,
    description: definition.description ?? null,
    tags: [...definition.tags],
    prometheusName: familyName(definition, ""),
  }));
}

/** A finite number, or `null` (JSON has no NaN or Infinity). */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function seriesJson(series: ScalarSeries | HistogramSeries) {
  if (!("count" in series)) return { tags: series.tags, value: finite(series.value) };
  const at = (q: number) => finite(series.quantiles.find((x) => x.quantile === q)?.value ?? NaN);
  return {
    tags: series.tags,
    count: series.count,
    sum: finite(series.sum),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: finite(series.max),
  };
}

/** `GET /metrics/values?name=`. */
export function metricValuesRoute(state: AppState): Handler {
  return (c) => {
    const name = c.req.query("name");
    if (name === undefined || name === "") {
      throw new HttpError(400, "missing metric name (?name=)");
    }
    if (name.length > MAX_NAME_LENGTH) throw new HttpError(400, "metric name too long");
    const reading = state.metrics.read(name, {
      maxSeries: MAX_METRIC_SERIES,
      quantiles: QUANTILES,
    });
    if (reading === undefined) {
      throw new HttpError(404, `unknown metric ${JSON.stringify(name.slice(0, 100))}`);
    }
    c.header("Cache-Control", "no-store");
    return c.json({
      name: reading.name,
      type: typeJson(reading.type),
      unit: reading.unit ?? null,
      time: Date.now(),
      series: reading.series.map(seriesJson),
      totalSeries: reading.totalSeries,
      truncated: reading.series.length < reading.totalSeries,
    });
  };
}
