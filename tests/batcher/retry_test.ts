import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BatchFlushError, FlushTimeoutError } from "../../batcher.ts";
import type { CallbackFailureReport } from "../../src/logger.ts";
import { harness, startBatcher, track } from "./_fixtures.ts";

describe("Batcher: a flush that fails", () => {
  it("is retried after the backoff, on the system clock, and then succeeds", async () => {
    const { t, flushes, reports } = harness();
    const attempts: { at: number; items: number[]; attempt: number }[] = [];
    const b = await startBatcher(t, {
      maxItems: 2,
      interval: 1000,
      retry: { attempts: 3, backoff: 100 },
      flush: (items: number[], info) => {
        attempts.push({ at: t.clock.now(), items, attempt: info.attempt });
        if (items[0] === 1 && info.attempt < 3) {
          return Promise.reject(new Error(`attempt ${info.attempt} failed`));
        }
        return Promise.resolve();
      },
    });
    const waited = track(b.addAndWait(1));
    b.add(2);
    await t.runUntilIdle();
    assert.deepEqual(attempts.map((a) => [a.at, a.attempt]), [[0, 1]]);
    // The batcher keeps taking items while it waits to retry; later batches wait their turn.
    b.add(3);
    b.add(4);
    await t.advance(99);
    assert.equal(attempts.length, 1);
    assert.equal(b.stats().pending, 4);
    await t.advance(1);
    assert.deepEqual(attempts.map((a) => [a.at, a.attempt]), [[0, 1], [100, 2]]);
    assert.equal(waited.state, "pending");
    await t.advance(100);
    assert.deepEqual(attempts.map((a) => [a.at, a.items, a.attempt]), [
      [0, [1, 2], 1],
      [100, [1, 2], 2],
      [200, [1, 2], 3],
      [200, [3, 4], 1],
    ]);
    assert.equal(waited.state, "ok");
    const s = b.stats();
    assert.equal(s.retries, 2);
    assert.equal(s.flushes, 2);
    assert.equal(s.flushed, 4);
    assert.equal(s.failedFlushes, 0);
    assert.deepEqual(flushes.map((f) => [f.items, f.attempts, f.duration, f.ok]), [
      [2, 3, 200, true],
      [2, 1, 0, true],
    ]);
    assert.equal(reports.length, 0);
    t.dispose();
  });

  it("a backoff function gets the failed attempt's number", async () => {
    const { t } = harness();
    const at: number[] = [];
    const b = await startBatcher(t, {
      maxItems: 1,
      interval: 1000,
      retry: { attempts: 4, backoff: (failed) => 10 * 2 ** (failed - 1) },
      flush: () => {
        at.push(t.clock.now());
        throw new Error("no");
      },
    });
    b.add("x");
    await t.advance(1000);
    assert.deepEqual(at, [0, 10, 30, 70]);
    t.dispose();
  });

  it("when retries are exhausted: reported, counted, executed, addAndWait rejected", async () => {
    const { t, flushes, reports } = harness();
    const cause = new Error("database down");
    const b = await startBatcher(t, {
      name: "writes",
      maxItems: 2,
      interval: 1000,
      retry: { attempts: 2, backoff: 50 },
      flush: () => Promise.reject(cause),
    });
    const first = track(b.addAndWait("a"));
    const second = track(b.addAndWait("b"));
    await t.advance(50);
    assert.equal(first.state, "error");
    assert.equal(second.state, "error");
    const error = first.error as BatchFlushError;
    assert.ok(error instanceof BatchFlushError);
    assert.equal(error.batcher, "writes");
    assert.equal(error.items, 2);
    assert.equal(error.attempts, 2);
    assert.equal(error.trigger, "size");
    assert.equal(error.cause, cause);
    assert.equal(second.error, error);
    assert.equal(reports.length, 1);
    const report = reports[0] as CallbackFailureReport;
    assert.equal(report.kind, "callback");
    assert.equal(report.callback, "batcher writes flush");
    assert.equal(report.reason, error);
    assert.deepEqual(flushes.map((f) => [f.batcher, f.items, f.attempts, f.ok]), [
      ["writes", 2, 2, false],
    ]);
    const s = b.stats();
    assert.deepEqual([s.failed, s.failedFlushes, s.retries, s.flushed, s.pending], [2, 1, 1, 0, 0]);
    // The batcher goes on: the next batch is flushed (and fails) in turn.
    assert.equal(t.system.isAlive(b.pid!), true);
    t.dispose();
  });

  it("a flush that throws synchronously, or returns a thenable that throws, fails too", async () => {
    const { t } = harness();
    let calls = 0;
    const b = await startBatcher(t, {
      maxItems: 1,
      interval: 1000,
      flush: () => {
        calls++;
        if (calls === 1) throw new Error("sync");
        return {
          get then(): never {
            throw new Error("bad thenable");
          },
        };
      },
    });
    const one = track(b.addAndWait(1));
    const two = track(b.addAndWait(2));
    await t.runUntilIdle();
    assert.equal((one.error as BatchFlushError).cause instanceof Error, true);
    assert.equal(((one.error as BatchFlushError).cause as Error).message, "sync");
    assert.equal(((two.error as BatchFlushError).cause as Error).message, "bad thenable");
    assert.equal(b.stats().failed, 2);
    t.dispose();
  });

  it("a flush that never settles ends after flushTimeout as a failure, its signal aborted", async () => {
    const { t, flushes } = harness();
    const signals: AbortSignal[] = [];
    const b = await startBatcher(t, {
      maxItems: 1,
      interval: 1000,
      flushTimeout: 500,
      retry: { attempts: 2, backoff: 0 },
      flush: (_items: string[], info) => {
        signals.push(info.signal);
        return new Promise<never>(() => {});
      },
    });
    const waited = track(b.addAndWait("x"));
    await t.advance(499);
    assert.equal(signals.length, 1);
    assert.equal(signals[0].aborted, false);
    await t.advance(1);
    assert.equal(signals[0].aborted, true);
    assert.ok(signals[0].reason instanceof FlushTimeoutError);
    assert.equal(signals.length, 2); // retried at once (backoff 0)
    await t.advance(500);
    assert.equal(waited.state, "error");
    const error = waited.error as BatchFlushError;
    assert.ok(error.cause instanceof FlushTimeoutError);
    assert.equal((error.cause as FlushTimeoutError).timeout, 500);
    assert.deepEqual(flushes.map((f) => [f.duration, f.attempts, f.ok]), [[1000, 2, false]]);
    // The process is free again: a later item is flushed.
    assert.equal(t.system.isAlive(b.pid!), true);
    t.dispose();
  });

  it("flush() waits for a batch that is being retried", async () => {
    const { t } = harness();
    let fail = true;
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 1000,
      retry: { attempts: 2, backoff: 100 },
      flush: () => {
        if (fail) {
          fail = false;
          throw new Error("once");
        }
      },
    });
    b.add(1);
    const flushed = track(b.flush());
    await t.runUntilIdle();
    assert.equal(flushed.state, "pending");
    await t.advance(100);
    assert.equal(flushed.state, "ok");
    assert.equal(b.stats().flushed, 1);
    t.dispose();
  });
});
