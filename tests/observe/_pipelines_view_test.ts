/**
 * The stages and pipelines views over plain directory records: pipelines
 * by name, each with its stages ordered producer → processor → batcher →
 * batch_processor, stages outside any pipeline apart, bounded, JSON-safe
 * (pids as strings, an unbounded buffer's bound null, no NaN), a record
 * that cannot be read left out.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Pid } from "../../src/pid.ts";
import {
  pipelinesView,
  type PipelineViewInfo,
  stagesView,
  type StageViewInfo,
} from "../../src/observe/_pipelines_view.ts";

function stage(serial: number, extra: Partial<StageViewInfo> = {}): StageViewInfo {
  return {
    pid: Pid.parse(`#PID<test.${serial}.0>`),
    name: undefined,
    type: "producer_consumer",
    pipeline: undefined,
    role: undefined,
    demand: 1,
    pendingAsk: 2,
    buffered: 3,
    bufferSize: 10,
    eventsIn: 4,
    eventsOut: 5,
    dropped: 0,
    subscribers: 1,
    subscriptions: 1,
    ...extra,
  };
}

function pipeline(name: string, serial: number, extra: Partial<PipelineViewInfo> = {}) {
  return {
    name,
    supervisor: Pid.parse(`#PID<test.${serial}.0>`),
    state: "running",
    acked: 10,
    failed: 1,
    inFlight: 2,
    batchesFlushed: 3,
    ...extra,
  };
}

const ORDERS = [
  stage(20, { pipeline: "orders", role: "batch_processor", name: "orders.s3.0", type: "consumer" }),
  stage(11, { pipeline: "orders", role: "processor", name: "orders.processor.1" }),
  stage(10, { pipeline: "orders", role: "processor", name: "orders.processor.0" }),
  stage(12, { pipeline: "orders", role: "batcher", name: "orders.s3" }),
  stage(9, { pipeline: "orders", role: "producer", name: "orders.producer", type: "producer" }),
];

describe("pipelinesView", () => {
  it("groups stages under their pipeline, producer → processor → batcher → batch_processor", () => {
    const view = pipelinesView(
      [
        pipeline("orders", 8, { rateLimit: { allowed: 100, interval: 1000 } }),
        pipeline("audit", 30),
      ],
      [
        ...ORDERS,
        stage(40, { type: "producer", bufferSize: Infinity }),
        stage(41, { name: "printer" }),
      ],
      10,
      100,
    );
    assert.deepEqual(view.items.map((p) => p.name), ["audit", "orders"]);
    const orders = view.items[1];
    assert.deepEqual(orders.stages.map((s) => [s.role, s.label]), [
      ["producer", "orders.producer"],
      ["processor", "orders.processor.0"],
      ["processor", "orders.processor.1"],
      ["batcher", "orders.s3"],
      ["batch_processor", "orders.s3.0"],
    ]);
    assert.deepEqual({ ...orders, stages: [] }, {
      name: "orders",
      supervisor: "#PID<test.8.0>",
      supervisorId: "8",
      state: "running",
      acked: 10,
      failed: 1,
      inFlight: 2,
      batchesFlushed: 3,
      rateLimit: { allowed: 100, interval: 1000 },
      stages: [],
    });
    assert.equal(view.items[0].rateLimit, null);
    assert.deepEqual(view.items[0].stages, []);
    assert.deepEqual(orders.stages[0], {
      id: "9",
      pid: "#PID<test.9.0>",
      name: "orders.producer",
      label: "orders.producer",
      type: "producer",
      pipeline: "orders",
      role: "producer",
      demand: 1,
      pendingAsk: 2,
      buffered: 3,
      bufferSize: 10,
      eventsIn: 4,
      eventsOut: 5,
      dropped: 0,
      subscribers: 1,
      subscriptions: 1,
    });
    // Outside any pipeline: by label (a name, else the pid).
    assert.deepEqual(view.stages.map((s) => s.label), ["#PID<test.40.0>", "printer"]);
    assert.equal(view.stages[0].bufferSize, null, "Infinity is not JSON");
    assert.equal(view.stages[0].name, null);
    assert.equal(view.total, 2);
    assert.equal(view.truncated, false);
    assert.deepEqual(JSON.parse(JSON.stringify(view)), view);
  });

  it("bounds pipelines and stages, and says so", () => {
    const many = Array.from({ length: 5 }, (_, i) => pipeline(`p${i}`, 100 + i));
    const view = pipelinesView(many, ORDERS, 2, 100);
    assert.deepEqual(view.items.map((p) => p.name), ["p0", "p1"]);
    assert.equal(view.total, 5);
    assert.equal(view.truncated, true);
    // A stage of a pipeline not listed is shown with the loose ones.
    assert.equal(view.stages.length, 5);
    const cut = pipelinesView([pipeline("orders", 8)], ORDERS, 10, 3);
    assert.deepEqual(cut.items[0].stages.map((s) => s.role), [
      "producer",
      "processor",
      "processor",
    ]);
    assert.equal(cut.truncated, true);
  });

  it("keeps hostile values JSON-safe and leaves out a record that cannot be read", () => {
    const throwing = {
      ...stage(50),
      get pid(): Pid {
        throw new Error("gone");
      },
    } as StageViewInfo;
    const long = "<script>alert(1)</script>".repeat(30);
    const view = pipelinesView(
      [pipeline(long, 8, { acked: NaN, failed: Infinity })],
      [
        throwing,
        stage(51, { pipeline: long, name: long, demand: NaN, buffered: -Infinity }),
      ],
      10,
      10,
    );
    assert.equal(view.items.length, 1);
    const [item] = view.items;
    assert.ok(item.name.length <= 256);
    assert.equal(item.acked, 0);
    assert.equal(item.failed, 0);
    assert.equal(item.stages.length, 1, "grouped under its (cut) pipeline name");
    assert.equal(item.stages[0].demand, 0);
    assert.equal(item.stages[0].buffered, 0);
    assert.ok(item.stages[0].label.length <= 256);
    assert.deepEqual(JSON.parse(JSON.stringify(view)), view);
  });
});

describe("stagesView", () => {
  it("lists every stage by pipeline, role and name, at most `limit`", () => {
    const view = stagesView([stage(41, { name: "printer" }), ...ORDERS], 4);
    assert.deepEqual(view.items.map((s) => s.label), [
      "printer",
      "orders.producer",
      "orders.processor.0",
      "orders.processor.1",
    ]);
    assert.equal(view.total, 6);
    assert.equal(view.truncated, true);
    assert.equal(stagesView([], 4).items.length, 0);
  });
});
