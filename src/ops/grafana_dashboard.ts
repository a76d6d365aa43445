/**
 * A Grafana dashboard generated from the metric definitions `/metrics`
 * exposes: one panel per metric, drawn by its type, in one row per name
 * prefix; SLO error ratios and burn rates on top.
 *
 * @module
 */

import { type ExposedMetric, metricIndex, sloObjectives } from "./_sources.ts";
import { by, num, selector } from "./_promql.ts";
import { SLO_SAMPLES_METRIC } from "./_slo_rules.ts";
import type { OpsOptions, SloObjective } from "./types.ts";

/**
 * Options of {@linkcode grafanaDashboard}.
 *
 * @example
 * ```ts
 * import type { GrafanaDashboardOptions } from "@beamlet/beamlet/ops";
 *
 * const options: GrafanaDashboardOptions = { title: "shop", uid: "shop-beamlet" };
 * ```
 */
export interface GrafanaDashboardOptions extends OpsOptions {
  /** The dashboard's title (default `"beamlet"`). */
  readonly title?: string;
  /** Its uid, 1..40 of `[A-Za-z0-9_-]` (default `"beamlet"`). */
  readonly uid?: string;
  /** How far a row groups names: segments of the dotted name (default 2: `beamlet.call`). */
  readonly rowDepth?: number;
}

/**
 * A Grafana dashboard model (schema 39), as plain data: `JSON.stringify`
 * it and import it (Dashboards → New → Import), or provision the file.
 *
 * @example
 * ```ts
 * import { grafanaDashboard, type GrafanaDashboard } from "@beamlet/beamlet/ops";
 *
 * const dashboard: GrafanaDashboard = grafanaDashboard();
 * console.log(dashboard.templating.list.map((v) => v.name)); // ["datasource", "job", "name"]
 * ```
 */
export interface GrafanaDashboard {
  /** Its uid: importing it again replaces it. */
  readonly uid: string;
  /** Its title. */
  readonly title: string;
  /** Its tags (`["beamlet"]`). */
  readonly tags: readonly string[];
  /** The dashboard schema version it is written in. */
  readonly schemaVersion: number;
  /** Rows and panels, in order. */
  readonly panels: readonly GrafanaPanel[];
  /** The template variables. */
  readonly templating: { readonly list: readonly GrafanaVariable[] };
  /** The rest of the model (time range, refresh, ...). */
  readonly [field: string]: unknown;
}

/**
 * A panel or row of a {@linkcode GrafanaDashboard}.
 *
 * @example Every query of a dashboard
 * ```ts
 * import { grafanaDashboard, type GrafanaPanel } from "@beamlet/beamlet/ops";
 *
 * const queries = (panel: GrafanaPanel) => (panel.targets ?? []).map((t) => t.expr);
 * console.log(grafanaDashboard().panels.flatMap(queries).length > 0); // true
 * ```
 */
export interface GrafanaPanel {
  /** Unique within the dashboard. */
  readonly id: number;
  /** `"row"` or `"timeseries"`. */
  readonly type: string;
  /** Its title: a row's is the name prefix it groups. */
  readonly title: string;
  /** Where it sits on the 24-column grid. */
  readonly gridPos: {
    readonly h: number;
    readonly w: number;
    readonly x: number;
    readonly y: number;
  };
  /** Its queries (none for a row). */
  readonly targets?: readonly GrafanaTarget[];
  /** The rest of the panel (datasource, units, options, ...). */
  readonly [field: string]: unknown;
}

/**
 * One query of a {@linkcode GrafanaPanel}.
 *
 * @example
 * ```ts
 * import type { GrafanaTarget } from "@beamlet/beamlet/ops";
 *
 * const target: GrafanaTarget = { refId: "A", expr: "up", legendFormat: "{{instance}}" };
 * ```
 */
export interface GrafanaTarget {
  /** `"A"`, `"B"`, ... within its panel. */
  readonly refId: string;
  /** The PromQL query. */
  readonly expr: string;
  /** The series' legend, a Grafana template over its labels. */
  readonly legendFormat?: string;
  /** The rest of the target (datasource, ...). */
  readonly [field: string]: unknown;
}

/**
 * A template variable of a {@linkcode GrafanaDashboard}.
 *
 * @example
 * ```ts
 * import { grafanaDashboard, type GrafanaVariable } from "@beamlet/beamlet/ops";
 *
 * const names: string[] = grafanaDashboard().templating.list.map((v: GrafanaVariable) => v.name);
 * ```
 */
export interface GrafanaVariable {
  /** Its name: `$name` in queries. */
  readonly name: string;
  /** `"datasource"` or `"query"`. */
  readonly type: string;
  /** The rest of the variable (query, multi, includeAll, ...). */
  readonly [field: string]: unknown;
}

const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;
const RATE = "[$__rate_interval]";
const QUANTILES = [0.5, 0.95, 0.99];
const WIDTH = 8;
const HEIGHT = 8;

