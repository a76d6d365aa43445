/**
 * The stage and pipeline metrics of beamletMetrics: per stage its demand
 * and buffer as gauges and its events in, out and dropped as counters
 * (sums of the deltas `beamlet.stage.stats` carries), tagged by pipeline,
 * role and stage; per pipeline its acks and failures as counters and its
 * batch sizes as a histogram — with the Prometheus names the docs give.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { beamletMetrics } from "../../src/metrics/beamlet_metrics.ts";
import { Metrics, type MetricSnapshot, type ScalarSeries } from "../../src/metrics/mod.ts";
import { prometheusText } from "../../src/metrics/reporters/prometheus.ts";
import { Telemetry } from "../../src/telemetry/mod.ts";
import { Pid } from "../../src/pid.ts";
import { PROMTOOL_UNAVAILABLE, promtoolCheck } from "./reporters/_promtool.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { defineStage } from "../../stages.ts";

function find(metrics: Metrics, name: string): MetricSnapshot {
  const found = metrics.snapshot().find((metric) => metric.name === name);
  assert.ok(found, name);
  return found;
}

const STATS = ["beamlet", "stage", "stats"];
const ACK = ["beamlet", "pipeline", "ack"];
const BATCH = ["beamlet", "pipeline", "batch"];

function stats(
  telemetry: Telemetry,
  meta: Record<string, unknown>,
  m: Partial<Record<string, number>>,
): void {
  telemetry.execute(STATS, {
    demand: 0,
    pendingAsk: 0,
    buffered: 0,
    eventsIn: 0,
    eventsOut: 0,
    dropped: 0,
    ...m,
  }, { type: "producer", ...meta });
}

describe("beamletMetrics for stages, pipelines, mailboxes and batchers", () => {
  it("keeps each stage's demand and buffer, and sums its events in, out and dropped", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      const producer = { pipeline: "orders", role: "producer", name: "orders.producer.0" };
      const loose = { pid: Pid.parse("#PID<test.9.0>"), name: undefined };
      stats(telemetry, producer, {
        demand: 10,
        buffered: 3,
        eventsIn: 0,
        eventsOut: 40,
        dropped: 2,
      });
      stats(telemetry, loose, { demand: 1, eventsOut: 5 });
      stats(telemetry, producer, { demand: 4, buffered: 0, eventsOut: 60, dropped: 1 });
      const demand = find(metrics, "beamlet.stage.demand").series as ScalarSeries[];
      assert.deepEqual(demand, [
        { tags: { pipeline: "orders", role: "producer", stage: "orders.producer.0" }, value: 4 },
        { tags: { pipeline: "", role: "", stage: "#PID<test.9.0>" }, value: 1 },
      ]);
      const out = find(metrics, "beamlet.stage.events_out").series as ScalarSeries[];
      assert.deepEqual(out.map((s) => [s.tags.stage, s.value]), [
        ["orders.producer.0", 100],
        ["#PID<test.9.0>", 5],
      ]);
      const dropped = find(metrics, "beamlet.stage.dropped").series as ScalarSeries[];
      assert.equal(dropped[0].value, 3);
      const text = prometheusText(metrics);
      const tags = 'pipeline="orders",role="producer",stage="orders.producer.0"';
      assert.match(text, /^# TYPE beamlet_stage_demand gauge$/m);
      assert.match(text, new RegExp(`^beamlet_stage_demand\\{${tags}\\} 4$`, "m"));
      assert.match(text, /^# TYPE beamlet_stage_buffered gauge$/m);
      assert.match(text, new RegExp(`^beamlet_stage_buffered\\{${tags}\\} 0$`, "m"));
      assert.match(text, /^# TYPE beamlet_stage_events_in_total counter$/m);
      assert.match(text, /^# TYPE beamlet_stage_events_out_total counter$/m);
      assert.match(text, new RegExp(`^beamlet_stage_events_out_total\\{${tags}\\} 100$`, "m"));
      assert.match(text, /^# TYPE beamlet_stage_dropped_total counter$/m);
      assert.match(text, new RegExp(`^beamlet_stage_dropped_total\\{${tags}\\} 3$`, "m"));
      assert.equal(metrics.stats().skipped, 0);
    } finally {
      metrics.detach();
    }
  });

  it("counts a pipeline's acks and failures, and its batch sizes as a histogram", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      telemetry.execute(ACK, { successful: 7, failed: 1 }, { pipeline: "orders" });
      telemetry.execute(ACK, { successful: 3, failed: 0 }, { pipeline: "orders" });
      telemetry.execute(ACK, { successful: 0, failed: 2 }, { pipeline: 'we"ird' });
      const batch = (size: number, trigger: string) =>
        telemetry.execute(BATCH, { size }, {
          pipeline: "orders",
          batcher: "s3",
          batchKey: "default",
          trigger,
        });
      batch(100, "size");
      batch(3, "timeout");
      const acked = find(metrics, "beamlet.pipeline.acked").series as ScalarSeries[];
      assert.deepEqual(acked.map((s) => [s.tags.pipeline, s.value]), [["orders", 10], [
        'we"ird',
        0,
      ]]);
      const failed = find(metrics, "beamlet.pipeline.failed").series as ScalarSeries[];
      assert.deepEqual(failed.map((s) => [s.tags.pipeline, s.value]), [["orders", 1], [
        'we"ird',
        2,
      ]]);
      const text = prometheusText(metrics);
      assert.match(text, /^# TYPE beamlet_pipeline_acked_total counter$/m);
      assert.match(text, /^beamlet_pipeline_acked_total\{pipeline="orders"\} 10$/m);
      assert.match(text, /^beamlet_pipeline_failed_total\{pipeline="we\\"ird"\} 2$/m);
      assert.match(text, /^# TYPE beamlet_pipeline_batch_size histogram$/m);
      assert.match(
        text,
        /^beamlet_pipeline_batch_size_count\{pipeline="orders",batcher="s3"\} 2$/m,
      );
      assert.match(
        text,
        /^beamlet_pipeline_batch_size_sum\{pipeline="orders",batcher="s3"\} 103$/m,
      );
      assert.match(
        text,
        /^beamlet_pipeline_batch_size_bucket\{pipeline="orders",batcher="s3",le="5"\} 1$/m,
      );
      if (PROMTOOL_UNAVAILABLE === undefined) {
        const { status, output } = promtoolCheck(text);
        assert.equal(status, 0, output);
      }
    } finally {
      metrics.detach();
    }
  });

  it("counts shed messages, keeps each mailbox's watermark level, sums flushed batcher items", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      const pid = Pid.parse("#PID<test.5.0>");
      telemetry.execute(["beamlet", "mailbox", "shed"], { count: 3, sojourn: 250 }, {
        pid,
        name: "ingest",
      });
      telemetry.execute(["beamlet", "mailbox", "shed"], { count: 2, sojourn: 120 }, {
        pid,
        name: "ingest",
      });
      const mark = (level: string, name: string | undefined) =>
        telemetry.execute(["beamlet", "mailbox", "watermark"], { length: 10 }, {
          pid,
          name,
          level,
          high: 10,
          low: 2,
        });
      mark("high", "ingest");
      mark("high", undefined);
      mark("low", "ingest");
      const flush = (batcher: string, items: number, ok: boolean) =>
        telemetry.execute(["beamlet", "batcher", "flush"], { items, duration: 1, attempts: 1 }, {
          batcher,
          trigger: "size",
          ok,
        });
      flush("audit", 100, true);
      flush("audit", 7, false); // failed: not flushed
      flush("audit", 20, true);
      const text = prometheusText(metrics);
      assert.match(text, /^# TYPE beamlet_mailbox_shed_total counter$/m);
      assert.match(text, /^beamlet_mailbox_shed_total\{name="ingest"\} 5$/m);
      assert.match(text, /^# TYPE beamlet_mailbox_watermark gauge$/m);
      assert.match(text, /^beamlet_mailbox_watermark\{name="ingest"\} 0$/m);
      assert.match(text, /^beamlet_mailbox_watermark\{name="#PID<test\.5\.0>"\} 1$/m);
      assert.match(text, /^# TYPE beamlet_batcher_flushed_items_total counter$/m);
      assert.match(text, /^beamlet_batcher_flushed_items_total\{batcher="audit"\} 120$/m);
      assert.equal(metrics.stats().skipped, 0);
    } finally {
      metrics.detach();
    }
  });

  it("reads the stats real stages emit: a producer and a consumer on the virtual clock", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, beamletMetrics());
    try {
      const numbers = defineStage<number, number, number>({
        type: "producer",
        init: (left) => ({ state: left, labels: { pipeline: "demo", role: "producer" } }),
        handleDemand: (demand, left) => {
          const count = Math.min(demand, left);
          return { events: new Array(count).fill(1), state: left - count };
        },
      });
      const sink = defineStage<null, never, number, Pid>({
        type: "consumer",
        init: (to) => ({ state: null, subscribeTo: [{ to, maxDemand: 10 }] }),
        handleEvents: (_events, _from, state) => ({ state }),
      });
      const producer = await t.start(numbers, 25, { name: "numbers" });
      await t.start(sink, producer, { name: "sink" });
      await t.runUntilIdle();
      await t.advance(2000);
      const text = prometheusText(metrics);
      assert.match(
        text,
        /^beamlet_stage_events_out_total\{pipeline="demo",role="producer",stage="numbers"\} 25$/m,
      );
      assert.match(text, /^beamlet_stage_events_in_total\{pipeline="",role="",stage="sink"\} 25$/m);
      assert.match(
        text,
        /^beamlet_stage_demand\{pipeline="demo",role="producer",stage="numbers"\} \d+$/m,
      );
    } finally {
      metrics.detach();
      t.system.shutdown();
    }
  });
});
