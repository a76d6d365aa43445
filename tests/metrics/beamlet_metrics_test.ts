/**
 * beamletMetrics: valid, distinct definitions over the built-in events,
 * tagged as documented (server name or "anonymous", exit reason classes,
 * mailbox policies, child ids), fresh on every call.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { beamletMetrics } from "../../src/metrics/beamlet_metrics.ts";
import { Metrics, type MetricSnapshot, type ScalarSeries } from "../../src/metrics/mod.ts";
import { Telemetry } from "../../src/telemetry/mod.ts";

function find(metrics: Metrics, name: string): MetricSnapshot {
  const found = metrics.snapshot().find((metric) => metric.name === name);
  assert.ok(found, name);
  return found;
}

describe("beamletMetrics", () => {
  it("defines distinct metrics a Metrics accepts, fresh on every call", () => {
    const definitions = beamletMetrics();
    assert.equal(new Set(definitions.map((d) => d.name)).size, definitions.length);
    assert.notEqual(beamletMetrics(), definitions);
    const metrics = new Metrics(new Telemetry(), definitions);
    assert.equal(metrics.stats().metrics, definitions.length);
    metrics.detach();
    const names = definitions.map((d) => d.name);
    for (
      const name of [
        "beamlet.call.stop.duration",
        "beamlet.cast.stop.duration",
        "beamlet.info.stop.duration",
        "beamlet.call.stop.queue_time",
        "beamlet.call.exception.count",
        "beamlet.init.exception.count",
        "beamlet.mailbox.refused.count",
        "beamlet.mailbox.dropped.count",
        "beamlet.process.start.count",
        "beamlet.process.exit.count",
        "beamlet.scheduler.slice.utilization",
        "beamlet.scheduler.slice.run_queue_length",
        "beamlet.system.table_size.processes",
        "beamlet.task.stop.duration",
        "beamlet.supervisor.child.restart.count",
        "beamlet.slo.alert.count",
      ]
    ) assert.ok(names.includes(name), name);
  });

  it("tags calls by server name, anonymous when unnamed", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      telemetry.execute(["beamlet", "call", "stop"], { duration: 2, queue_time: 1 }, {
        name: "cache",
      });
      telemetry.execute(["beamlet", "call", "stop"], { duration: 3, queue_time: 0 }, {});
      const series = find(metrics, "beamlet.call.stop.duration").series;
      assert.deepEqual(series.map((s) => s.tags), [{ name: "cache" }, { name: "anonymous" }]);
      assert.equal(find(metrics, "beamlet.call.stop.duration").unit, "millisecond");
      assert.equal(find(metrics, "beamlet.call.stop.queue_time").series.length, 2);
    } finally {
      metrics.detach();
    }
  });

  it("classifies exit reasons, and counts by policy, child id and SLO", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      const exit = (reason: unknown) =>
        telemetry.execute(["beamlet", "process", "exit"], { lifetime: 1 }, { reason });
      exit("normal");
      exit("killed");
      exit({ shutdown: "bye" });
      exit(new Error("boom"));
      exit({ weird: true });
      const exits = find(metrics, "beamlet.process.exit.count").series as ScalarSeries[];
      assert.deepEqual(
        exits.map((s) => [s.tags.reason, s.value]),
        [["normal", 1], ["killed", 1], ["shutdown", 1], ["crash", 2]],
      );
      telemetry.execute(["beamlet", "mailbox", "dropped"], { count: 1, queue_length: 3 }, {
        policy: "drop_oldest",
      });
      const dropped = find(metrics, "beamlet.mailbox.dropped.count").series as ScalarSeries[];
      assert.deepEqual(dropped, [{ tags: { policy: "drop_oldest" }, value: 1 }]);
      telemetry.execute(["beamlet", "supervisor", "child", "restart"], { count: 1 }, {
        childId: "worker",
      });
      const restarts = find(metrics, "beamlet.supervisor.child.restart.count").series;
      assert.deepEqual(restarts, [{ tags: { child_id: "worker" }, value: 1 }]);
      telemetry.execute(["beamlet", "slo", "alert"], { burn_rate: 2 }, { slo: "p99" });
      const alerts = find(metrics, "beamlet.slo.alert.count").series;
      assert.deepEqual(alerts, [{ tags: { slo: "p99" }, value: 1 }]);
      telemetry.execute(["beamlet", "scheduler", "slice"], {
        duration: 1,
        utilization: 0.25,
        run_queue_length: 4,
        processes: 1,
        messages: 2,
      }, { reason: "idle" });
      const utilization = find(metrics, "beamlet.scheduler.slice.utilization").series;
      assert.deepEqual(utilization, [{ tags: {}, value: 0.25 }]);
      assert.equal(metrics.stats().skipped, 0);
    } finally {
      metrics.detach();
    }
  });
});
