/**
 * Pipelines on a test system (virtual clock, manual scheduling): every
 * message acked once with and without batchers, batches by size, timeout
 * and key, the rate limit, the drain on stop, labels and directory.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { failMessage, putBatcher, putBatchKey, putData } from "../../src/pipeline/message.ts";
import type { BatchInfo } from "../../src/pipeline/batch_info.ts";
import { existingStageDirectory } from "../../src/stages/_stage_directory.ts";
import {
  PIPELINE_ACK,
  PIPELINE_BATCH,
  PIPELINE_MESSAGE_EXCEPTION,
} from "../../src/telemetry/catalog/pipeline_events.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import type { EventName } from "../../src/telemetry/types.ts";
import {
  assertAckedOnce,
  drive,
  MemoryProducer,
  Pipeline,
  sleep,
  start,
  testSystem,
} from "./_fixtures.ts";

describe("Pipeline: acks", () => {
  it("acks every message once, without batchers", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const pipeline = await start(t, {
      name: "plain",
      producer: { stage: source.stage() },
      processors: { default: { concurrency: 3, maxDemand: 4 } },
      handleMessage: async (_p, m) => {
        if (m.data % 2 === 0) await sleep(t, m.data % 7);
        return m.data % 5 === 0 ? failMessage(m, "five") : putData(m, m.data + 1000);
      },
    });
    source.push(...Array.from({ length: 100 }, (_, i) => i));
    await t.advance(1000);
    assert.equal(pipeline.stats().inFlight, 0);
    await drive(t, pipeline.stop());
    assertAckedOnce(source, 100);
    assert.equal(source.queued, 0);
    assert.equal(source.failedCount, 20);
    assert.ok(source.acked().every((m) => (m.data as number) >= 1000));
    assert.deepEqual(source.failed().map((m) => m.status), Array(20).fill({ failed: "five" }));
    assert.equal(pipeline.stats().state, "stopped");
    assert.deepEqual([pipeline.stats().acked, pipeline.stats().failed], [80, 20], "last numbers");
    assert.equal(pipeline.pid, undefined);
    assert.equal(t.system.processes().length, 0);
    t.dispose();
  });

  it("acks every message once, with batchers, each batch through handleBatch", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const batches: { batcher: string; size: number; data: number[] }[] = [];
    const pipeline = await start(t, {
      name: "batched",
      producer: { stage: source.stage(), concurrency: 2 },
      processors: { default: { concurrency: 2 } },
      batchers: {
        even: { batchSize: 4, batchTimeout: 50 },
        odd: { batchSize: 3, batchTimeout: 50, concurrency: 2 },
      },
      handleMessage: (_p, m) => putBatcher(m, m.data % 2 === 0 ? "even" : "odd"),
      handleBatch: async (batcher, messages, info) => {
        await sleep(t, 1);
        batches.push({ batcher, size: info.size, data: messages.map((m) => m.data) });
        assert.equal(info.size, messages.length);
        return messages;
      },
    });
    source.push(...Array.from({ length: 50 }, (_, i) => i));
    await t.advance(200);
    assert.equal(source.ackedCount, 50);
    assertAckedOnce(source, 50);
    for (const b of batches) {
      assert.ok(b.data.every((n) => (n % 2 === 0) === (b.batcher === "even")));
      assert.ok(b.size <= (b.batcher === "even" ? 4 : 3));
    }
    assert.equal(pipeline.stats().batchesFlushed, batches.length);
    await drive(t, pipeline.stop());
    t.dispose();
  });

  it("batches by size, by timeout and by key (virtual clock)", async () => {
    const t = testSystem();
    const source = new MemoryProducer<{ key: string; n: number }>();
    const infos: (BatchInfo & { data: number[] })[] = [];
    const pipeline = await start(t, {
      name: "keys",
      producer: { stage: source.stage() },
      processors: { default: {} },
      batchers: { default: { batchSize: 3, batchTimeout: 100 } },
      handleMessage: (_p, m) => putBatchKey(m, m.data.key),
      handleBatch: (_b, messages, info) => {
        infos.push({ ...info, data: messages.map((m) => m.data.n) });
        return messages;
      },
    });
    source.push(
      { key: "a", n: 1 },
      { key: "b", n: 2 },
      { key: "a", n: 3 },
      { key: "a", n: 4 },
      { key: "b", n: 5 },
    );
    await t.runUntilIdle();
    assert.deepEqual(infos.map((i) => [i.batchKey, i.trigger, i.data]), [["a", "size", [1, 3, 4]]]);
    await t.advance(99);
    assert.equal(infos.length, 1, "no timeout before batchTimeout");
    await t.advance(1);
    assert.deepEqual(infos.slice(1).map((i) => [i.batchKey, i.trigger, i.data]), [
      ["b", "timeout", [2, 5]],
    ]);
    source.push({ key: "c", n: 6 });
    await t.runUntilIdle();
    await drive(t, pipeline.stop());
    assert.deepEqual(infos.slice(2).map((i) => [i.batchKey, i.trigger, i.data]), [
      ["c", "drain", [6]],
    ]);
    assertAckedOnce(source, 6);
    t.dispose();
  });
});

describe("Pipeline: rate limit", () => {
  it("lets at most `allowed` messages out per interval, on the virtual clock", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const pipeline = await start(t, {
      name: "limited",
      producer: { stage: source.stage(), concurrency: 2 },
      processors: { default: { concurrency: 2 } },
      rateLimit: { allowed: 5, interval: 1000 },
      handleMessage: (_p, m) => m,
    });
    source.push(...Array.from({ length: 23 }, (_, i) => i));
    await t.runUntilIdle();
    assert.equal(source.ackedCount, 5);
    await t.advance(999);
    assert.equal(source.ackedCount, 5);
    await t.advance(1);
    assert.equal(source.ackedCount, 10);
    await t.advance(1000);
    assert.equal(source.ackedCount, 15);
    await t.advance(5000);
    assert.equal(source.ackedCount, 23);
    assert.deepEqual(pipeline.stats().rateLimit, { allowed: 5, interval: 1000 });
    await drive(t, pipeline.stop());
    t.dispose();
  });
});

describe("Pipeline: rate limit and drain", () => {
  it("a drain lets out what the rate limit held back, and asks the source for no more", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const pipeline = await start(t, {
      name: "held",
      producer: { stage: source.stage() },
      processors: { default: { maxDemand: 8 } },
      rateLimit: { allowed: 3, interval: 100 },
      handleMessage: (_p, m) => m,
    });
    source.push(...Array.from({ length: 30 }, (_, i) => i));
    await t.runUntilIdle();
    assert.equal(source.ackedCount, 3);
    const taken = 30 - source.queued;
    assert.ok(taken > 3, "the producer took more than the limit lets out");
    await drive(t, pipeline.stop());
    assert.equal(source.ackedCount, taken, "everything taken was acked");
    assert.equal(source.queued, 30 - taken, "nothing more was taken");
    assert.ok(t.clock.now() >= (Math.ceil(taken / 3) - 1) * 100, "still at 3 per 100 ms");
    t.dispose();
  });
});

describe("Pipeline: drain", () => {
  it("stop mid-stream acks everything taken; what was never taken stays queued", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const pipeline = await start(t, {
      name: "draining",
      producer: { stage: source.stage() },
      processors: { default: { concurrency: 2, maxDemand: 5 } },
      batchers: { default: { batchSize: 10, batchTimeout: 10_000 } },
      handleMessage: async (_p, m) => {
        await sleep(t, 3);
        return m;
      },
      handleBatch: async (_b, messages) => {
        await sleep(t, 5);
        return messages;
      },
    });
    source.push(...Array.from({ length: 200 }, (_, i) => i));
    await t.advance(20);
    const before = source.ackedCount;
    const stopping = pipeline.stop();
    await t.runUntilIdle();
    assert.equal(pipeline.stats().state, "draining");
    await drive(t, stopping);
    assertAckedOnce(source, 200);
    assert.ok(source.ackedCount > before, "in-flight work finished");
    assert.ok(source.queued > 0, "the producers stopped pulling");
    assert.equal(source.failedCount, 0);
    assert.equal(t.system.processes().length, 0);
    t.dispose();
  });

  it("a drain lets the batches fill with what is on its way, then hands out the rest once", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const batches: [string, number][] = [];
    const pipeline = await start(t, {
      name: "filling",
      producer: { stage: source.stage() },
      processors: { default: { concurrency: 2, maxDemand: 30 } },
      batchers: { default: { batchSize: 10, batchTimeout: 60_000 } },
      handleMessage: async (_p, m) => {
        await sleep(t, 3);
        return m;
      },
      handleBatch: (_b, messages, info) => {
        batches.push([info.trigger, info.size]);
        return messages;
      },
    });
    source.push(...Array.from({ length: 25 }, (_, i) => i));
    await t.advance(1); // every message is in a processor
    assert.equal(source.queued, 0);
    await drive(t, pipeline.stop());
    assert.deepEqual(batches, [["size", 10], ["size", 10], ["drain", 5]]);
    assert.equal(source.ackedCount, 25);
    t.dispose();
  });

  it("as a child of an application's tree, drains when the tree stops", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const app = await drive(
      t,
      Supervisor.start(t.system, [
        Pipeline.childSpec({
          name: "child",
          producer: { stage: source.stage() },
          processors: { default: {} },
          batchers: { default: { batchSize: 100, batchTimeout: 60_000 } },
          handleMessage: (_p, m) => m,
          handleBatch: (_b, messages) => messages,
        }),
      ]),
    );
    const pipeline = Pipeline.lookup(t.system, "child")!;
    assert.equal(pipeline.stats().state, "running");
    source.push(1, 2, 3);
    await t.runUntilIdle();
    assert.equal(source.ackedCount, 0, "the batch is not full");
    await drive(t, t.system.stop(app));
    assert.equal(source.ackedCount, 3);
    assert.equal(Pipeline.lookup(t.system, "child"), undefined);
    t.dispose();
  });
});

describe("Pipeline: observability", () => {
  it("labels its stages, lists itself, and emits ack / batch / exception events", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const events: [string, unknown, unknown][] = [];
    const declared: EventName[] = [PIPELINE_ACK, PIPELINE_BATCH, PIPELINE_MESSAGE_EXCEPTION];
    for (const event of declared) {
      t.system.telemetry.attach(
        `t.${event.join(".")}`,
        event,
        (e, m, meta) => void events.push([e.join("."), m, meta]),
      );
    }
    const pipeline = await start(t, {
      name: "seen",
      producer: { stage: source.stage() },
      processors: { default: { concurrency: 2 } },
      batchers: { default: { batchSize: 2, batchTimeout: 10 } },
      handleMessage: (_p, m) => {
        if (m.data === 3) throw new Error("three");
        return m;
      },
      handleBatch: (_b, messages) => messages,
    });
    const roles = existingStageDirectory(t.system)!.list()
      .filter((s) => s.pipeline === "seen").map((s) => s.role).sort();
    assert.deepEqual(roles, ["batch_processor", "batcher", "processor", "processor", "producer"]);
    const [info] = Pipeline.list(t.system);
    assert.equal(info.name, "seen");
    assert.equal(info.state, "running");
    assert.ok(info.supervisor.equals(pipeline.pid!));
    source.push(1, 2, 3);
    await t.advance(10);
    const stats = pipeline.stats();
    assert.deepEqual([stats.acked, stats.failed, stats.inFlight], [2, 1, 0]);
    const acks = events.filter(([e]) => e === "beamlet.pipeline.ack");
    const total = acks.reduce(
      (sum, [, m]) => sum + (m as { successful: number; failed: number }).successful,
      0,
    );
    assert.equal(total, 2);
    assert.ok(acks.every(([, , meta]) => (meta as { pipeline: string }).pipeline === "seen"));
    const batch = events.find(([e]) => e === "beamlet.pipeline.batch")!;
    assert.deepEqual(batch[2], {
      pipeline: "seen",
      batcher: "default",
      batchKey: "default",
      trigger: "size",
    });
    const exception = events.find(([e]) => e === "beamlet.pipeline.message.exception")!;
    assert.deepEqual(exception[1], { count: 1 });
    assert.deepEqual(exception[2], {
      pipeline: "seen",
      processor: "default",
      reason: "Error: three",
    });
    await drive(t, pipeline.stop());
    assert.deepEqual(Pipeline.list(t.system), []);
    t.dispose();
  });
});
