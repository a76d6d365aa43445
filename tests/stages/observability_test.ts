/**
 * What observability reads: the stage directory (labels, counters, removal
 * on exit even when killed) and `beamlet.stage.stats` (deltas, at most once
 * a second, only armed while someone listens).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { defineStage } from "../../stages.ts";
import { existingStageDirectory } from "../../src/stages/_stage_directory.ts";
import {
  STAGE_STATS,
  type StageStatsMeasurements,
  type StageStatsMetadata,
} from "../../src/telemetry/catalog/stage_events.ts";
import {
  collector,
  counter,
  manualSystem,
  newConsumerLog,
  newProducerLog,
  startStage,
} from "./_fixtures.ts";

const labelled = defineStage<number, number>({
  type: "producer",
  init: () => ({
    state: 0,
    labels: { pipeline: "orders", role: "producer", name: "orders.producer" },
  }),
  handleDemand: (demand, n) => {
    const count = Math.min(demand, 30 - n);
    return { events: Array.from({ length: count }, (_, i) => n + i), state: n + count };
  },
});

describe("stage directory", () => {
  it("lists stages with labels and counters; a killed stage goes", async () => {
    const system = manualSystem();
    assert.equal(existingStageDirectory(system), undefined);
    const producer = await startStage(system, labelled, undefined);
    const consumer = await startStage(
      system,
      collector(newConsumerLog()),
      [{ to: producer, maxDemand: 10 }],
      { name: "sink" },
    );
    await system.runUntilIdle();
    const [p, c] = existingStageDirectory(system)!.list();
    assert.equal(p.pid, producer);
    assert.deepEqual([p.name, p.type, p.pipeline, p.role], [
      "orders.producer",
      "producer",
      "orders",
      "producer",
    ]);
    assert.equal(p.subscribers, 1);
    assert.equal(p.bufferSize, 10_000);
    assert.equal(p.eventsOut, 30);
    assert.ok(p.demand > 7 && p.demand <= 10, "more than minDemand, at most maxDemand");
    assert.equal(c.name, "sink");
    assert.equal(c.type, "consumer");
    assert.equal(c.subscriptions, 1);
    assert.equal(c.bufferSize, 0);
    assert.equal(c.eventsIn, 30);
    assert.equal(c.pendingAsk, p.demand);
    system.exit(consumer, "kill");
    assert.deepEqual(existingStageDirectory(system)!.list().map((s) => s.pid), [producer]);
    system.shutdown();
  });
});

describe("beamlet.stage.stats", () => {
  it("reports deltas at most once a second, and stops when activity stops", async () => {
    const t = createTestSystem();
    const system = t.system;
    const events: [StageStatsMeasurements, StageStatsMetadata][] = [];
    system.telemetry.attach("stats", STAGE_STATS, (_e, m, meta) => void events.push([m, meta]));
    const plog = newProducerLog();
    const producer = await t.start(counter(plog, { limit: 50 }), 0);
    await t.start(collector(newConsumerLog()), [{ to: producer, maxDemand: 10 }]);
    await t.runUntilIdle();
    assert.equal(events.length, 0, "not before a second");
    await t.advance(1000);
    const byType = (type: string) => events.filter(([, meta]) => meta.type === type);
    assert.equal(byType("producer").length, 1);
    assert.equal(byType("consumer").length, 1);
    assert.equal(byType("producer")[0][0].eventsOut, 50);
    assert.equal(byType("consumer")[0][0].eventsIn, 50);
    assert.equal(byType("consumer")[0][0].pendingAsk, byType("producer")[0][0].demand);
    assert.ok(byType("producer")[0][0].demand > 7);
    assert.equal(byType("producer")[0][1].pid, producer);
    await t.advance(10_000);
    assert.equal(events.length, 2, "no activity, no more events");
    t.dispose();
  });

  it("arms no timer when nobody listens", async () => {
    const t = createTestSystem();
    const producer = await t.start(counter(newProducerLog(), { limit: 50 }), 0);
    await t.start(collector(newConsumerLog()), [{ to: producer, maxDemand: 10 }]);
    await t.runUntilIdle();
    assert.equal(t.system.nextTimerDue(), undefined);
    t.dispose();
  });
});
