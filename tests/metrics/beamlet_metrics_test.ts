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
import { TABLE_STATS } from "../../src/telemetry/catalog/table_events.ts";
import { Pid } from "../../src/pid.ts";
import { prometheusText } from "../../src/metrics/reporters/prometheus.ts";
import { PROMTOOL_UNAVAILABLE, promtoolCheck } from "./reporters/_promtool.ts";

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
        "beamlet.scheduler.processes",
        "beamlet.scheduler.tasks",
        "beamlet.scheduler.up",
        "beamlet.system.table_size.processes",
        "beamlet.task.stop.duration",
        "beamlet.supervisor.child.restart.count",
        "beamlet.slo.alert.count",
        "beamlet.table.stats.size",
        "beamlet.table.stats.memory",
        "beamlet.table.stats.reads",
        "beamlet.table.stats.writes",
        "beamlet.stage.demand",
        "beamlet.stage.buffered",
        "beamlet.stage.events_in",
        "beamlet.stage.events_out",
        "beamlet.stage.dropped",
        "beamlet.pipeline.acked",
        "beamlet.pipeline.failed",
        "beamlet.pipeline.batch.size",
        "beamlet.mailbox.shed",
        "beamlet.mailbox.watermark",
        "beamlet.batcher.flushed_items",
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

  it("exposes each named table's size and memory as gauges, its reads and writes as counters", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      const owner = Pid.parse("#PID<test.7.0>");
      const stats = (table: string, size: number, reads: number, writes: number) =>
        telemetry.execute(TABLE_STATS, { size, memory: size * 64, reads, writes }, {
          table,
          type: "set",
          access: "protected",
          owner,
        });
      stats("rate_limits", 3, 100, 4);
      stats('we"ird\\name', 1, 0, 1);
      stats("rate_limits", 5, 50, 2); // the operations since the previous event
      const size = find(metrics, "beamlet.table.stats.size").series as ScalarSeries[];
      assert.deepEqual(size.map((s) => [s.tags.table, s.value]), [
        ["rate_limits", 5],
        ['we"ird\\name', 1],
      ]);
      const reads = find(metrics, "beamlet.table.stats.reads").series as ScalarSeries[];
      assert.deepEqual(reads.map((s) => [s.tags.table, s.value]), [
        ["rate_limits", 150],
        ['we"ird\\name', 0],
      ]);
      const text = prometheusText(metrics);
      assert.match(text, /^# TYPE beamlet_table_stats_size gauge$/m);
      assert.match(text, /^beamlet_table_stats_size\{table="rate_limits"\} 5$/m);
      assert.match(text, /^# TYPE beamlet_table_stats_memory_bytes gauge$/m);
      assert.match(text, /^beamlet_table_stats_memory_bytes\{table="rate_limits"\} 320$/m);
      assert.match(text, /^# TYPE beamlet_table_stats_reads_total counter$/m);
      assert.match(text, /^beamlet_table_stats_reads_total\{table="rate_limits"\} 150$/m);
      assert.match(text, /^beamlet_table_stats_writes_total\{table="rate_limits"\} 6$/m);
      assert.match(text, /^beamlet_table_stats_writes_total\{table="we\\"ird\\\\name"\} 1$/m);
      if (PROMTOOL_UNAVAILABLE === undefined) {
        const { status, output } = promtoolCheck(text);
        assert.equal(status, 0, output);
      }
    } finally {
      metrics.detach();
    }
  });
});
