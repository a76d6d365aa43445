/**
 * Properties of whole pipelines on the virtual clock: with handlers that
 * throw at random, every message is acked exactly once and the failures
 * are reported; with `partitionBy` and random processing times, messages
 * of one key are handled, and batched, in the order they were pushed.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { failMessage, type PipelineMessage, putBatchKey } from "../../src/pipeline/message.ts";
import {
  assertAckedOnce,
  drive,
  MemoryProducer,
  seqOf,
  sleep,
  start,
  testSystem,
} from "./_fixtures.ts";

type Outcome = "ok" | "throw" | "reject" | "fail" | "garbage";

describe("Pipeline properties", () => {
  it("handlers failing at random: every message acked exactly once, failures reported", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Outcome>("ok", "ok", "throw", "reject", "fail", "garbage"), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        async (plan, concurrency, batched, batchSize) => {
          const t = testSystem();
          const source = new MemoryProducer<number>();
          const reported: number[] = [];
          const pipeline = await start(t, {
            name: "random",
            producer: { stage: source.stage() },
            processors: { default: { concurrency, maxDemand: 3 } },
            ...(batched ? { batchers: { default: { batchSize, batchTimeout: 5 } } } : {}),
            handleMessage: async (_p, m) => {
              await sleep(t, m.data % 3);
              switch (plan[m.data]) {
                case "throw":
                  throw new Error("t");
                case "reject":
                  return Promise.reject(new Error("r"));
                case "fail":
                  return failMessage(m, "f");
                case "garbage":
                  return null as unknown as PipelineMessage<number>;
                default:
                  return m;
              }
            },
            handleBatch: (_b, messages) => messages,
            handleFailed: (messages) => {
              reported.push(...messages.map((m) => m.data as number));
              return messages;
            },
          });
          source.push(...plan.map((_, i) => i));
          await t.advance(200);
          await drive(t, pipeline.stop());
          assertAckedOnce(source, plan.length);
          assert.equal(source.queued, 0);
          const expectedFailed = plan.flatMap((o, i) => o === "ok" ? [] : [i]);
          assert.deepEqual(
            source.failed().map((m) => m.data as number).sort((a, b) => a - b),
            expectedFailed,
          );
          assert.deepEqual(reported.sort((a, b) => a - b), expectedFailed);
          t.dispose();
        },
      ),
      { numRuns: 30 },
    );
  });

  it("partitionBy: per-key order through processors and batchers, whatever the timings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 10 }),
        async (messages, processors, batchProcessors, batchSize, batchDelay) => {
          const t = testSystem();
          const source = new MemoryProducer<{ key: number; delay: number }>();
          const handled = new Map<number, number[]>();
          const batched = new Map<number, number[]>();
          const record = (into: Map<number, number[]>, key: number, seq: number) => {
            const list = into.get(key) ?? [];
            list.push(seq);
            into.set(key, list);
          };
          const pipeline = await start(t, {
            name: "ordered",
            producer: { stage: source.stage() },
            processors: { default: { concurrency: processors, maxDemand: 4 } },
            batchers: {
              default: { batchSize, batchTimeout: 7, concurrency: batchProcessors },
            },
            partitionBy: (m) => m.data.key,
            handleMessage: async (_p, m) => {
              await sleep(t, m.data.delay);
              record(handled, m.data.key, seqOf(m));
              return putBatchKey(m, m.data.key);
            },
            handleBatch: async (_b, batch, info) => {
              await sleep(t, (batchDelay * (batch.length + 1)) % 11);
              for (const m of batch) {
                assert.equal(m.batchKey, info.batchKey);
                record(batched, m.data.key, seqOf(m));
              }
              return batch;
            },
          });
          source.push(...messages.map(([key, delay]) => ({ key, delay })));
          await t.advance(2000);
          await drive(t, pipeline.stop());
          assertAckedOnce(source, messages.length);
          assert.equal(source.ackedCount, messages.length);
          const pushed = new Map<number, number[]>();
          messages.forEach(([key], i) => record(pushed, key, i + 1));
          assert.deepEqual(new Map([...handled].sort()), new Map([...pushed].sort()));
          assert.deepEqual(new Map([...batched].sort()), new Map([...pushed].sort()));
          t.dispose();
        },
      ),
      { numRuns: 30 },
    );
  });

  it("stop at a random moment: everything taken is acked once, the rest stays queued", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        async (delays, stopAfter, concurrency, batchSize) => {
          const t = testSystem();
          const source = new MemoryProducer<number>();
          const pipeline = await start(t, {
            name: "stopping",
            producer: { stage: source.stage() },
            processors: { default: { concurrency, maxDemand: 4, minDemand: 2 } },
            ...(batchSize === undefined
              ? {}
              : { batchers: { default: { batchSize, batchTimeout: 10_000 } } }),
            handleMessage: async (_p, m) => {
              await sleep(t, delays[m.data]);
              return m;
            },
            handleBatch: async (_b, messages) => {
              await sleep(t, messages.length);
              return messages;
            },
          });
          source.push(...delays.map((_, i) => i));
          await t.advance(stopAfter);
          await drive(t, pipeline.stop());
          assertAckedOnce(source, delays.length);
          assert.equal(source.failedCount, 0);
          assert.equal(pipeline.stats().state, "stopped");
          assert.equal(t.system.processes().length, 0);
          t.dispose();
        },
      ),
      { numRuns: 30 },
    );
  });
});