interface Target {
  readonly expr: string;
  readonly legend: string;
}

interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly unit: string;
  readonly targets: readonly Target[];
}

/** What the panel queries share: the job and name variables, the options' matchers. */
class Matchers {
  constructor(readonly extra: string | undefined, readonly hasName: boolean) {}

  of(metric: ExposedMetric, ...more: string[]): string[] {
    const matchers = ['job=~"$job"', ...more];
    if (this.hasName && metric.definition.tags.includes("name")) matchers.push('name=~"$name"');
    return matchers;
  }

  select(family: string, metric: ExposedMetric, ...more: string[]): string {
    return selector(family, this.of(metric, ...more), this.extra);
  }
}

function legendOf(tags: readonly string[], prefix = ""): string {
  const parts = tags.map((tag) => `{{${tag}}}`);
  const text = [prefix, ...parts].filter((p) => p !== "").join(" ");
  return text === "" ? "{{job}}" : text;
}

function unitOf(metric: ExposedMetric, rate: boolean): string {
  const unit = metric.definition.unit;
  const bytes = unit === "byte" || unit === "kilobyte" || unit === "megabyte";
  if (rate) return bytes ? "Bps" : "ops";
  if (bytes) return "bytes";
  if (unit !== undefined) return "s";
  return /utilization|ratio/.test(metric.definition.name) ? "percentunit" : "short";
}

/** The panel of one metric, by its Prometheus type. */
function metricPanel(metric: ExposedMetric, m: Matchers): PanelSpec {
  const { definition, family } = metric;
  const tags = definition.tags;
  const description = definition.description;
  switch (metric.prometheusType) {
    case "counter":
      return {
        title: `${definition.name} (per second)`,
        description,
        unit: unitOf(metric, true),
        targets: [{
          expr: `sum ${by(["job", ...tags])} (rate(${m.select(family, metric)}${RATE}))`,
          legend: legendOf(tags),
        }],
      };
    case "gauge":
      return {
        title: definition.name,
        description,
        unit: unitOf(metric, false),
        targets: [{ expr: m.select(family, metric), legend: legendOf(["instance", ...tags]) }],
      };
    case "histogram":
      return {
        title: `${definition.name} (p50, p95, p99)`,
        description,
        unit: unitOf(metric, false),
        targets: QUANTILES.map((q) => ({
          expr: `histogram_quantile(${q}, sum ${by(["job", ...tags, "le"])} (rate(${
            m.select(family + "_bucket", metric)
          }${RATE})))`,
          legend: legendOf(tags, `p${num(q * 100)}`),
        })),
      };
    case "summary":
      return {
        title: `${definition.name} (quantiles)`,
        description,
        unit: unitOf(metric, false),
        targets: [{
          expr: m.select(family, metric),
          legend: legendOf(["instance", ...tags], "q{{quantile}}"),
        }],
      };
  }
}

/** The SLO panels: every SLO's bad share, and each declared SLO's burn rate. */
function sloPanels(
  samples: ExposedMetric,
  slos: readonly SloObjective[],
  m: Matchers,
): PanelSpec[] {
  const ratio = (slo?: string) => {
    const only = slo === undefined ? [] : [`slo=${JSON.stringify(slo)}`];
    const bad = m.select(samples.family, samples, 'outcome="bad"', ...only);
    const all = m.select(samples.family, samples, ...only);
    return `sum ${by(["job", "slo"])} (rate(${bad}${RATE}))\n/\nsum ${
      by(["job", "slo"])
    } (rate(${all}${RATE}))`;
  };
  const panels: PanelSpec[] = [{
    title: "SLO bad samples (share)",
    description: "Share of each SLO's samples that were bad (over the threshold, or an error).",
    unit: "percentunit",
    targets: [{ expr: ratio(), legend: "{{slo}}" }],
  }];
  if (slos.length > 0) {
    panels.push({
      title: "SLO burn rate (1 = budget spent exactly over its period)",
      description: "Bad share divided by the share each SLO allows (1 - objective).",
      unit: "short",
      targets: slos.map((slo) => ({
        expr: `(\n${ratio(slo.name)}\n) / ${num(1 - slo.objective)}`,
        legend: slo.name,
      })),
    });
  }
  return panels;
}

function variable(name: string, family: string) {
  const query = `label_values(${family}, ${name})`;
  return {
    name,
    label: name,
    type: "query",
    datasource: DATASOURCE,
    query: { query, refId: `${name}-variable` },
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: ".*",
    current: { selected: true, text: ["All"], value: ["$__all"] },
    sort: 1,
    hide: 0,
  };
}

/** The family a `label_values` query can read a label from: a histogram's `_count`. */
function seriesFamily(metric: ExposedMetric): string {
  return metric.prometheusType === "histogram" || metric.prometheusType === "summary"
    ? metric.family + "_count"
    : metric.family;
}

