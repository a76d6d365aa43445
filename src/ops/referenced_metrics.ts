/**
 * The metric names a PromQL expression, a rule file or a Grafana dashboard
 * reads: what a check against a real `/metrics` scrape compares.
 *
 * @module
 */

import type { RuleFile } from "./types.ts";

const KEYWORDS: ReadonlySet<string> = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "inf",
  "nan",
]);

const LABEL_LISTS = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;
const TOKEN = /[0-9][0-9a-zA-Z_.]*|[a-zA-Z_:][a-zA-Z0-9_:]*|\S/g;

/** The metric names one PromQL expression selects, in order of appearance. */
function namesInExpression(expr: string, names: Set<string>): void {
  // Strings first (a matcher's value may hold anything), then matchers, ranges and label lists.
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(LABEL_LISTS, " ");
  const tokens = bare.match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!/^[a-zA-Z_:]/.test(token) || KEYWORDS.has(token.toLowerCase())) continue;
    if (tokens[i + 1] === "(") continue; // a function or an aggregation
    names.add(token);
  }
}

/** The metric of a Grafana `label_values(metric, label)` query, else the query as PromQL. */
function namesInVariableQuery(query: string, names: Set<string>): void {
  const labelValues = /^\s*label_values\s*\((.*)\)\s*$/s.exec(query);
  if (labelValues === null) {
    if (!/^\s*(label_names|metrics)\s*\(/.test(query)) namesInExpression(query, names);
    return;
  }
  const args = labelValues[1];
  const comma = args.lastIndexOf(",");
  if (comma >= 0) namesInExpression(args.slice(0, comma), names);
}

interface DashboardLike {
  readonly panels?: readonly unknown[];
  readonly templating?: { readonly list?: readonly unknown[] };
}

function isRuleFile(value: unknown): value is RuleFile {
  return typeof value === "object" && value !== null &&
    Array.isArray((value as { groups?: unknown }).groups);
}

function walkPanels(panels: readonly unknown[], names: Set<string>): void {
  for (const panel of panels) {
    if (typeof panel !== "object" || panel === null) continue;
    const { targets, panels: inner } = panel as { targets?: unknown; panels?: unknown };
    if (Array.isArray(targets)) {
      for (const target of targets) {
        const expr = (target as { expr?: unknown } | null)?.expr;
        if (typeof expr === "string") namesInExpression(expr, names);
      }
    }
    if (Array.isArray(inner)) walkPanels(inner, names); // a collapsed row holds its panels
  }
}

/**
 * The metric names read by a PromQL expression, a rule file (less the
 * recording rules the file records itself), or a Grafana dashboard (its
 * panels' queries and its variables' `label_values` queries), sorted.
 * Names with a `:` are recording rules.
 *
 * @example Every metric a rule file needs from `/metrics`
 * ```ts
 * import { prometheusRules, referencedMetrics } from "@beamlet/beamlet/ops";
 *
 * const names = referencedMetrics(prometheusRules());
 * console.log(names.includes("beamlet_process_exit_count_total")); // true
 * console.log(referencedMetrics('sum by (le) (rate(x_bucket{a="b"}[5m]))')); // ["x_bucket"]
 * ```
 */
export function referencedMetrics(source: string | RuleFile | object): string[] {
  const names = new Set<string>();
  if (typeof source === "string") {
    namesInExpression(source, names);
  } else if (isRuleFile(source)) {
    const recorded = new Set<string>();
    for (const group of source.groups) {
      for (const rule of group.rules) {
        if ("record" in rule) recorded.add(rule.record);
        namesInExpression(rule.expr, names);
      }
    }
    for (const name of recorded) names.delete(name);
  } else if (typeof source === "object" && source !== null) {
    const dashboard = source as DashboardLike;
    if (Array.isArray(dashboard.panels)) walkPanels(dashboard.panels, names);
    for (const variable of dashboard.templating?.list ?? []) {
      const query = variable as { type?: unknown; query?: unknown } | null;
      if (query?.type !== "query") continue;
      const text = typeof query.query === "string"
        ? query.query
        : (query.query as { query?: unknown } | null)?.query;
      if (typeof text === "string") namesInVariableQuery(text, names);
    }
  } else {
    throw new TypeError("referencedMetrics: give a PromQL string, a rule file or a dashboard");
  }
  return [...names].sort();
}
