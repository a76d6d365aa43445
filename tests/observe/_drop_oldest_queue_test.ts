/** The bounded drop-oldest queue of an event stream. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DropOldestQueue } from "../../src/observe/_drop_oldest_queue.ts";

describe("DropOldestQueue", () => {
  it("keeps the newest items and counts the dropped ones", () => {
    const queue = new DropOldestQueue<number>(3);
    for (let i = 0; i < 10; i++) queue.push(i);
    assert.equal(queue.size, 3);
    assert.equal(queue.takeDropped(), 7);
    assert.equal(queue.takeDropped(), 0);
    assert.deepEqual([queue.shift(), queue.shift(), queue.shift(), queue.shift()], [
      7,
      8,
      9,
      undefined,
    ]);
    queue.push(1);
    queue.clear();
    assert.equal(queue.size, 0);
    assert.equal(queue.shift(), undefined);
  });

  it("matches a model under any interleaving of pushes and shifts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.oneof(fc.integer(), fc.constant("shift" as const))),
        (capacity, ops) => {
          const queue = new DropOldestQueue<number>(capacity);
          const model: number[] = [];
          let dropped = 0;
          for (const op of ops) {
            if (op === "shift") {
              assert.equal(queue.shift(), model.shift());
            } else {
              queue.push(op);
              model.push(op);
              if (model.length > capacity) {
                model.shift();
                dropped++;
              }
            }
            assert.equal(queue.size, model.length);
          }
          assert.equal(queue.takeDropped(), dropped);
        },
      ),
    );
  });
});
