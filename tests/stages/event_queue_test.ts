/**
 * The stages' internal FIFOs: the partition queues (`EventQueue`) and the
 * producer buffer's put-back (`EventBuffer.unshift`) keep order through
 * takes, shifts and compactions, against a plain array as the model.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { EventQueue } from "../../src/stages/_event_queue.ts";
import { EventBuffer } from "../../src/stages/_buffer.ts";

type Op = { push: number } | { take: number } | { shift: true };

const ops = fc.array(
  fc.oneof(
    fc.record({ push: fc.integer({ min: 0, max: 1500 }) }),
    fc.record({ take: fc.integer({ min: 0, max: 1500 }) }),
    fc.constant({ shift: true as const }),
  ),
  { maxLength: 40 },
);

describe("EventQueue", () => {
  it("behaves as an array FIFO (property)", () => {
    fc.assert(
      fc.property(ops, (list: Op[]) => {
        const q = new EventQueue();
        const model: number[] = [];
        let next = 0;
        for (const op of list) {
          if ("push" in op) {
            for (let i = 0; i < op.push; i++) {
              q.push(next);
              model.push(next++);
            }
          } else if ("take" in op) {
            assert.deepEqual(q.take(op.take), model.splice(0, op.take));
          } else {
            q.shift();
            model.shift();
          }
          assert.equal(q.length, model.length);
        }
        assert.deepEqual(q.take(model.length), model);
      }),
    );
  });
});

describe("EventBuffer.unshift", () => {
  it("puts taken events back in front, in order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 1500 }))),
        (rounds) => {
          const buffer = new EventBuffer(Infinity, "drop_oldest");
          const model: number[] = [];
          let next = 0;
          for (const [push, take] of rounds) {
            const events = Array.from({ length: push }, () => next++);
            buffer.push(events);
            model.push(...events);
            const taken = buffer.take(take);
            const back = taken.slice(Math.floor(taken.length / 2));
            buffer.unshift(back);
            model.splice(0, taken.length - back.length);
            assert.equal(buffer.length, model.length);
          }
          assert.deepEqual(buffer.take(model.length), model);
        },
      ),
    );
  });
});
