/**
 * `beamlet.slo.samples`: at each evaluation an SloMonitor tells, per SLO,
 * the good and the bad samples counted since the previous evaluation (0
 * included); the built-in metrics sum them into
 * `beamlet_slo_samples_count_total{slo, outcome}`, which Prometheus
 * burn-rate rules read.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { SloMonitor } from "../../src/slo/mod.ts";
import { SLO_SAMPLES } from "../../src/telemetry/catalog/slo_events.ts";
import { beamletMetrics } from "../../src/metrics/beamlet_metrics.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { prometheusText } from "../../src/metrics/reporters/prometheus.ts";

const CALL_STOP = ["beamlet", "call", "stop"] as const;

describe("beamlet.slo.samples", () => {
  it("reports good and bad samples since the previous evaluation, per SLO", async () => {
    const t = createTestSystem();
    const heard: string[] = [];
    t.system.telemetry.attach("samples", SLO_SAMPLES, (_e, m, meta) => {
      heard.push(`${meta.slo}/${meta.kind}/${meta.outcome}=${m.count}`);
    });
    const monitor = new SloMonitor(t.system, {
      slos: [{
        name: "p90",
        kind: "latency",
        event: CALL_STOP,
        quantile: 0.9,
        threshold: 5,
        window: 10_000,
      }, {
        name: "errors",
        kind: "error_rate",
        prefix: ["beamlet", "call"],
        objective: 0.99,
        window: 10_000,
      }],
      evaluationInterval: 1000,
    });
    try {
      for (const duration of [1, 2, 9]) {
        t.system.telemetry.execute(CALL_STOP, { duration }, { name: "cache" });
      }
      t.system.telemetry.execute(["beamlet", "call", "exception"], { duration: 1 }, {});
      monitor.evaluate();
      assert.deepEqual(heard.splice(0), [
        "p90/latency/good=2",
        "p90/latency/bad=1",
        "errors/error_rate/good=3",
        "errors/error_rate/bad=1",
      ]);
      monitor.evaluate(); // nothing new: both outcomes still reported, as 0
      assert.deepEqual(heard.splice(0), [
        "p90/latency/good=0",
        "p90/latency/bad=0",
        "errors/error_rate/good=0",
        "errors/error_rate/bad=0",
      ]);
      t.system.telemetry.execute(CALL_STOP, { duration: 7 }, { name: "cache" });
      await t.advance(1000); // the periodic evaluation reports too
      assert.deepEqual(heard.slice(0, 2), ["p90/latency/good=0", "p90/latency/bad=1"]);
    } finally {
      monitor.stop();
      await t.system.shutdown();
    }
  });

  it("is summed into beamlet_slo_samples_count_total{slo, outcome} by beamletMetrics", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, beamletMetrics());
    const monitor = new SloMonitor(t.system, {
      slos: [{
        name: "cache-queue",
        kind: "latency",
        event: CALL_STOP,
        quantile: 0.5,
        threshold: 5,
        window: 10_000,
      }],
    });
    try {
      for (const duration of [1, 9, 9]) {
        t.system.telemetry.execute(CALL_STOP, { duration }, { name: "cache" });
      }
      monitor.evaluate();
      monitor.evaluate();
      const text = prometheusText(metrics, { selfMetrics: false });
      assert.match(text, /^# TYPE beamlet_slo_samples_count_total counter$/m);
      assert.match(
        text,
        /^beamlet_slo_samples_count_total\{slo="cache-queue",outcome="good"\} 1$/m,
      );
      assert.match(text, /^beamlet_slo_samples_count_total\{slo="cache-queue",outcome="bad"\} 2$/m);
    } finally {
      monitor.stop();
      metrics.detach();
      await t.system.shutdown();
    }
  });
});
