/**
 * SystemObserver.stages() and .pipelines() over real stages: each live
 * stage's type, labels, demand, buffer and counters as the stage directory
 * reports them, stages outside any pipeline apart, a stage gone once it
 * exits (even killed).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { System } from "../../src/system.ts";
import { defineStage } from "../../stages.ts";
import type { Pid } from "../../src/pid.ts";

const producer = defineStage<number, number, number>({
  type: "producer",
  init: (limit) => ({
    state: limit,
    buffer: { size: 50 },
    labels: { pipeline: "orphans", role: "producer", name: "numbers" },
  }),
  handleDemand: (demand, left) => {
    const count = Math.min(demand, left);
    return { events: Array.from({ length: count }, (_, i) => i), state: left - count };
  },
});

const sink = defineStage<null, never, number, Pid>({
  type: "consumer",
  init: (to) => ({ state: null, subscribeTo: [{ to, maxDemand: 10, minDemand: 5 }] }),
  handleEvents: (_events, _from, state) => ({ state }),
});

describe("SystemObserver over real stages", () => {
  it("lists each live stage with its counters, outside any pipeline when none is registered", async () => {
    const system = new System({ logger: null, scheduling: "manual" });
    const observer = new SystemObserver(system);
    try {
      const started = system.start(producer, 30);
      await system.runUntilIdle();
      const numbers = await started;
      const consumer = system.start(sink, numbers, { name: "sink" });
      await system.runUntilIdle();
      const sinkPid = await consumer;
      await system.runUntilIdle();
      const view = observer.stages();
      assert.equal(view.total, 2);
      const byLabel = new Map(view.items.map((s) => [s.label, s]));
      const p = byLabel.get("numbers")!;
      assert.equal(p.type, "producer");
      assert.equal(p.pid, String(numbers));
      assert.equal(p.id, String(numbers.serial));
      assert.equal(p.pipeline, "orphans");
      assert.equal(p.role, "producer");
      assert.equal(p.eventsOut, 30);
      assert.equal(p.bufferSize, 50);
      assert.equal(p.subscribers, 1);
      const c = byLabel.get("sink")!;
      assert.equal(c.type, "consumer");
      assert.equal(c.pid, String(sinkPid));
      assert.equal(c.eventsIn, 30);
      assert.equal(c.subscriptions, 1);
      assert.equal(c.pipeline, null);
      // No pipeline named "orphans" is registered: both are stages outside any.
      const pipelines = observer.pipelines();
      assert.deepEqual(pipelines.items, []);
      assert.deepEqual(pipelines.stages.map((s) => s.label).sort(), ["numbers", "sink"]);
      assert.deepEqual(JSON.parse(JSON.stringify(pipelines)), pipelines);
      system.exit(sinkPid, "kill");
      await system.runUntilIdle();
      assert.deepEqual(observer.stages().items.map((s) => s.label), ["numbers"]);
    } finally {
      observer.close();
      system.shutdown();
    }
  });
});
