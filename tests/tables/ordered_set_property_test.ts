/**
 * ordered_set order and range queries over random keys (any finite number,
 * any string, nested arrays of those): a first/next walk gives the keys
 * sorted by the spec's order (numbers < strings < arrays; numbers
 * numerically, strings by UTF-16 code units, arrays element by element, a
 * prefix first), last/prev the reverse; `range` equals the model's filter;
 * `next(k)` / `prev(k)` for any k — in the table or not — give the nearest
 * key above / below it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { System } from "../../src/system.ts";
import { Table } from "../../tables.ts";
import { rangeBoundsArb, wideKey } from "./_arbitraries.ts";
import { PROPERTY_TIMEOUT, runs, withProbes } from "./_fixtures.ts";
import { type RangeBounds, TableModel } from "./_model.ts";
import { walk } from "./_model_run.ts";
import { compareTerms, termKey } from "./_term.ts";

const RUNS = runs(300);

/** Keys by identity of value (-0 and 0 are one key). */
const ids = (keys: readonly unknown[]) => keys.map(termKey);

async function orderedTable(keys: readonly unknown[]): Promise<{
  system: System;
  table: Table;
  model: TableModel;
}> {
  const { system, pids: [owner] } = await withProbes(1);
  const table = new Table(system, { type: "ordered_set", owner });
  const model = new TableModel("ordered_set", 0, undefined);
  keys.forEach((key, i) => {
    table.insert([key, i]);
    model.insert([key, i]);
  });
  return { system, table, model };
}

const boundsArb = (keys: fc.Arbitrary<unknown>): fc.Arbitrary<RangeBounds> =>
  rangeBoundsArb(keys, 0, 6);

describe("ordered_set: order", () => {
  it("known order: numbers < strings < arrays, code units, prefixes first, 0 == -0", async () => {
    const expected = [
      -1e308,
      -1,
      -0.5,
      0,
      1,
      2,
      10,
      "",
      "A",
      "B",
      "a",
      "aa",
      "b",
      "\uD83D\uDE00", // a surrogate pair sorts by code units, below U+FFFF
      "\uFFFF",
      [],
      [0],
      [0, 0],
      [0, "a"],
      [0, []],
      [1],
      ["a"],
      [[]],
      [[0]],
    ];
    const shuffled = [...expected].reverse();
    const { system, table } = await orderedTable(shuffled);
    try {
      assert.deepEqual(walk(table, false, 100), expected);
      assert.deepEqual(walk(table, true, 100), [...expected].reverse());
      // -0 is the key 0: it replaces the row, it finds it.
      table.insert([-0, "minus zero"]);
      assert.equal(table.size, expected.length);
      assert.deepEqual(table.lookup(0).map((r) => r[1]), ["minus zero"]);
      assert.ok(table.member(-0));
    } finally {
      system.shutdown();
    }
  });

  it(`a walk gives the keys in order, toArray the rows in order (${RUNS} runs)`, {
    timeout: PROPERTY_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(wideKey, { maxLength: 40 }), async (keys) => {
        const { system, table, model } = await orderedTable(keys);
        try {
          const sorted = model.keys();
          for (let i = 1; i < sorted.length; i++) {
            assert.ok(compareTerms(sorted[i - 1], sorted[i]) < 0, "model keys strictly increase");
          }
          assert.deepEqual(ids(walk(table, false, keys.length + 2)), ids(sorted));
          assert.deepEqual(ids(walk(table, true, keys.length + 2)), ids([...sorted].reverse()));
          assert.deepEqual(ids(table.toArray().map((r) => r[0])), ids(sorted));
          assert.deepEqual(table.toArray().map((r) => r[1]), model.rows().map((r) => r[1]));
          assert.equal(table.size, model.size);
        } finally {
          system.shutdown();
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("ordered_set: range and neighbours", () => {
  it(`range({gt/gte/lt/lte, limit, reverse}) equals the model's filter (${RUNS} runs)`, {
    timeout: PROPERTY_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(wideKey, { maxLength: 30 }).chain((keys) =>
          fc.tuple(
            fc.constant(keys),
            fc.array(
              boundsArb(keys.length > 0 ? fc.oneof(wideKey, fc.constantFrom(...keys)) : wideKey),
              { minLength: 1, maxLength: 5 },
            ),
          )
        ),
        async ([keys, queries]) => {
          const { system, table, model } = await orderedTable(keys);
          try {
            for (const bounds of queries) {
              assert.deepEqual(
                table.range(bounds).map((r) => [termKey(r[0]), r[1]]),
                model.range(bounds).map((r) => [termKey(r[0]), r[1]]),
                `range(${JSON.stringify(bounds)})`,
              );
            }
          } finally {
            system.shutdown();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`next(k) / prev(k) for any k give the nearest key above / below (${RUNS} runs)`, {
    timeout: PROPERTY_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(wideKey, { maxLength: 30 }),
        fc.array(wideKey, { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (keys, probes, deletions) => {
          const { system, table, model } = await orderedTable(keys);
          try {
            // Some keys are deleted first: next of a deleted key still works.
            const present = model.keys();
            const deleted = deletions.filter(() => present.length > 0)
              .map((i) => present[i % present.length]);
            for (const key of deleted) {
              table.delete(key);
              model.delete(key);
            }
            for (const key of [...probes, ...deleted, ...present]) {
              const next = table.next(key);
              const prev = table.prev(key);
              const expectedNext = model.nextKey(key);
              const expectedPrev = model.prevKey(key);
              assert.equal(
                next === undefined ? undefined : termKey(next),
                expectedNext === undefined ? undefined : termKey(expectedNext),
                `next(${JSON.stringify(key)})`,
              );
              assert.equal(
                prev === undefined ? undefined : termKey(prev),
                expectedPrev === undefined ? undefined : termKey(expectedPrev),
                `prev(${JSON.stringify(key)})`,
              );
            }
            const first = table.first();
            const last = table.last();
            const sorted = model.keys();
            assert.equal(
              first === undefined ? undefined : termKey(first),
              sorted.length ? termKey(sorted[0]) : undefined,
            );
            assert.equal(
              last === undefined ? undefined : termKey(last),
              sorted.length ? termKey(sorted.at(-1)) : undefined,
            );
          } finally {
            system.shutdown();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
