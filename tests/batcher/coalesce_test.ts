import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness, startBatcher, track } from "./_fixtures.ts";

type Row = { id: string; n: number };

describe("Batcher: coalescing by key", () => {
  it("keeps one item per key, the latest, in first-arrival order of keys", async () => {
    const { t } = harness();
    const batches: Row[][] = [];
    const b = await startBatcher(t, {
      maxItems: 3,
      interval: 100,
      key: (row: Row) => row.id,
      flush: (rows) => void batches.push(rows),
    });
    b.add({ id: "a", n: 1 });
    b.add({ id: "b", n: 1 });
    b.add({ id: "a", n: 2 });
    b.add({ id: "a", n: 3 });
    b.add({ id: "b", n: 2 });
    await t.runUntilIdle();
    assert.deepEqual(batches, []); // two keys pending: below maxItems
    b.add({ id: "c", n: 1 });
    await t.runUntilIdle();
    assert.deepEqual(batches, [[{ id: "a", n: 3 }, { id: "b", n: 2 }, { id: "c", n: 1 }]]);
    const s = b.stats();
    assert.equal(s.received, 6);
    assert.equal(s.coalesced, 3);
    assert.equal(s.flushed, 3);
    assert.equal(s.received, s.coalesced + s.flushed + s.pending);
    t.dispose();
  });

  it("merges with merge(older, newer)", async () => {
    const { t } = harness();
    const batches: Row[][] = [];
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 100,
      key: (row: Row) => row.id,
      merge: (older, newer) => ({ id: older.id, n: older.n + newer.n }),
      flush: (rows) => void batches.push(rows),
    });
    for (const n of [1, 2, 3]) b.add({ id: "x", n });
    b.add({ id: "y", n: 10 });
    await t.advance(100);
    assert.deepEqual(batches, [[{ id: "x", n: 6 }, { id: "y", n: 10 }]]);
    assert.equal(b.stats().coalesced, 2);
    t.dispose();
  });

  it("does not coalesce across batches: a key taken for flushing starts afresh", async () => {
    const { t } = harness();
    const batches: Row[][] = [];
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 100,
      key: (row: Row) => row.id,
      flush: (rows) => void batches.push(rows),
    });
    b.add({ id: "a", n: 1 });
    const flushed = track(b.flush());
    await t.runUntilIdle();
    assert.equal(flushed.state, "ok");
    b.add({ id: "a", n: 2 });
    await t.advance(100);
    assert.deepEqual(batches, [[{ id: "a", n: 1 }], [{ id: "a", n: 2 }]]);
    assert.equal(b.stats().coalesced, 0);
    t.dispose();
  });

  it("resolves every addAndWait of a coalesced key with its flush", async () => {
    const { t } = harness();
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 100,
      key: (row: Row) => row.id,
      flush: () => {},
    });
    const first = track(b.addAndWait({ id: "a", n: 1 }));
    const second = track(b.addAndWait({ id: "a", n: 2 }));
    await t.advance(99);
    assert.deepEqual([first.state, second.state], ["pending", "pending"]);
    await t.advance(1);
    assert.deepEqual([first.state, second.state], ["ok", "ok"]);
    t.dispose();
  });

  it("a coalesced item is accepted at the bound: it takes no room", async () => {
    const { t, refusals } = harness();
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 100,
      maxPending: 2,
      key: (row: Row) => row.id,
      flush: () => {},
    });
    assert.equal(b.add({ id: "a", n: 1 }), true);
    assert.equal(b.add({ id: "b", n: 1 }), true);
    assert.equal(b.add({ id: "c", n: 1 }), false);
    assert.equal(b.add({ id: "a", n: 2 }), true);
    assert.deepEqual(refusals, [{ batcher: String(b.pid), reason: "full" }]);
    assert.equal(b.stats().refused, 1);
    t.dispose();
  });
});
