import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness, startBatcher, track } from "./_fixtures.ts";

describe("Batcher: when it flushes", () => {
  it("flushes at maxItems, without waiting for the interval", async () => {
    const { t, flushes } = harness();
    const batches: number[][] = [];
    const b = await startBatcher(t, {
      maxItems: 3,
      interval: 1000,
      flush: (items: number[]) => void batches.push(items),
    });
    b.add(1);
    b.add(2);
    await t.runUntilIdle();
    assert.deepEqual(batches, []);
    b.add(3);
    b.add(4);
    await t.runUntilIdle();
    assert.deepEqual(batches, [[1, 2, 3]]);
    assert.equal(t.clock.now(), 0);
    assert.deepEqual(flushes.map((f) => [f.trigger, f.items, f.ok, f.attempts]), [
      ["size", 3, true, 1],
    ]);
    assert.deepEqual(b.stats(), {
      received: 4,
      coalesced: 0,
      flushed: 3,
      flushes: 1,
      failedFlushes: 0,
      retries: 0,
      pending: 1,
      refused: 0,
      failed: 0,
      lost: 0,
    });
    t.dispose();
  });

  it("flushes at the interval after the first pending item, not before", async () => {
    const { t, flushes } = harness();
    const batches: { at: number; items: string[] }[] = [];
    const b = await startBatcher(t, {
      maxItems: 100,
      interval: 50,
      flush: (items: string[]) => void batches.push({ at: t.clock.now(), items }),
    });
    await t.advance(10);
    b.add("a");
    await t.advance(30);
    b.add("b");
    await t.advance(19); // t = 59: the first item has waited 49 ms
    assert.deepEqual(batches, []);
    await t.advance(1); // t = 60
    assert.deepEqual(batches, [{ at: 60, items: ["a", "b"] }]);
    assert.equal(flushes[0].trigger, "interval");
    // The timer is armed again only by the next item.
    await t.advance(500);
    assert.equal(batches.length, 1);
    b.add("c");
    await t.advance(50);
    assert.deepEqual(batches[1], { at: 610, items: ["c"] });
    assert.equal(t.system.nextTimerDue(), undefined);
    t.dispose();
  });

  it("whichever comes first: size before the interval, then the interval for the rest", async () => {
    const { t, flushes } = harness();
    const batches: number[][] = [];
    const b = await startBatcher(t, {
      maxItems: 2,
      interval: 100,
      flush: (items: number[]) => void batches.push(items),
    });
    b.add(1);
    await t.advance(40);
    b.add(2); // size: flushed at t = 40
    b.add(3);
    await t.advance(0);
    assert.deepEqual(batches, [[1, 2]]);
    await t.advance(99);
    assert.deepEqual(batches, [[1, 2]]);
    await t.advance(100);
    assert.deepEqual(batches, [[1, 2], [3]]);
    assert.deepEqual(flushes.map((f) => f.trigger), ["size", "interval"]);
    t.dispose();
  });

  it("splits a large backlog into batches of maxItems, in arrival order", async () => {
    const { t } = harness();
    const batches: number[][] = [];
    const b = await startBatcher(t, {
      maxItems: 4,
      interval: 10,
      flush: (items: number[]) => void batches.push(items),
    });
    for (let i = 0; i < 10; i++) assert.equal(b.add(i), true);
    await t.runUntilIdle();
    assert.deepEqual(batches, [[0, 1, 2, 3], [4, 5, 6, 7]]);
    await t.advance(10);
    assert.deepEqual(batches.flat(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    t.dispose();
  });

  it("flush() flushes now and resolves once the batch is written", async () => {
    const { t, flushes } = harness();
    const batches: number[][] = [];
    const b = await startBatcher(t, {
      maxItems: 100,
      interval: 60_000,
      flush: async (items: number[]) => {
        await Promise.resolve();
        batches.push(items);
      },
    });
    b.add(1);
    b.add(2);
    const done = track(b.flush());
    await t.runUntilIdle();
    assert.equal(done.state, "ok");
    assert.deepEqual(batches, [[1, 2]]);
    assert.equal(flushes[0].trigger, "manual");
    // Nothing pending: resolves at once, no flush.
    const nothing = track(b.flush());
    await t.runUntilIdle();
    assert.equal(nothing.state, "ok");
    assert.equal(batches.length, 1);
    assert.equal(t.system.nextTimerDue(), undefined);
    t.dispose();
  });

  it("one batch at a time: items added during a flush wait for the next", async () => {
    const { t } = harness();
    const batches: number[][] = [];
    let release!: () => void;
    const b = await startBatcher(t, {
      maxItems: 2,
      interval: 1000,
      flush: (items: number[]) => {
        batches.push(items);
        if (batches.length > 1) return undefined;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    b.add(1);
    b.add(2);
    await t.runUntilIdle();
    b.add(3);
    b.add(4);
    await t.runUntilIdle();
    assert.deepEqual(batches, [[1, 2]]);
    assert.equal(b.stats().pending, 4);
    release();
    await t.runUntilIdle();
    assert.deepEqual(batches, [[1, 2], [3, 4]]);
    assert.equal(b.stats().pending, 0);
    t.dispose();
  });

  it("passes the flush its info: batcher, trigger, attempt, an unaborted signal", async () => {
    const { t } = harness();
    const infos: unknown[] = [];
    const b = await startBatcher(t, {
      name: "named",
      maxItems: 1,
      interval: 10,
      flush: (_items: number[], info) => {
        infos.push({ ...info, aborted: info.signal.aborted, signal: undefined });
      },
    });
    b.add(1);
    await t.runUntilIdle();
    assert.deepEqual(infos, [{
      batcher: "named",
      trigger: "size",
      attempt: 1,
      signal: undefined,
      aborted: false,
    }]);
    assert.equal(t.system.whereis("named"), b.pid);
    assert.equal(b.name, "named");
    t.dispose();
  });

  it("after a size flush, the interval runs from the oldest item left, not from the first", async () => {
    const { t } = harness();
    const batches: { at: number; items: string[] }[] = [];
    const b = await startBatcher(t, {
      maxItems: 3,
      interval: 100,
      flush: (items: string[]) => void batches.push({ at: t.clock.now(), items }),
    });
    // Added while the process does not run: it sees all five at t = 40.
    for (const [i, item] of ["a", "b", "c", "d", "e"].entries()) {
      t.clock.set(i * 10);
      assert.equal(b.add(item), true);
    }
    await t.runUntilIdle();
    assert.deepEqual(batches, [{ at: 40, items: ["a", "b", "c"] }]);
    await t.advance(89); // t = 129: "d" (t = 30) has waited 99 ms
    assert.equal(batches.length, 1);
    await t.advance(1);
    assert.deepEqual(batches[1], { at: 130, items: ["d", "e"] });
    t.dispose();
  });
});
