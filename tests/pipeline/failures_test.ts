/**
 * Pipelines and bad things: a processor killed mid-work (restarted,
 * resubscribed, the pipeline goes on), bad options, a taken name, a
 * partition function that throws or returns a non-key, handlers that
 * return garbage, a source that emits garbage, an acknowledger that
 * throws, a full MemoryProducer.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createMessage, type PipelineMessage, putBatcher } from "../../src/pipeline/message.ts";
import {
  MemoryProducerFullError,
  MessageReturnError,
  PartitionKeyError,
  PipelineExistsError,
  UnknownBatcherError,
} from "../../src/pipeline/errors.ts";
import { processorName } from "../../src/pipeline/_names.ts";
import { drive, MemoryProducer, Pipeline, seqOf, sleep, start, testSystem } from "./_fixtures.ts";

const reasonOf = (m: PipelineMessage) => m.status === "ok" ? undefined : m.status.failed;

describe("Pipeline: crashes", () => {
  it("a processor killed mid-work is restarted and resubscribes; nothing is acked twice", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const pipeline = await start(t, {
      name: "crashy",
      producer: { stage: source.stage() },
      processors: { default: { concurrency: 2, maxDemand: 2 } },
      batchers: { default: { batchSize: 3, batchTimeout: 20 } },
      handleMessage: async (_p, m) => {
        await sleep(t, 10);
        return m;
      },
      handleBatch: (_b, messages) => messages,
    });
    source.push(...Array.from({ length: 10 }, (_, i) => i));
    await t.advance(5); // every processor is in the middle of a message
    const victim = t.system.whereis(processorName("crashy", 0))!;
    t.system.exit(victim, "kill");
    await t.advance(500);
    const replacement = t.system.whereis(processorName("crashy", 0))!;
    assert.ok(replacement !== undefined && !replacement.equals(victim), "restarted");
    source.push(...Array.from({ length: 10 }, (_, i) => 100 + i));
    await t.advance(500);
    const seqs = [...source.acked(), ...source.failed()].map(seqOf);
    assert.equal(new Set(seqs).size, seqs.length, "nothing acked twice");
    assert.equal(source.queued, 0);
    const lost = 20 - seqs.length;
    assert.ok(lost > 0 && lost <= 10, `the killed stages' messages are lost (${lost})`);
    assert.ok(source.acked().some((m) => (m.data as number) >= 100), "the pipeline goes on");
    assert.equal(pipeline.stats().inFlight, 0, "the lost messages are not waited for");
    await drive(t, pipeline.stop());
    assert.equal(t.system.processes().length, 0);
    t.dispose();
  });

  it("a processor that kills itself inside handleMessage: restarted, later messages acked", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    let killed = false;
    const pipeline = await start(t, {
      name: "suicide",
      producer: { stage: source.stage() },
      processors: { default: { maxDemand: 1 } },
      handleMessage: (_p, m, ctx) => {
        if (m.data === 2 && !killed) {
          killed = true;
          ctx.exit(ctx.self, "kill");
        }
        return m;
      },
    });
    source.push(0, 1, 2, 3, 4);
    await t.advance(100);
    assert.deepEqual(source.acked().map((m) => m.data), [0, 1, 3, 4]);
    assert.equal(source.failedCount, 0);
    await drive(t, pipeline.stop());
    t.dispose();
  });

  it("a producer whose init throws: start rejects with the error, nothing left behind", async () => {
    const t = testSystem();
    const error = new Error("no source");
    await assert.rejects(
      drive(
        t,
        Pipeline.start(t.system, {
          name: "nosource",
          producer: {
            stage: {
              type: "producer",
              init: () => {
                throw error;
              },
              handleDemand: (_d: number, s: null) => ({ state: s }),
            },
          },
          processors: { default: {} },
          handleMessage: (_p, m) => m,
        }),
      ),
      (e) => JSON.stringify(e, Object.getOwnPropertyNames(e)).includes("no source"),
    );
    assert.deepEqual(Pipeline.list(t.system), []);
    assert.equal(t.system.processes().length, 0);
    t.dispose();
  });
});

describe("Pipeline: bad input", () => {
  const base = {
    name: "bad",
    producer: { stage: new MemoryProducer<number>().stage() },
    processors: { default: {} },
    handleMessage: (_p: string, m: PipelineMessage<number>) => m,
  };

  it("bad options reject with TypeError / RangeError before anything starts", async () => {
    const t = testSystem();
    // deno-lint-ignore no-explicit-any
    const bad = (patch: Record<string, any>) => Pipeline.start(t.system, { ...base, ...patch });
    await assert.rejects(bad({ processors: { default: { concurrency: 0 } } }), RangeError);
    await assert.rejects(bad({ processors: { default: { maxDemand: -3 } } }), RangeError);
    await assert.rejects(
      bad({ batchers: { default: { batchSize: 0 } }, handleBatch: () => [] }),
      RangeError,
    );
    await assert.rejects(bad({ rateLimit: { allowed: 0, interval: 1 } }), RangeError);
    await assert.rejects(bad({ producer: { stage: {} } }), TypeError);
    await assert.rejects(bad({ name: 3 }), TypeError);
    // deno-lint-ignore no-explicit-any
    await assert.rejects(Pipeline.start(null as any, base), TypeError);
    assert.equal(t.system.processes().length, 0);
    t.dispose();
  });

  it("a taken name is a PipelineExistsError", async () => {
    const t = testSystem();
    const pipeline = await start(t, base);
    await assert.rejects(drive(t, Pipeline.start(t.system, base)), PipelineExistsError);
    assert.throws(() => Pipeline.childSpec({ ...base, name: "" }), TypeError);
    await drive(t, pipeline.stop());
    t.dispose();
  });

  it("partitionBy that throws or returns a non-key fails those messages, the rest go on", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const pipeline = await start(t, {
      name: "keys",
      producer: { stage: source.stage() },
      processors: { default: { concurrency: 2 } },
      partitionBy: (m) => {
        if (m.data === 1) throw new Error("no key");
        if (m.data === 2) return undefined as unknown as string;
        if (m.data === 3) return NaN;
        return m.data;
      },
      handleMessage: (_p, m) => m,
    });
    source.push(0, 1, 2, 3, 4);
    await t.runUntilIdle();
    assert.deepEqual(source.acked().map((m) => m.data).sort(), [0, 4]);
    const failed = [...source.failed()].sort((a, b) => seqOf(a) - seqOf(b));
    assert.deepEqual(failed.map((m) => m.data), [1, 2, 3]);
    assert.ok(failed.every((m) => reasonOf(m) instanceof PartitionKeyError));
    assert.equal((reasonOf(failed[0]) as PartitionKeyError).key, "threw");
    assert.equal(pipeline.stats().failed, 3);
    await drive(t, pipeline.stop());
    t.dispose();
  });

  it("garbage from handlers and unknown batchers fail messages with named reasons", async () => {
    const t = testSystem();
    const source = new MemoryProducer<number>();
    const pipeline = await start(t, {
      name: "garbage",
      producer: { stage: source.stage() },
      processors: { default: {} },
      batchers: { default: { batchSize: 2, batchTimeout: 5 } },
      handleMessage: (_p, m) => {
        if (m.data === 0) return 42 as unknown as PipelineMessage<number>;
        if (m.data === 1) return putBatcher(m, "nowhere");
        return m;
      },
      handleBatch: () => "not an array" as unknown as PipelineMessage<number>[],
    });
    source.push(0, 1, 2, 3);
    await t.advance(10);
    const failed = [...source.failed()].sort((a, b) => seqOf(a) - seqOf(b));
    assert.equal(source.ackedCount, 0);
    assert.deepEqual(failed.map((m) => m.data), [0, 1, 2, 3]);
    const [bad, unknown, batch] = failed.map(reasonOf);
    assert.ok(bad instanceof MessageReturnError && bad.problem === "not_a_message");
    assert.ok(unknown instanceof UnknownBatcherError && unknown.batcher === "nowhere");
    assert.ok(batch instanceof MessageReturnError && batch.problem === "not_an_array");
    await drive(t, pipeline.stop());
    t.dispose();
  });

  it("a source emitting non-messages is reported; a throwing acknowledger is reported", async () => {
    const t = testSystem();
    const acked: number[] = [];
    let calls = 0;
    const acknowledger = {
      ack: (successful: readonly PipelineMessage[]) => {
        calls++;
        acked.push(...successful.map((m) => m.data as number));
        throw new Error("ack failed");
      },
    };
    const pipeline = await start(t, {
      name: "odd",
      producer: {
        stage: {
          type: "producer",
          init: () => ({ state: 0 }),
          handleDemand: (_demand: number, n: number) => ({
            events: n === 0
              ? [createMessage(1, acknowledger), "junk" as never, createMessage(2, acknowledger)]
              : [],
            state: n + 1,
          }),
        },
      },
      processors: { default: {} },
      handleMessage: (_p, m) => m,
    });
    await t.runUntilIdle();
    assert.deepEqual(acked.sort(), [1, 2]);
    assert.ok(calls >= 1);
    const callbacks = t.logged.filter((r) => r.kind === "callback").map((r) =>
      r.kind === "callback" ? r.callback : ""
    );
    assert.ok(callbacks.includes("pipeline odd producer"));
    assert.ok(callbacks.includes("pipeline odd ack"));
    assert.equal(pipeline.stats().acked, 2);
    await drive(t, pipeline.stop());
    t.dispose();
  });

  it("MemoryProducer: a bound refused by name, all or nothing; bad options", () => {
    const source = new MemoryProducer<number>({ bound: 3 });
    source.push(1, 2);
    assert.throws(
      () => source.push(3, 4),
      (e) => e instanceof MemoryProducerFullError && e.queued === 2 && e.offered === 2,
    );
    assert.equal(source.queued, 2);
    source.push(3);
    assert.equal(source.queued, 3);
    assert.throws(() => new MemoryProducer({ bound: 0 }), RangeError);
    assert.throws(() => new MemoryProducer({ bound: 1.5 }), RangeError);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => new MemoryProducer({ bound: "3" as any }), TypeError);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => new MemoryProducer({ onAck: 1 as any }), TypeError);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => new MemoryProducer(null as any), TypeError);
  });
});
