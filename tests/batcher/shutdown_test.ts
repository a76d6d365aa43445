import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Batcher, BatcherStoppedError, BatchFlushError } from "../../batcher.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import type { CallbackFailureReport } from "../../src/logger.ts";
import { harness, startBatcher, track } from "./_fixtures.ts";

describe("Batcher: flush on shutdown", () => {
  it("stop() flushes everything pending, in batches of maxItems, then exits", async () => {
    const { t, flushes } = harness();
    const batches: number[][] = [];
    const b = await startBatcher(t, {
      maxItems: 3,
      interval: 60_000,
      flush: (items: number[]) => Promise.resolve().then(() => void batches.push(items)),
    });
    for (let i = 0; i < 8; i++) b.add(i);
    // Stop before the process has even seen them.
    const stopped = track(b.stop());
    await t.runUntilIdle();
    assert.equal(stopped.state, "ok");
    assert.deepEqual(batches.flat(), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(batches.every((batch) => batch.length <= 3));
    assert.ok(flushes.some((f) => f.trigger === "shutdown"));
    assert.equal(b.running, false);
    assert.equal(t.system.isAlive(b.pid!), false);
    const s = b.stats();
    assert.deepEqual([s.received, s.flushed, s.pending, s.lost], [8, 8, 0, 0]);
    // Stopped: refused, counted, and told why.
    assert.equal(b.add(99), false);
    const refused = track(b.addAndWait(100));
    await t.runUntilIdle();
    assert.ok(refused.error instanceof BatcherStoppedError);
    assert.equal(b.stats().refused, 2);
    // Stopping again, or flushing a stopped batcher: nothing to do.
    await b.stop();
    await b.flush();
    t.dispose();
  });

  it("terminate finishes a batch waiting for its retry, with the attempts it has left", async () => {
    const { t, reports } = harness();
    let calls = 0;
    const b = await startBatcher(t, {
      maxItems: 2,
      interval: 60_000,
      retry: { attempts: 3, backoff: 1000 },
      flush: () => {
        if (++calls <= 1) throw new Error("first fails");
      },
    });
    const waited = track(b.addAndWait(1));
    b.add(2);
    b.add(3);
    await t.runUntilIdle();
    assert.equal(calls, 1);
    const stopped = track(b.stop());
    await t.advance(1000);
    assert.equal(stopped.state, "ok");
    assert.equal(waited.state, "ok");
    assert.deepEqual([b.stats().flushed, b.stats().retries, b.stats().pending], [3, 1, 0]);
    assert.equal(reports.length, 0);
    t.dispose();
  });

  it("a batch that fails for good during shutdown is reported and counted, not lost", async () => {
    const { t, reports } = harness();
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 60_000,
      flush: () => Promise.reject(new Error("down")),
    });
    const waited = track(b.addAndWait("x"));
    const stopped = track(b.stop());
    await t.runUntilIdle();
    assert.equal(stopped.state, "ok");
    assert.ok(waited.error instanceof BatchFlushError);
    assert.equal((waited.error as BatchFlushError).trigger, "shutdown");
    assert.deepEqual([b.stats().failed, b.stats().lost, b.stats().pending], [1, 0, 0]);
    assert.equal(reports.filter((r) => r.kind === "callback").length, 1);
    t.dispose();
  });

  it("a supervisor's shutdown runs terminate: nothing accepted is lost", async () => {
    const { t } = harness();
    const batches: string[][] = [];
    const spec = Batcher.childSpec({
      id: "lines",
      name: "lines",
      maxItems: 100,
      interval: 60_000,
      flush: (lines: string[]) => Promise.resolve().then(() => void batches.push(lines)),
      shutdown: 10_000,
    });
    assert.equal(spec.id, "lines");
    assert.equal(spec.shutdown, 10_000);
    assert.equal(spec.batcher.add("too early"), false); // not started yet
    const started = track(Supervisor.start(t.system, [spec]));
    await t.runUntilIdle();
    assert.equal(started.state, "ok");
    assert.equal(spec.batcher.running, true);
    assert.equal(t.system.whereis("lines"), spec.batcher.pid);
    spec.batcher.add("a");
    spec.batcher.add("b");
    const done = track(t.system.stopAll());
    await t.runUntilIdle();
    assert.equal(done.state, "ok");
    assert.deepEqual(batches, [["a", "b"]]);
    assert.deepEqual([spec.batcher.stats().flushed, spec.batcher.stats().refused], [2, 1]);
    t.dispose();
  });

  it("an exit signal from outside (trapped) stops it through terminate", async () => {
    const { t } = harness();
    const batches: number[][] = [];
    const b = await startBatcher(t, {
      maxItems: 100,
      interval: 60_000,
      flush: (items: number[]) => void batches.push(items),
    });
    b.add(1);
    t.system.exit(b.pid!, "shutdown");
    const reason = track(t.system.whenExited(b.pid!));
    await t.runUntilIdle();
    assert.equal(reason.value, "shutdown");
    assert.deepEqual(batches, [[1]]);
    t.dispose();
  });

  it("a kill skips terminate: pending items are counted lost, waiters rejected, the loss reported", async () => {
    const { t, reports } = harness();
    const b = await startBatcher(t, {
      name: "doomed",
      maxItems: 100,
      interval: 60_000,
      flush: () => {},
    });
    b.add(1);
    const waited = track(b.addAndWait(2));
    t.system.exit(b.pid!, "kill");
    await t.runUntilIdle();
    assert.ok(waited.error instanceof BatcherStoppedError);
    assert.equal((waited.error as BatcherStoppedError).reason, "killed");
    assert.equal((waited.error as BatcherStoppedError).lost, 2);
    assert.match((waited.error as Error).message, /2 accepted items lost/);
    const s = b.stats();
    assert.deepEqual([s.received, s.lost, s.pending], [2, 2, 0]);
    const loss = reports.find((r) => r.kind === "callback") as CallbackFailureReport;
    assert.equal(loss.callback, "batcher doomed");
    assert.ok(loss.reason instanceof BatcherStoppedError);
    assert.equal(b.add(3), false);
    assert.equal(t.system.nextTimerDue(), undefined);
    t.dispose();
  });

  it("a kill in the middle of a flush: that batch is lost once, never counted twice", async () => {
    const { t } = harness();
    let release!: () => void;
    const b = await startBatcher(t, {
      maxItems: 2,
      interval: 60_000,
      flush: () => new Promise<void>((resolve) => (release = resolve)),
    });
    b.add(1);
    b.add(2);
    await t.runUntilIdle();
    t.system.exit(b.pid!, "kill");
    await t.runUntilIdle();
    release();
    await t.runUntilIdle();
    const s = b.stats();
    assert.deepEqual([s.received, s.flushed, s.lost, s.pending], [2, 0, 2, 0]);
    t.dispose();
  });

  it("restarted by its supervisor after a kill, the same handle adds to the new process", async () => {
    const { t } = harness();
    const batches: number[][] = [];
    const spec = Batcher.childSpec({
      maxItems: 100,
      interval: 50,
      flush: (items: number[]) => void batches.push(items),
    });
    assert.equal(spec.id, "batcher");
    const started = track(Supervisor.start(t.system, [spec]));
    await t.runUntilIdle();
    assert.equal(started.state, "ok");
    const first = spec.batcher.pid!;
    spec.batcher.add(1);
    t.system.exit(first, "kill");
    await t.runUntilIdle();
    const second = spec.batcher.pid!;
    assert.notEqual(String(second), String(first));
    assert.equal(spec.batcher.running, true);
    assert.equal(spec.batcher.add(2), true);
    await t.advance(50);
    assert.deepEqual(batches, [[2]]);
    const s = spec.batcher.stats();
    assert.deepEqual([s.received, s.lost, s.flushed], [2, 1, 1]);
    t.dispose();
  });

  it("starting the same child spec twice at once is refused", async () => {
    const { t } = harness();
    const spec = Batcher.childSpec({ id: "one", maxItems: 1, interval: 1, flush: () => {} });
    const first = track(Supervisor.start(t.system, [spec]));
    await t.runUntilIdle();
    assert.equal(first.state, "ok");
    const second = track(Supervisor.start(t.system, [spec]));
    await t.runUntilIdle();
    assert.equal(second.state, "error");
    assert.equal(spec.batcher.running, true);
    t.dispose();
  });

  it("killed by its supervisor's shutdown timeout mid-flush: the rest is counted lost, not hidden", async () => {
    const { t } = harness();
    const spec = Batcher.childSpec({
      id: "slow",
      maxItems: 1,
      interval: 60_000,
      flushTimeout: Infinity,
      flush: () => new Promise<never>(() => {}),
      shutdown: 1000,
    });
    const started = track(Supervisor.start(t.system, [spec]));
    await t.runUntilIdle();
    assert.equal(started.state, "ok");
    spec.batcher.add(1);
    spec.batcher.add(2);
    await t.runUntilIdle();
    const done = track(t.system.stopAll());
    await t.advance(1000);
    assert.equal(done.state, "ok");
    const s = spec.batcher.stats();
    assert.deepEqual([s.received, s.flushed, s.lost, s.pending], [2, 0, 2, 0]);
    t.dispose();
  });
});
