/**
 * The array FIFO with a moving head (`src/_fifo.ts`) that stages and
 * pipelines queue events in: it keeps order through pushes, takes, shifts
 * and compactions, against a plain array as the model.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Fifo } from "../src/_fifo.ts";

type Op = { push: number } | { take: number } | { shift: true };

const ops = fc.array(
  fc.oneof(
    fc.record({ push: fc.integer({ min: 0, max: 1500 }) }),
    fc.record({ take: fc.integer({ min: 0, max: 1500 }) }),
    fc.constant({ shift: true as const }),
  ),
  { maxLength: 40 },
);

describe("Fifo", () => {
  it("behaves as an array FIFO (property)", () => {
    fc.assert(
      fc.property(ops, (list: Op[]) => {
        const q = new Fifo<number>();
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

  it("keeps order across takes and compactions", () => {
    const q = new Fifo<number>();
    const expected: number[] = [];
    const got: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) {
        q.push(next);
        expected.push(next++);
      }
      got.push(...q.take(70));
    }
    got.push(...q.drain());
    assert.deepEqual(got, expected);
    assert.equal(q.length, 0);
    assert.deepEqual(q.take(3), []);
  });
});
