/**
 * The flow-control events, emitted by real parts: a Batcher's
 * `beamlet.batcher.flush` and `.refused`, a stage's `beamlet.stage.stats`
 * and `.dropped`, a pipeline's `beamlet.pipeline.ack`, `.batch` and
 * `.message.exception` — each reaching a handler attached to its
 * `BEAMLET_EVENTS` name. (Also a scenario of the event catalog's test.)
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BEAMLET_EVENTS } from "../../src/telemetry/beamlet_events.ts";
import type { TelemetryEvent } from "../../src/telemetry/types.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { Batcher } from "../../batcher.ts";
import { defineStage } from "../../stages.ts";
import { MemoryProducer, Pipeline, putBatcher } from "../../pipeline.ts";
import type { Pid } from "../../src/pid.ts";
import type { System } from "../../src/system.ts";

/** Counts the events of `events` by dotted name. */
function counting(
  system: System,
  events: readonly TelemetryEvent[],
): Map<string, number> {
  const seen = new Map<string, number>();
  system.telemetry.attachMany("flow-events", events, (event) => {
    const id = event.join(".");
    seen.set(id, (seen.get(id) ?? 0) + 1);
  });
  return seen;
}

describe("flow-control events", () => {
  it("a Batcher emits flush and refused", async () => {
    const t = createTestSystem();
    const seen = counting(t.system, [BEAMLET_EVENTS.batcherFlush, BEAMLET_EVENTS.batcherRefused]);
    const started = Batcher.start<string>(t.system, {
      maxItems: 2,
      interval: 100,
      key: (item: string) => {
        if (item === "bad") throw new Error("no key");
        return item;
      },
      flush: () => {},
    });
    await t.runUntilIdle();
    const batcher = await started;
    batcher.add("a");
    batcher.add("b");
    batcher.add("bad");
    await t.runUntilIdle();
    await t.advance(200);
    assert.ok((seen.get("beamlet.batcher.flush") ?? 0) >= 1, JSON.stringify([...seen]));
    assert.ok((seen.get("beamlet.batcher.refused") ?? 0) >= 1, JSON.stringify([...seen]));
    t.system.shutdown();
  });

  it("a producer whose buffer overflows emits dropped, and stages emit stats", async () => {
    const t = createTestSystem();
    const seen = counting(t.system, [BEAMLET_EVENTS.stageStats, BEAMLET_EVENTS.stageDropped]);
    const burst = defineStage<null, number, undefined>({
      type: "producer",
      init: () => ({ state: null, buffer: { size: 2 } }),
      handleDemand: (_demand, state) => ({ state }),
      handleCast: (count: number, state) => ({
        events: Array.from({ length: count }, (_, i) => i),
        state,
      }),
    });
    const sink = defineStage<null, never, number, Pid>({
      type: "consumer",
      init: (to) => ({ state: null, subscribeTo: [{ to, maxDemand: 2, minDemand: 1 }] }),
      handleEvents: (_events, _from, state) => ({ state }),
    });
    const producer = await t.start(burst, undefined);
    t.system.cast(producer, 10); // nobody asked yet: 2 buffered, 8 dropped
    await t.runUntilIdle();
    await t.start(sink, producer);
    await t.runUntilIdle();
    await t.advance(1500);
    assert.ok((seen.get("beamlet.stage.dropped") ?? 0) >= 1, JSON.stringify([...seen]));
    assert.ok((seen.get("beamlet.stage.stats") ?? 0) >= 2, JSON.stringify([...seen]));
    t.system.shutdown();
  });

  it("a pipeline emits ack, batch and message exception", async () => {
    const t = createTestSystem();
    const seen = counting(t.system, [
      BEAMLET_EVENTS.pipelineAck,
      BEAMLET_EVENTS.pipelineBatch,
      BEAMLET_EVENTS.pipelineMessageException,
    ]);
    const source = new MemoryProducer<number>();
    const started = Pipeline.start<number>(t.system, {
      name: "events",
      producer: { stage: source.stage() },
      processors: { default: { concurrency: 1 } },
      batchers: { store: { batchSize: 2, batchTimeout: 100 } },
      handleMessage: (_processor, message) => {
        if (message.data === 3) throw new Error("three");
        return putBatcher(message, "store");
      },
      handleBatch: (_batcher, messages) => messages,
    });
    await t.runUntilIdle();
    const pipeline = await started;
    source.push(1, 2, 3);
    await t.runUntilIdle();
    await t.advance(200);
    const stopping = pipeline.stop();
    await t.runUntilIdle();
    await stopping;
    assert.ok((seen.get("beamlet.pipeline.ack") ?? 0) >= 1, JSON.stringify([...seen]));
    assert.ok((seen.get("beamlet.pipeline.batch") ?? 0) >= 1, JSON.stringify([...seen]));
    assert.equal(seen.get("beamlet.pipeline.message.exception"), 1, JSON.stringify([...seen]));
    assert.equal(source.failedCount, 1);
    assert.equal(source.ackedCount, 2);
    t.system.shutdown();
  });
});
