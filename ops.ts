/**
 * Alerts and dashboards that ship: Prometheus recording and alerting rules
 * for beamlet's built-in metrics and for declared SLOs (the SRE workbook's
 * multi-window, multi-burn-rate alerts), and a Grafana dashboard, both
 * generated from the same metric definitions `/metrics` exposes — after
 * PromEx. Committed copies for the defaults and the demo live in
 * `ops/prometheus/` and `ops/grafana/`.
 *
 * @example Rules and a dashboard for an app's own metrics and SLOs
 * ```ts
 * import { beamletMetrics, distribution } from "@beamlet/beamlet/metrics";
 * import { grafanaDashboard, rulesYaml } from "@beamlet/beamlet/ops";
 *
 * const metrics = [
 *   ...beamletMetrics(),
 *   distribution("shop.checkout.stop.duration", { unit: "millisecond", tags: ["step"] }),
 * ];
 * const slos = [{ name: "orders-queue", kind: "mailbox_age" as const, target: "orders", threshold: 250, window: 60_000 }];
 * const yaml = rulesYaml({ metrics, slos });
 * const dashboard = JSON.stringify(grafanaDashboard({ metrics, slos, title: "shop" }), null, 2);
 * console.log(yaml.length > 0 && dashboard.length > 0); // true
 * ```
 *
 * @module
 */

export {
  prometheusRules,
  type PrometheusRulesOptions,
  rulesYaml,
} from "./src/ops/prometheus_rules.ts";
export { type BuiltinThresholds, DEFAULT_THRESHOLDS } from "./src/ops/builtin_thresholds.ts";
export {
  type BurnRateWindow,
  SRE_WORKBOOK_WINDOWS,
  WORKBOOK_PERIOD,
} from "./src/ops/burn_rate_windows.ts";
export {
  type GrafanaDashboard,
  grafanaDashboard,
  type GrafanaDashboardOptions,
  type GrafanaPanel,
  type GrafanaTarget,
  type GrafanaVariable,
} from "./src/ops/grafana_dashboard.ts";
export { referencedMetrics } from "./src/ops/referenced_metrics.ts";
export type {
  AlertingRule,
  MetricSource,
  OpsOptions,
  RecordingRule,
  RuleFile,
  RuleGroup,
  SloObjective,
} from "./src/ops/types.ts";
