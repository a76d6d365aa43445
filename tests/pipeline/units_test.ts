/**
 * The pipeline's pure parts: message helpers, partition keys, the batch
 * accumulator, the rate limiter, the FIFO queue and ack grouping.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Acknowledger,
  createMessage,
  failMessage,
  type PipelineMessage,
  putBatcher,
  putBatchKey,
  putData,
} from "../../src/pipeline/message.ts";
import { isPipelineMessage } from "../../src/pipeline/_is_message.ts";
import { hashString, partitionKeyOf, partitionOfKey } from "../../src/pipeline/_partition.ts";
import { PartitionKeyError } from "../../src/pipeline/errors.ts";
import { BatchAccumulator } from "../../src/pipeline/_batch_accumulator.ts";
import { RateLimiter } from "../../src/pipeline/_rate_limiter.ts";
import { ChunkQueue } from "../../src/pipeline/_chunk_queue.ts";
import { ackMessages, type AckSink } from "../../src/pipeline/_ack.ts";

const noop: Acknowledger = { ack: () => {} };

function sink(): AckSink & { counts: [number, number][]; errors: unknown[] } {
  const counts: [number, number][] = [];
  const errors: unknown[] = [];
  return {
    counts,
    errors,
    acked: (s, f) => void counts.push([s, f]),
    ackFailed: (e) => void errors.push(e),
  };
}

describe("pipeline messages", () => {
  it("createMessage defaults, and the helpers return new messages", () => {
    const m = createMessage(1, noop, { id: "a" });
    assert.deepEqual(
      { data: m.data, status: m.status, batcher: m.batcher, batchKey: m.batchKey },
      { data: 1, status: "ok", batcher: "default", batchKey: "default" },
    );
    const f = failMessage(m, "bad");
    assert.deepEqual(f.status, { failed: "bad" });
    assert.equal(m.status, "ok");
    assert.equal(putData(m, "x").data, "x");
    assert.equal(putBatcher(m, "s3").batcher, "s3");
    assert.equal(putBatchKey(m, 7).batchKey, 7);
    assert.equal(putBatchKey(m, 7).acknowledger, noop);
    assert.equal(putBatchKey(m, 7).metadata, m.metadata);
  });

  it("refuses a bad acknowledger, metadata or batcher name", () => {
    // deno-lint-ignore no-explicit-any
    const any = (v: unknown) => v as any;
    assert.throws(() => createMessage(1, any({})), TypeError);
    assert.throws(() => createMessage(1, any(null)), TypeError);
    assert.throws(() => createMessage(1, noop, any(null)), TypeError);
    assert.throws(() => putBatcher(createMessage(1, noop), any(3)), TypeError);
  });

  it("isPipelineMessage: shapes, and hostile objects", () => {
    assert.ok(isPipelineMessage(createMessage(1, noop)));
    assert.ok(isPipelineMessage(failMessage(createMessage(1, noop), 0)));
    assert.ok(!isPipelineMessage(null));
    assert.ok(!isPipelineMessage(1));
    assert.ok(!isPipelineMessage({ ...createMessage(1, noop), status: "nope" }));
    assert.ok(!isPipelineMessage({ ...createMessage(1, noop), batcher: 3 }));
    const hostile = new Proxy({}, {
      get() {
        throw new Error("trap");
      },
    });
    assert.ok(!isPipelineMessage(hostile));
  });
});

describe("partition keys", () => {
  it("maps strings and numbers into range, deterministically", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        fc.integer({ min: 1, max: 64 }),
        (key, n) => {
          const p = partitionOfKey(key, n)!;
          assert.ok(Number.isInteger(p) && p >= 0 && p < n);
          assert.equal(partitionOfKey(key, n), p);
        },
      ),
    );
    assert.equal(partitionOfKey(5, 4), 1);
    assert.equal(partitionOfKey(-1, 4), 3);
    assert.equal(hashString(""), 0x811c9dc5);
  });

  it("anything else is not a key", () => {
    for (const key of [NaN, Infinity, -Infinity, undefined, null, {}, [], true, 1n]) {
      assert.equal(partitionOfKey(key, 4), undefined);
    }
  });

  it("partitionKeyOf: a throw or a non-key is a PartitionKeyError", () => {
    const m = createMessage({ k: "a" }, noop);
    assert.equal(partitionKeyOf("p", (x) => (x.data as { k: string }).k, m), "a");
    const thrown = partitionKeyOf("p", () => {
      throw new Error("boom");
    }, m);
    assert.ok(thrown instanceof PartitionKeyError);
    assert.equal(thrown.key, "threw");
    assert.equal((thrown.cause as Error).message, "boom");
    // deno-lint-ignore no-explicit-any
    const bad = partitionKeyOf("p", () => ({}) as any, m);
    assert.ok(bad instanceof PartitionKeyError);
    assert.match(bad.message, /object/);
    assert.equal(bad.pipeline, "p");
  });
});

describe("batch accumulator", () => {
  const m = (n: number) => createMessage(n, noop);

  it("hands out a batch at batchSize, per partition and key", () => {
    const acc = new BatchAccumulator(2, 2);
    const a = acc.add(0, "x", m(1));
    assert.equal(typeof acc.opened, "number");
    assert.equal(a, undefined);
    assert.equal(acc.add(1, "x", m(2)), undefined);
    assert.equal(acc.add(0, "y", m(3)), undefined);
    assert.equal(acc.held, 3);
    const full = acc.add(0, "x", m(4));
    assert.equal(acc.opened, undefined);
    assert.deepEqual(full?.messages.map((x) => x.data), [1, 4]);
    assert.equal(full?.partition, 0);
    assert.equal(full?.batchKey, "x");
    assert.equal(acc.held, 1 + 1);
  });

  it("a timer flushes only the batch it was armed for", () => {
    const acc = new BatchAccumulator(2, 1);
    acc.add(0, "k", m(1));
    const first = acc.opened!;
    acc.add(0, "k", m(2)); // full: handed out
    acc.add(0, "k", m(3));
    const second = acc.opened!;
    assert.notEqual(first, second);
    assert.equal(acc.timedOut(0, "k", first), undefined);
    assert.deepEqual(acc.timedOut(0, "k", second)?.messages.map((x) => x.data), [3]);
    assert.equal(acc.timedOut(0, "k", second), undefined);
    assert.equal(acc.held, 0);
  });

  it("takeAll empties it, and no message is lost or duplicated (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom("a", "b", 1))),
        (size, adds) => {
          const acc = new BatchAccumulator(size, 3);
          const out: number[] = [];
          adds.forEach(([p, k], i) => {
            const full = acc.add(p, k, m(i));
            if (full) {
              assert.equal(full.messages.length, size);
              out.push(...full.messages.map((x) => x.data as number));
            }
          });
          for (const b of acc.takeAll()) {
            assert.ok(b.messages.length > 0 && b.messages.length < size);
            out.push(...b.messages.map((x) => x.data as number));
          }
          assert.equal(acc.held, 0);
          assert.deepEqual(out.sort((x, y) => x - y), adds.map((_, i) => i));
        },
      ),
    );
  });
});

describe("batch accumulator, with timers", () => {
  const m = (n: number) => createMessage(n, noop);

  it("adds, timeouts and takeAll: every message handed out once, in order per batch (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.oneof(
            fc.record({ p: fc.integer({ min: 0, max: 1 }), k: fc.constantFrom("a", "b") }),
            fc.record({ timer: fc.nat() }),
          ),
        ),
        (size, ops) => {
          const acc = new BatchAccumulator(size, 2);
          const timers: [number, string, number][] = [];
          const out: number[][] = [];
          let next = 0;
          for (const op of ops) {
            if ("timer" in op) {
              if (timers.length === 0) continue;
              const [p, k, generation] = timers.splice(op.timer % timers.length, 1)[0];
              const full = acc.timedOut(p, k, generation);
              if (full) out.push(full.messages.map((x) => x.data as number));
              continue;
            }
            const full = acc.add(op.p, op.k, m(next++));
            if (acc.opened !== undefined) timers.push([op.p, op.k, acc.opened]);
            if (full) out.push(full.messages.map((x) => x.data as number));
          }
          for (const b of acc.takeAll()) out.push(b.messages.map((x) => x.data as number));
          for (const batch of out) {
            assert.ok(batch.length >= 1 && batch.length <= size);
            assert.deepEqual(batch, [...batch].sort((x, y) => x - y));
          }
          assert.deepEqual(
            out.flat().sort((x, y) => x - y),
            Array.from({ length: next }, (_, i) => i),
          );
          assert.equal(acc.held, 0);
        },
      ),
    );
  });
});

describe("rate limiter", () => {
  it("grants at most `allowed` per window, windows aligned on the start", () => {
    let t = 100;
    const limiter = new RateLimiter(3, 1000, () => t);
    assert.equal(limiter.take(2), 2);
    assert.equal(limiter.take(5), 1);
    assert.equal(limiter.available(), 0);
    assert.equal(limiter.msUntilNextWindow(), 1000);
    t = 1099;
    assert.equal(limiter.take(1), 0);
    assert.equal(limiter.msUntilNextWindow(), 1);
    t = 1100;
    assert.equal(limiter.available(), 3);
    t = 3550; // two windows later: aligned at 3100
    assert.equal(limiter.take(10), 3);
    assert.equal(limiter.msUntilNextWindow(), 550);
  });

  it("never grants more than allowed in any window (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 }))),
        (allowed, interval, steps) => {
          let t = 0;
          const limiter = new RateLimiter(allowed, interval, () => t);
          const perWindow = new Map<number, number>();
          for (const [dt, want] of steps) {
            t += dt;
            const got = limiter.take(want);
            assert.ok(got >= 0 && got <= want);
            const w = Math.floor(t / interval);
            perWindow.set(w, (perWindow.get(w) ?? 0) + got);
          }
          for (const n of perWindow.values()) assert.ok(n <= allowed);
        },
      ),
    );
  });
});

describe("chunk queue", () => {
  it("keeps push order across chunks, takes (plain and mapped) of any size and compactions (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ push: fc.integer({ min: 0, max: 7 }) }),
            fc.record({ take: fc.integer({ min: 0, max: 12 }) }),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const q = new ChunkQueue<number>();
          let next = 0;
          let expectedNext = 0;
          for (const op of ops) {
            if ("push" in op) {
              q.pushChunk(Array.from({ length: op.push }, () => next++));
            } else {
              const held = next - expectedNext;
              const taken = op.take % 2 === 0
                ? q.take(op.take)
                : q.takeMapped(op.take, (n) => -n).map((n) => -n);
              assert.equal(taken.length, Math.min(op.take, held));
              for (const n of taken) assert.equal(n, expectedNext++);
            }
            assert.equal(q.length, next - expectedNext);
          }
          const rest = q.take(Infinity);
          for (const n of rest) assert.equal(n, expectedNext++);
          assert.equal(expectedNext, next);
          assert.equal(q.length, 0);
        },
      ),
    );
  });

  it("compacts past 1024 consumed chunks without losing order", () => {
    const q = new ChunkQueue<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 3000; round++) {
      q.pushChunk([next++, next++]);
      for (const n of q.take(round % 3 === 0 ? 1 : 2)) assert.equal(n, expected++);
    }
    for (const n of q.take(next)) assert.equal(n, expected++);
    assert.equal(expected, next);
  });
});

describe("acking", () => {
  it("one call per acknowledger, every message once", () => {
    const calls: [string, number[], number[]][] = [];
    const ackOf = (name: string): Acknowledger => ({
      ack: (s, f) =>
        void calls.push([
          name,
          s.map((x) => x.data as number),
          f.map((x) => x.data as number),
        ]),
    });
    const a = ackOf("a");
    const b = ackOf("b");
    const out = sink();
    ackMessages(
      [createMessage(1, a), createMessage(2, b), createMessage(3, a)],
      [createMessage(4, b)],
      out,
    );
    assert.deepEqual(calls, [["a", [1, 3], []], ["b", [2], [4]]]);
    assert.deepEqual(out.counts, [[2, 0], [1, 1]]);
    calls.length = 0;
    ackMessages([], [], out);
    assert.equal(calls.length, 0);
  });

  it("an acknowledger that throws or rejects is reported, the others still acked", async () => {
    const seen: number[] = [];
    const throwing: Acknowledger = {
      ack: () => {
        throw new Error("sync");
      },
    };
    const rejecting: Acknowledger = { ack: () => Promise.reject(new Error("async")) };
    const fine: Acknowledger = { ack: (s) => void seen.push(...s.map((x) => x.data as number)) };
    const out = sink();
    const messages: PipelineMessage[] = [
      createMessage(1, throwing),
      createMessage(2, rejecting),
      createMessage(3, fine),
    ];
    ackMessages(messages, [], out);
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(seen, [3]);
    assert.deepEqual(out.errors.map((e) => (e as Error).message).sort(), ["async", "sync"]);
  });
});
