/**
 * The shapes `prometheusRules` and `grafanaDashboard` produce and take: a
 * Prometheus rule file as plain data (it serializes to YAML with
 * `rulesYaml`, or to JSON, which Prometheus reads too), and the options
 * both generators share.
 *
 * @module
 */

import type { MetricDefinition } from "../metrics/types.ts";
import type { SloDeclaration } from "../slo/types.ts";

/**
 * A recording rule: `record` is the name of the new series, `expr` its
 * PromQL.
 *
 * @example
 * ```ts
 * import type { RecordingRule } from "@beamlet/beamlet/ops";
 *
 * const rule: RecordingRule = {
 *   record: "beamlet:process_crashes:rate5m",
 *   expr: 'sum by (job) (rate(beamlet_process_exit_count_total{reason="crash"}[5m]))',
 * };
 * ```
 */
export interface RecordingRule {
  /** The recorded series' name (`level:metric:operations`). */
  readonly record: string;
  /** The PromQL expression. */
  readonly expr: string;
  /** Labels added to the recorded series. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * An alerting rule, as Prometheus reads it.
 *
 * @example
 * ```ts
 * import type { AlertingRule } from "@beamlet/beamlet/ops";
 *
 * const rule: AlertingRule = {
 *   alert: "BeamletProcessesCrashing",
 *   expr: 'sum by (job) (rate(beamlet_process_exit_count_total{reason="crash"}[5m])) > 0.1',
 *   for: "5m",
 *   labels: { severity: "warning" },
 *   annotations: { summary: "Processes are crashing" },
 * };
 * ```
 */
export interface AlertingRule {
  /** The alert's name. */
  readonly alert: string;
  /** The PromQL expression: the alert fires for every series it answers. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires (`"5m"`); absent: at once. */
  readonly for?: string;
  /** Labels of the alert (`severity`, ...). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations (`summary`, `description`, ...); Go templates over `$labels` allowed. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A named group of rules, evaluated together.
 *
 * @example
 * ```ts
 * import type { RuleGroup } from "@beamlet/beamlet/ops";
 *
 * const group: RuleGroup = { name: "beamlet.recording", interval: "30s", rules: [] };
 * ```
 */
export interface RuleGroup {
  /** Unique within a file. */
  readonly name: string;
  /** The evaluation interval of the group (default: Prometheus' global one). */
  readonly interval?: string;
  /** Its rules, in evaluation order. */
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}

/**
 * A Prometheus rule file (`rule_files:` in `prometheus.yml`).
 *
 * @example
 * ```ts
 * import { prometheusRules, type RuleFile } from "@beamlet/beamlet/ops";
 *
 * const file: RuleFile = prometheusRules();
 * console.log(file.groups.map((g) => g.name)); // ["beamlet.recording", "beamlet.alerts"]
 * ```
 */
export interface RuleFile {
  /** The groups. */
  readonly groups: readonly RuleGroup[];
}

/**
 * Where the generators read metric definitions from: a `Metrics` (its
 * `definitions`) or the definitions themselves.
 *
 * @example
 * ```ts
 * import { beamletMetrics } from "@beamlet/beamlet/metrics";
 * import type { MetricSource } from "@beamlet/beamlet/ops";
 *
 * const source: MetricSource = beamletMetrics();
 * ```
 */
export type MetricSource =
  | readonly MetricDefinition[]
  | { readonly definitions: readonly MetricDefinition[] };

/**
 * An SLO as the rule generator needs it: its name and the fraction of good
 * samples it requires. An `SloDeclaration` is one (its `quantile` or
 * `objective` is read), and so is an `SloStatus`.
 *
 * @example
 * ```ts
 * import type { SloObjective } from "@beamlet/beamlet/ops";
 *
 * const slo: SloObjective = { name: "checkout-p95", kind: "latency", objective: 0.95 };
 * ```
 */
export interface SloObjective {
  /** The SLO's name: the `slo` label of `beamlet_slo_samples_count_total`. */
  readonly name: string;
  /** Its kind, shown in annotations. */
  readonly kind: SloDeclaration["kind"];
  /** The fraction of good samples required, in (0, 1). */
  readonly objective: number;
}

/**
 * Options both generators share.
 *
 * @example
 * ```ts
 * import type { OpsOptions } from "@beamlet/beamlet/ops";
 *
 * const options: OpsOptions = { namespace: "shop", selector: 'job="shop"' };
 * ```
 */
export interface OpsOptions {
  /**
   * The metric definitions `/metrics` exposes (default: `beamletMetrics()`).
   * Rules and panels are made only for metrics found here.
   */
  readonly metrics?: MetricSource;
  /** The `namespace` given to `prometheusText` / the Hono adapter, if any. */
  readonly namespace?: string;
  /**
   * Label matchers added to every selector, as PromQL writes them inside
   * braces (`'job="shop"'`); default none.
   */
  readonly selector?: string;
  /**
   * SLOs: declarations (`SloDeclaration[]`), the objectives themselves, or
   * an `SloMonitor` (its `status()`). Default none.
   */
  readonly slos?:
    | readonly (SloDeclaration | SloObjective)[]
    | { status(): readonly SloObjective[] };
}
