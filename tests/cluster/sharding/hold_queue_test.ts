/**
 * The hold queue of a sharding's region: requests held per shard come out
 * in arrival order, one shard at a time or all at once; an expired request
 * is removed alone; holding twice holds once.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { HoldQueue } from "../../../src/cluster/sharding/_hold_queue.ts";

interface Item {
  readonly shard: number;
  readonly id: number;
}

describe("HoldQueue", () => {
  it("releases a shard's requests in arrival order, leaving the others", () => {
    const queue = new HoldQueue<Item>();
    const items = [0, 1, 0, 2, 0].map((shard, id) => ({ shard, id }));
    for (const item of items) queue.hold(item);
    assert.equal(queue.size, 5);
    assert.equal(queue.sizeOf(0), 3);
    assert.deepEqual(queue.release(0).map((item) => item.id), [0, 2, 4]);
    assert.equal(queue.size, 2);
    assert.deepEqual(queue.release(0), []);
    assert.deepEqual(queue.releaseAll().map((item) => item.id), [1, 3]);
    assert.equal(queue.size, 0);
  });

  it("removes one expired request; holding twice holds once", () => {
    const queue = new HoldQueue<Item>();
    const first = { shard: 3, id: 1 };
    const second = { shard: 3, id: 2 };
    queue.hold(first);
    queue.hold(first);
    queue.hold(second);
    assert.equal(queue.size, 2);
    assert.equal(queue.remove(first), true);
    assert.equal(queue.remove(first), false);
    assert.equal(queue.remove({ shard: 9, id: 0 }), false);
    assert.deepEqual(queue.release(3), [second]);
    assert.equal(queue.sizeOf(3), 0);
  });
});
