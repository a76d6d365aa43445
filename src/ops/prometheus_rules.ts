/**
 * Prometheus recording and alerting rules generated from the same metric
 * definitions `/metrics` exposes, and from declared SLOs.
 *
 * @module
 */

import { metricIndex, sloObjectives } from "./_sources.ts";
import { builtinAlerts, builtinRecords } from "./_builtin_rules.ts";
import { type BuiltinThresholds, DEFAULT_THRESHOLDS } from "./builtin_thresholds.ts";
import { scaledWindows, SLO_SAMPLES_METRIC, sloAlerts, sloRecords } from "./_slo_rules.ts";
import { type BurnRateWindow, SRE_WORKBOOK_WINDOWS, WORKBOOK_PERIOD } from "./burn_rate_windows.ts";
import { toYaml, type YamlValue } from "./_yaml.ts";
import type { OpsOptions, RuleFile, RuleGroup } from "./types.ts";

/**
 * Options of {@linkcode prometheusRules}.
 *
 * @example A 7-day budget, paging only
 * ```ts
 * import { type PrometheusRulesOptions, SRE_WORKBOOK_WINDOWS } from "@beamlet/beamlet/ops";
 *
 * const options: PrometheusRulesOptions = {
 *   sloPeriod: 7 * 24 * 3_600_000,
 *   burnRateWindows: SRE_WORKBOOK_WINDOWS.filter((w) => w.severity === "page"),
 * };
 * ```
 */
export interface PrometheusRulesOptions extends OpsOptions {
  /** Thresholds of the built-in alerts (see {@linkcode BuiltinThresholds}). */
  readonly thresholds?: Partial<BuiltinThresholds>;
  /** Whether to make the built-in rules (default `true`; `false`: SLO rules only). */
  readonly builtins?: boolean;
  /**
   * The SLOs' error-budget period, ms (default 30 days): the burn-rate
   * windows, written for 30 days, are scaled to it.
   */
  readonly sloPeriod?: number;
  /** The window pairs (default {@linkcode SRE_WORKBOOK_WINDOWS}). */
  readonly burnRateWindows?: readonly BurnRateWindow[];
  /** The shortest window a rule may use, ms (default 60 000: a few scrapes). */
  readonly minWindow?: number;
}

function positive(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`prometheusRules: ${what} must be a finite number > 0`);
  }
  return value;
}

function checkWindows(windows: unknown): readonly BurnRateWindow[] {
  if (!Array.isArray(windows)) {
    throw new TypeError("prometheusRules: burnRateWindows must be an array");
  }
  for (const w of windows as BurnRateWindow[]) {
    if (typeof w !== "object" || w === null) {
      throw new TypeError("prometheusRules: every burn-rate window must be an object");
    }
    positive(w.long, "a window's long");
    positive(w.short, "a window's short");
    positive(w.burnRate, "a window's burnRate");
    if (w.short >= w.long) {
      throw new RangeError("prometheusRules: a window's short must be shorter than its long");
    }
    if (w.severity !== "page" && w.severity !== "ticket") {
      throw new TypeError('prometheusRules: a window\'s severity must be "page" or "ticket"');
    }
  }
  return windows;
}

function thresholdsOf(given: Partial<BuiltinThresholds> | undefined): BuiltinThresholds {
  if (given === undefined) return DEFAULT_THRESHOLDS;
  if (typeof given !== "object" || given === null) {
    throw new TypeError("prometheusRules: thresholds must be an object");
  }
  const merged: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  for (const [name, value] of Object.entries(given)) {
    if (!Object.hasOwn(DEFAULT_THRESHOLDS, name)) {
      throw new TypeError(`prometheusRules: unknown threshold ${JSON.stringify(name)}`);
    }
    if (value === undefined) continue;
    merged[name] = positive(value, `thresholds.${name}`);
  }
  return merged as unknown as BuiltinThresholds;
}

