/**
 * prometheusRules / rulesYaml: rules only for the metrics defined, under the
 * names prometheusText really gives them (every metric a rule reads is a
 * series of the exposition once each metric has a sample), the namespace
 * and extra matchers applied, the SRE workbook's burn-rate alerts per SLO
 * (windows scaled to the budget period), and bad options refused.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { beamletMetrics, counter, distribution } from "../../metrics.ts";
import {
  type AlertingRule,
  prometheusRules,
  type RecordingRule,
  referencedMetrics,
  type RuleFile,
  rulesYaml,
  SRE_WORKBOOK_WINDOWS,
} from "../../ops.ts";
import { exposeAll, familiesOf, missing, seriesNames } from "./_exposition.ts";

const LATENCY_SLO = {
  name: "checkout-p95",
  kind: "latency" as const,
  event: ["beamlet", "call", "stop"],
  quantile: 0.95,
  threshold: 250,
  window: 300_000,
};
const QUEUE_SLO = {
  name: "orders-queue",
  kind: "mailbox_age" as const,
  target: "orders",
  threshold: 250,
  window: 60_000,
};

function rules(file: RuleFile): (RecordingRule | AlertingRule)[] {
  return file.groups.flatMap((group) => group.rules);
}

function alerts(file: RuleFile, name?: string): AlertingRule[] {
  return rules(file).filter((r): r is AlertingRule => "alert" in r && (!name || r.alert === name));
}

describe("prometheusRules", () => {
  it("makes recording and alerting groups for the built-in metrics", () => {
    const file = prometheusRules();
    assert.deepEqual(file.groups.map((g) => g.name), ["beamlet.recording", "beamlet.alerts"]);
    const names = alerts(file).map((a) => a.alert);
    for (
      const expected of [
        "BeamletSupervisorCrashLooping",
        "BeamletProcessesCrashing",
        "BeamletMailboxRefusing",
        "BeamletMailboxDropping",
        "BeamletMailboxShedding",
        "BeamletMailboxAboveHighWatermark",
        "BeamletSchedulerSaturated",
        "BeamletRunQueueBacklog",
        "BeamletSlowCallHandling",
      ]
    ) assert.ok(names.includes(expected), `${expected} in ${names}`);
    for (const alert of alerts(file)) {
      assert.equal(alert.labels?.severity, "warning");
      assert.ok(alert.annotations?.summary && alert.annotations.description, alert.alert);
    }
  });

  it("reads only series the exposition of the same definitions really has", () => {
    const definitions = beamletMetrics();
    const exposed = seriesNames(familiesOf(exposeAll(definitions)));
    const file = prometheusRules({ metrics: definitions, slos: [LATENCY_SLO, QUEUE_SLO] });
    const referenced = referencedMetrics(file);
    assert.ok(referenced.length >= 10, referenced.join(", "));
    assert.deepEqual(missing(referenced, exposed), []);
    // Recording rules the alerts read are recorded in the same file.
    const recorded = new Set(rules(file).flatMap((r) => ("record" in r ? [r.record] : [])));
    for (const alert of alerts(file)) {
      for (const name of referencedMetrics(alert.expr).filter((n) => n.includes(":"))) {
        assert.ok(recorded.has(name), `${alert.alert} reads ${name}, which no rule records`);
      }
    }
  });

  it("leaves out the rules of metrics that are not defined", () => {
    const file = prometheusRules({
      metrics: [counter("beamlet.process.exit.count", { tags: ["reason"] })],
    });
    assert.deepEqual(alerts(file).map((a) => a.alert), ["BeamletProcessesCrashing"]);
    assert.deepEqual(prometheusRules({ metrics: [] }).groups, []);
  });

  it("takes the definitions of a Metrics-like source, a namespace and extra matchers", () => {
    const definitions = beamletMetrics();
    const file = prometheusRules({
      metrics: { definitions },
      namespace: "shop",
      selector: 'job="shop"',
      slos: [LATENCY_SLO],
    });
    const referenced = referencedMetrics(file);
    const exposed = seriesNames(familiesOf(exposeAll(definitions, "shop")));
    assert.deepEqual(missing(referenced, exposed), []);
    assert.ok(referenced.every((n) => n.includes(":") || n.startsWith("shop_beamlet_")));
    for (const rule of rules(file)) {
      if (!/\{|\[/.test(rule.expr) || ("alert" in rule && rule.alert.startsWith("BeamletSlo"))) {
        continue;
      }
      assert.match(rule.expr, /job="shop"/, rule.expr);
    }
  });

  it("gives each SLO a page and a ticket alert over the workbook's window pairs", () => {
    const file = prometheusRules({ slos: [LATENCY_SLO, QUEUE_SLO], builtins: false });
    assert.deepEqual(file.groups.map((g) => g.name), [
      "beamlet.slo.recording",
      "beamlet.slo.alerts",
    ]);
    const records = rules(file).filter((r): r is RecordingRule => "record" in r);
    assert.deepEqual(
      records.map((r) => r.record.split("ratio_rate")[1]),
      ["5m", "30m", "1h", "2h", "6h", "1d", "3d"],
    );
    assert.match(records[0].expr, /beamlet_slo_samples_count_total\{outcome="bad"\}\[5m\]/);
    const burn = alerts(file, "BeamletSloErrorBudgetBurn");
    assert.deepEqual(
      burn.map((a) => `${a.labels?.slo}/${a.labels?.severity}`),
      ["checkout-p95/page", "checkout-p95/ticket", "orders-queue/page", "orders-queue/ticket"],
    );
    // p95: 5% of samples may be bad; the fast page burns 14.4x that over 1h and 5m.
    assert.match(burn[0].expr, /ratio_rate1h\{slo="checkout-p95"\} > \(14\.4 \* 0\.05\)/);
    assert.match(burn[0].expr, /ratio_rate5m\{slo="checkout-p95"\} > \(14\.4 \* 0\.05\)/);
    assert.match(burn[0].expr, /ratio_rate6h\{slo="checkout-p95"\} > \(6 \* 0\.05\)/);
    assert.match(burn[1].expr, /ratio_rate3d\{slo="checkout-p95"\} > \(1 \* 0\.05\)/);
    // A mailbox_age SLO without an objective holds to 99%.
    assert.match(burn[2].expr, /\(14\.4 \* 0\.01\)/);
  });

  it("scales the windows to the budget period, never below minWindow", () => {
    const week = 7 * 24 * 3_600_000;
    const file = prometheusRules({ slos: [LATENCY_SLO], builtins: false, sloPeriod: week });
    const windows = rules(file).flatMap((r) => ("record" in r ? [r.record.split("rate")[1]] : []));
    // 5m, 30m, 1h, 2h, 6h, 1d, 3d times 7/30.
    assert.deepEqual(windows, ["1m10s", "7m", "14m", "28m", "1h24m", "5h36m", "16h48m"]);
    const day = prometheusRules({
      slos: [LATENCY_SLO],
      builtins: false,
      sloPeriod: 24 * 3_600_000,
      minWindow: 120_000,
    });
    assert.match(rules(day)[0].expr, /\[2m\]/);
  });

  it("takes an SloMonitor-like source and custom windows", () => {
    const monitor = {
      status: () => [{ name: "q", kind: "error_rate" as const, objective: 0.999 }],
    };
    const file = prometheusRules({
      slos: monitor,
      builtins: false,
      burnRateWindows: SRE_WORKBOOK_WINDOWS.filter((w) => w.severity === "page"),
    });
    const burn = alerts(file);
    assert.equal(burn.length, 1);
    assert.equal(burn[0].labels?.severity, "page");
    assert.match(burn[0].expr, /\(14\.4 \* 0\.001\)/);
  });

  it("refuses bad options", () => {
    assert.throws(() => prometheusRules(null as never), TypeError);
    assert.throws(() => prometheusRules({ metrics: 3 as never }), TypeError);
    assert.throws(() => prometheusRules({ selector: 1 as never }), TypeError);
    assert.throws(() => prometheusRules({ thresholds: { nope: 1 } as never }), TypeError);
    assert.throws(() => prometheusRules({ thresholds: { crashesPerSecond: -1 } }), RangeError);
    assert.throws(() => prometheusRules({ slos: [LATENCY_SLO], sloPeriod: 0 }), RangeError);
    assert.throws(
      () => prometheusRules({ slos: [{ ...LATENCY_SLO, quantile: 1 }] }),
      RangeError,
    );
    assert.throws(() => prometheusRules({ slos: [{ name: "" } as never] }), TypeError);
    assert.throws(() => prometheusRules({ slos: {} as never }), TypeError);
    assert.throws(
      () =>
        prometheusRules({
          slos: [LATENCY_SLO],
          burnRateWindows: [{ long: 60_000, short: 60_000, burnRate: 2, severity: "page" }],
        }),
      RangeError,
    );
    assert.throws(
      () =>
        prometheusRules({
          slos: [LATENCY_SLO],
          burnRateWindows: [{ long: 120_000, short: 60_000, burnRate: 2, severity: "x" as never }],
        }),
      TypeError,
    );
    // SLO rules need the sample counter.
    assert.throws(
      () => prometheusRules({ metrics: [distribution("a.b.c")], slos: [LATENCY_SLO] }),
      /beamlet\.slo\.samples\.count/,
    );
  });
});

describe("rulesYaml", () => {
  it("writes the rule file as YAML, expressions as literal blocks", () => {
    const text = rulesYaml({ slos: [LATENCY_SLO] });
    assert.ok(text.startsWith("groups:\n  - name: beamlet.recording\n    rules:\n"), text);
    assert.match(
      text,
      / {6}- alert: BeamletSloErrorBudgetBurn\n {8}expr: \|-\n {10}\(\n/,
    );
    assert.match(
      text,
      /expr: 'sum by \(job, instance\) \(rate\(beamlet_process_exit_count_total\{reason="crash"\}\[5m\]\)\)'/,
    );
    assert.ok(text.endsWith("\n"));
    assert.equal(rulesYaml(prometheusRules({ slos: [LATENCY_SLO] })), text);
  });
});
