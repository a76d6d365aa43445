/**
 * Burn-rate rules for declared SLOs, read from
 * `beamlet_slo_samples_count_total{slo, outcome}`: one error-ratio recording
 * rule per window (shared by every SLO, by `job` and `slo`), and per SLO
 * and severity one alert over the workbook's window pairs.
 *
 * @module
 */

import type { MetricIndex } from "./_sources.ts";
import { by, duration, num, selector } from "./_promql.ts";
import { type BurnRateWindow, WORKBOOK_PERIOD } from "./burn_rate_windows.ts";
import type { AlertingRule, RecordingRule, SloObjective } from "./types.ts";

/** The metric the SLO rules read. */
export const SLO_SAMPLES_METRIC = "beamlet.slo.samples.count";

const GROUP = ["job", "slo"];

/** The windows scaled to `period`, each at least `minWindow` ms, in whole seconds. */
export function scaledWindows(
  windows: readonly BurnRateWindow[],
  period: number,
  minWindow: number,
): BurnRateWindow[] {
  const scale = period / WORKBOOK_PERIOD;
  const at = (ms: number) => Math.max(minWindow, Math.round(ms * scale / 1000) * 1000);
  return windows.map((w) => ({ ...w, long: at(w.long), short: at(w.short) }));
}

/** The recorded error ratio over a window. */
export function ratioRecord(window: number): string {
  return `job_slo:beamlet_slo_errors:ratio_rate${duration(window)}`;
}

/** One error-ratio recording rule per distinct window. */
export function sloRecords(
  index: MetricIndex,
  windows: readonly BurnRateWindow[],
  extra: string | undefined,
): RecordingRule[] {
  const family = index.get(SLO_SAMPLES_METRIC)!.family;
  const distinct = [...new Set(windows.flatMap((w) => [w.short, w.long]))].sort((a, b) => a - b);
  return distinct.map((window) => {
    const range = duration(window);
    return {
      record: ratioRecord(window),
      expr:
        `sum ${by(GROUP)} (rate(${selector(family, ['outcome="bad"'], extra)}[${range}]))\n/\n` +
        `sum ${by(GROUP)} (rate(${selector(family, [], extra)}[${range}]))`,
    };
  });
}

/** Per SLO, one alert per severity present in `windows`. */
export function sloAlerts(
  slos: readonly SloObjective[],
  windows: readonly BurnRateWindow[],
): AlertingRule[] {
  const rules: AlertingRule[] = [];
  for (const slo of slos) {
    const allowed = num(1 - slo.objective);
    const matcher = `{slo=${JSON.stringify(slo.name)}}`;
    for (const severity of ["page", "ticket"] as const) {
      const pairs = windows.filter((w) => w.severity === severity);
      if (pairs.length === 0) continue;
      const expr = pairs.map((w) => {
        const limit = `(${num(w.burnRate)} * ${allowed})`;
        return `(\n  ${ratioRecord(w.long)}${matcher} > ${limit}\nand\n  ${
          ratioRecord(w.short)
        }${matcher} > ${limit}\n)`;
      }).join("\nor\n");
      const told = pairs.map((w) =>
        `${num(w.burnRate)}x as fast as allowed over ${duration(w.long)} and ${duration(w.short)}`
      ).join(", or ");
      rules.push({
        alert: "BeamletSloErrorBudgetBurn",
        expr,
        labels: { severity, slo: slo.name },
        annotations: {
          summary: `SLO ${slo.name} is burning its error budget`,
          description: `The ${slo.kind} SLO ${slo.name} (objective ${
            num(slo.objective * 100)
          }% good) burns its error budget at least ${told} (job {{ $labels.job }}).`,
        },
      });
    }
  }
  return rules;
}