/**
 * Prometheus rules for a beamlet app, as plain data (a rule file):
 *
 * - group `beamlet.recording`: p99 latencies per process `name`, crash,
 *   refusal and drop rates, mean scheduler utilization;
 * - group `beamlet.alerts`: crash-looping supervisor children, crashing
 *   processes, mailboxes refusing, dropping or shedding messages or stuck
 *   above their high watermark, a saturated scheduler or run queue, slow
 *   `handleCall`, calls queued long, long callbacks, event-loop stalls and
 *   long scheduler slices (severity `warning`, thresholds in `thresholds`);
 * - with `slos`: group `beamlet.slo.recording`, the error ratio of every SLO
 *   over each window, from `beamlet_slo_samples_count_total{slo, outcome}`,
 *   and group `beamlet.slo.alerts`, per SLO the SRE workbook's multi-window,
 *   multi-burn-rate alerts `BeamletSloErrorBudgetBurn` (severity `page` and
 *   `ticket`).
 *
 * Only metrics found in `metrics` (default `beamletMetrics()`) are read, by
 * the names `prometheusText` exposes them under (with `namespace`). SLO
 * rules need `beamlet.slo.samples.count` (in `beamletMetrics()`), which the
 * `SloMonitor` feeds at each evaluation.
 *
 * @throws {TypeError} for malformed options, or SLOs without the sample metric.
 * @throws {RangeError} for a bad threshold, window, period or objective.
 *
 * @example Rules for the defaults and one SLO, as YAML
 * ```ts
 * import { prometheusRules, rulesYaml } from "@beamlet/beamlet/ops";
 *
 * const rules = prometheusRules({
 *   slos: [{
 *     name: "checkout-p95",
 *     kind: "latency",
 *     event: ["beamlet", "call", "stop"],
 *     quantile: 0.95,
 *     threshold: 250,
 *     window: 300_000,
 *   }],
 * });
 * const yaml = rulesYaml(rules); // write it where prometheus.yml's rule_files points
 * console.log(yaml.startsWith("groups:")); // true
 * ```
 */
export function prometheusRules(options: PrometheusRulesOptions = {}): RuleFile {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("prometheusRules: options must be an object");
  }
  const index = metricIndex(options);
  const extra = options.selector;
  if (extra !== undefined && typeof extra !== "string") {
    throw new TypeError("prometheusRules: selector must be a string");
  }
  const thresholds = thresholdsOf(options.thresholds);
  const groups: RuleGroup[] = [];
  if (options.builtins ?? true) {
    const records = builtinRecords(index, extra);
    const alerts = builtinAlerts(index, extra, thresholds);
    if (records.length > 0) groups.push({ name: "beamlet.recording", rules: records });
    if (alerts.length > 0) groups.push({ name: "beamlet.alerts", rules: alerts });
  }
  const slos = sloObjectives(options);
  if (slos.length > 0) {
    if (index.get(SLO_SAMPLES_METRIC) === undefined) {
      throw new TypeError(
        `prometheusRules: SLO rules read ${SLO_SAMPLES_METRIC}, which the metrics do not define ` +
          "(include beamletMetrics())",
      );
    }
    const period = positive(options.sloPeriod ?? WORKBOOK_PERIOD, "sloPeriod");
    const minWindow = positive(options.minWindow ?? 60_000, "minWindow");
    const windows = scaledWindows(
      checkWindows(options.burnRateWindows ?? SRE_WORKBOOK_WINDOWS),
      period,
      minWindow,
    );
    groups.push(
      { name: "beamlet.slo.recording", rules: sloRecords(index, windows, extra) },
      { name: "beamlet.slo.alerts", rules: sloAlerts(slos, windows) },
    );
  }
  return { groups };
}

/**
 * A rule file as YAML, for `rule_files:` in `prometheus.yml` (or
 * `promtool check rules`). Given options instead of a file, it generates the
 * file with {@linkcode prometheusRules} first.
 *
 * @example
 * ```ts
 * import { rulesYaml } from "@beamlet/beamlet/ops";
 *
 * const text = rulesYaml({ namespace: "shop" });
 * console.log(text.includes("shop_beamlet_process_exit_count_total")); // true
 * ```
 */
export function rulesYaml(file: RuleFile | PrometheusRulesOptions = {}): string {
  const rules =
    typeof file === "object" && file !== null && Array.isArray((file as RuleFile).groups)
      ? file as RuleFile
      : prometheusRules(file as PrometheusRulesOptions);
  return toYaml(rules as unknown as YamlValue);
}