function checkOptions(
  options: GrafanaDashboardOptions,
): { title: string; uid: string; depth: number } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("grafanaDashboard: options must be an object");
  }
  const title = options.title ?? "beamlet";
  if (typeof title !== "string" || title === "") {
    throw new TypeError("grafanaDashboard: title must be a non-empty string");
  }
  const uid = options.uid ?? "beamlet";
  if (typeof uid !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(uid)) {
    throw new TypeError("grafanaDashboard: uid must be 1..40 of [A-Za-z0-9_-]");
  }
  const depth = options.rowDepth ?? 2;
  if (!Number.isInteger(depth) || depth < 1) {
    throw new RangeError("grafanaDashboard: rowDepth must be an integer >= 1");
  }
  if (options.selector !== undefined && typeof options.selector !== "string") {
    throw new TypeError("grafanaDashboard: selector must be a string");
  }
  return { title, uid, depth };
}

/**
 * A Grafana dashboard for a beamlet app, generated from the same metric
 * definitions as `/metrics` (default `beamletMetrics()`): one row per name
 * prefix (`beamlet.call`, `beamlet.mailbox`, ...; `rowDepth` segments), one
 * panel per metric — a counter as its rate per second, a gauge (last value,
 * sum) as its value, a distribution as its p50, p95 and p99
 * (`histogram_quantile` over the buckets), a summary as its quantiles —
 * each series labelled by the metric's tags. Variables: `datasource` (a
 * Prometheus data source), `job`, and `name` (the process name tag of the
 * built-in metrics). With SLOs (and `beamlet.slo.samples.count` defined), a
 * first row shows each SLO's bad share and burn rate.
 *
 * @throws {TypeError} for malformed options.
 *
 * @example The built-ins and a user metric
 * ```ts
 * import { beamletMetrics, counter } from "@beamlet/beamlet/metrics";
 * import { grafanaDashboard } from "@beamlet/beamlet/ops";
 *
 * const dashboard = grafanaDashboard({
 *   metrics: [...beamletMetrics(), counter("shop.order.placed.count", { tags: ["country"] })],
 *   title: "shop",
 * });
 * const json = JSON.stringify(dashboard, null, 2); // import it in Grafana
 * console.log(dashboard.panels.some((p) => p.title === "shop.order")); // true: a row per prefix
 * ```
 */
export function grafanaDashboard(options: GrafanaDashboardOptions = {}): GrafanaDashboard {
  const { title, uid, depth } = checkOptions(options);
  const index = metricIndex(options);
  const metrics = index.all();
  const named = metrics.find((metric) => metric.definition.tags.includes("name"));
  const m = new Matchers(options.selector, named !== undefined);

  const rows = new Map<string, PanelSpec[]>();
  const samples = index.get(SLO_SAMPLES_METRIC);
  if (samples !== undefined) rows.set("SLOs", sloPanels(samples, sloObjectives(options), m));
  for (const metric of metrics) {
    const prefix = metric.definition.name.split(".").slice(0, depth).join(".");
    const row = rows.get(prefix) ?? [];
    row.push(metricPanel(metric, m));
    rows.set(prefix, row);
  }

  const panels: GrafanaPanel[] = [];
  let id = 0;
  let y = 0;
  for (const [rowTitle, specs] of rows) {
    panels.push({
      id: ++id,
      type: "row",
      title: rowTitle,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    specs.forEach((spec, i) => {
      panels.push({
        id: ++id,
        type: "timeseries",
        title: spec.title,
        ...(spec.description === undefined ? {} : { description: spec.description }),
        datasource: DATASOURCE,
        gridPos: { h: HEIGHT, w: WIDTH, x: (i % 3) * WIDTH, y: y + Math.floor(i / 3) * HEIGHT },
        fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
        options: {
          legend: { displayMode: "list", placement: "bottom", showLegend: true },
          tooltip: { mode: "multi", sort: "desc" },
        },
        targets: spec.targets.map((target, t) => ({
          refId: String.fromCharCode(65 + t),
          datasource: DATASOURCE,
          expr: target.expr,
          legendFormat: target.legend,
        })),
      });
    });
    y += Math.ceil(specs.length / 3) * HEIGHT;
  }

  const base = index.get("beamlet.process.start.count") ?? metrics[0];
  const list: GrafanaVariable[] = [{
    name: "datasource",
    label: "Data source",
    type: "datasource",
    query: "prometheus",
    current: {},
    hide: 0,
    refresh: 1,
    regex: "",
  }];
  if (base !== undefined) list.push(variable("job", seriesFamily(base)));
  if (named !== undefined) list.push(variable("name", seriesFamily(named)));

  return {
    uid,
    title,
    tags: ["beamlet"],
    description: "Generated by @beamlet/beamlet/ops from the app's metric definitions.",
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: "30s",
    time: { from: "now-1h", to: "now" },
    timezone: "browser",
    annotations: { list: [] },
    templating: { list },
    panels,
  };
}
