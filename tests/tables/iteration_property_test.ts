/**
 * Iteration while the table changes. An ordered_set walk is always "the
 * smallest key above the last one" of the table as it is now, whatever was
 * deleted (the current key included) or inserted meanwhile. A hash table's
 * walk (insertion order) survives deleting the key it stands on and keys
 * inserted ahead: it ends, it visits every key that stayed in the table the
 * whole time exactly once, and only keys that were in the table when
 * visited.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Table } from "../../tables.ts";
import { wideKey } from "./_arbitraries.ts";
import { attempt, describeError, PROPERTY_TIMEOUT, runs, withProbes } from "./_fixtures.ts";
import { TableModel } from "./_model.ts";
import { termKey } from "./_term.ts";

const RUNS = runs(200);

/** What happens to the table before each step of the walk. */
type Change =
  | { readonly kind: "none" }
  | { readonly kind: "deleteCurrent" }
  | { readonly kind: "deleteOther"; readonly index: number }
  | { readonly kind: "insert"; readonly key: unknown }
  | { readonly kind: "reinsert"; readonly index: number };

function changeArb(key: fc.Arbitrary<unknown>): fc.Arbitrary<Change> {
  return fc.oneof(
    fc.constant({ kind: "none" as const }),
    fc.constant({ kind: "deleteCurrent" as const }),
    fc.nat().map((index) => ({ kind: "deleteOther" as const, index })),
    key.map((key) => ({ kind: "insert" as const, key })),
    fc.nat().map((index) => ({ kind: "reinsert" as const, index })),
  );
}

describe("ordered_set: a walk while the table changes", () => {
  it(`next(current) is the smallest key above current in the table as it is now (${RUNS} runs)`, {
    timeout: PROPERTY_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(wideKey, { maxLength: 30 }),
        fc.array(changeArb(wideKey), { maxLength: 60 }),
        async (keys, changes) => {
          const { system, pids: [owner] } = await withProbes(1);
          try {
            const table = new Table(system, { type: "ordered_set", owner });
            const model = new TableModel("ordered_set", 0, undefined);
            const deleted: unknown[] = [];
            for (const key of keys) {
              table.insert([key]);
              model.insert([key]);
            }
            let current = table.first();
            const first = model.keys()[0];
            assert.equal(
              current === undefined ? undefined : termKey(current),
              first === undefined ? undefined : termKey(first),
            );
            let step = 0;
            while (current !== undefined) {
              const change: Change = changes[step] ?? { kind: "none" };
              const present = model.keys();
              if (
                change.kind === "deleteCurrent" ||
                (change.kind === "deleteOther" && present.length > 0)
              ) {
                const key = change.kind === "deleteCurrent"
                  ? current
                  : present[(change as { index: number }).index % present.length];
                table.delete(key);
                model.delete(key);
                deleted.push(key);
              } else if (change.kind === "insert") {
                table.insert([change.key]);
                model.insert([change.key]);
              } else if (change.kind === "reinsert" && deleted.length > 0) {
                const key = deleted[change.index % deleted.length];
                table.insert([key]);
                model.insert([key]);
              }
              const next = table.next(current);
              const expected = model.nextKey(current);
              assert.equal(
                next === undefined ? undefined : termKey(next),
                expected === undefined ? undefined : termKey(expected),
                `step ${step}: next(${JSON.stringify(current)}) after ${JSON.stringify(change)}`,
              );
              current = next;
              step++;
              assert.ok(step <= keys.length + changes.length + 1, "the walk does not end");
            }
          } finally {
            system.shutdown();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** Walks a hash table of `type` holding `initial` keys, changing it before each step. */
async function hashWalk(
  type: "set" | "bag" | "duplicate_bag",
  initial: readonly number[],
  changes: readonly Change[],
  cycle = false,
): Promise<void> {
  const { system, pids: [owner] } = await withProbes(1);
  try {
    const table = new Table(system, { type, owner });
    const present = new Set<number>(initial);
    for (const key of initial) table.insert([key, "row"]);
    const everDeleted = new Set<number>();
    const inserted = new Set<number>();
    const visits = new Map<number, number>();
    let current = table.first() as number | undefined;
    let step = 0;
    const limit = 2 * (initial.length + changes.length) + 10;
    while (current !== undefined) {
      assert.ok(
        present.has(current),
        `step ${step}: the walk gave ${current}, which is not in the table`,
      );
      visits.set(current, (visits.get(current) ?? 0) + 1);
      // One change per step while there are changes; `cycle`: the changes repeat to the end.
      const change: Change = (cycle ? changes[step % changes.length] : changes[step]) ??
        { kind: "none" };
      const keys = [...present];
      if (change.kind === "deleteCurrent" || (change.kind === "deleteOther" && keys.length > 0)) {
        const key = change.kind === "deleteCurrent" ? current : keys[change.index % keys.length];
        table.delete(key);
        present.delete(key);
        everDeleted.add(key);
      } else if (change.kind === "insert") {
        // New keys, "ahead" of the walk.
        const key = 1_000_000 + step;
        table.insert([key, "new"]);
        present.add(key);
        inserted.add(key);
      } else if (change.kind === "reinsert" && everDeleted.size > 0) {
        const gone = [...everDeleted].filter((k) => !present.has(k));
        if (gone.length > 0) {
          const key = gone[change.index % gone.length];
          table.insert([key, "back"]);
          present.add(key);
        }
      }
      const got = attempt(() => table.next(current as number) as number | undefined);
      assert.ok(
        got.ok,
        `step ${step}: next(${current}) after ${change.kind} threw ${
          describeError(!got.ok && got.error)
        }`,
      );
      current = got.value;
      step++;
      assert.ok(step <= limit, "the walk does not end");
    }
    for (const key of initial) {
      if (everDeleted.has(key)) continue;
      assert.equal(
        visits.get(key),
        1,
        `key ${key}, never deleted, was visited ${visits.get(key) ?? 0} times`,
      );
    }
    for (const key of inserted) {
      if (everDeleted.has(key)) continue;
      assert.equal(
        visits.get(key),
        1,
        `key ${key}, inserted ahead, was visited ${visits.get(key) ?? 0} times`,
      );
    }
  } finally {
    system.shutdown();
  }
}

describe("hash tables: a walk while the table changes", () => {
  for (const type of ["set", "bag", "duplicate_bag"] as const) {
    it(`${type}: deletes (the current key too), inserts ahead, re-inserts (${RUNS} runs)`, {
      timeout: PROPERTY_TIMEOUT,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }),
          fc.array(changeArb(fc.constant(0)), { maxLength: 40 }),
          async (initial, changes) => await hashWalk(type, initial, changes),
        ),
        { numRuns: RUNS },
      );
    });
  }

  it("set: deleting the current key, then next(it), over a walk of 3000 keys", async () => {
    // The pattern `table.delete(k); k = table.next(k)` over a large table: the spec says
    // next of a key deleted during the walk still works.
    const keys = Array.from({ length: 3000 }, (_, i) => i);
    await hashWalk("set", keys, [{ kind: "deleteCurrent" }], true);
  });

  it("set: deleting the current key and 1023 others before next(it) keeps the walk's place", async () => {
    // The implementation documents a bounded memory of deletions: the 1024 most recent are kept.
    const { system, pids: [owner] } = await withProbes(1);
    try {
      const table = new Table<[number]>(system, { owner });
      const n = 8000;
      for (let i = 0; i < n; i++) table.insert([i]);
      let tail = n - 1;
      let key = table.first();
      const visited: number[] = [];
      while (key !== undefined) {
        const current: number = key;
        visited.push(current);
        table.delete(current);
        // 1023 more deletions, from the far end of the table.
        for (let i = 0; i < 1023 && tail > current; i++) table.delete(tail--);
        const next = attempt(() => table.next(current));
        assert.ok(
          next.ok,
          `next(${current}) lost its place: ${describeError(!next.ok && next.error)}`,
        );
        key = next.value;
      }
      assert.deepEqual(visited, Array.from({ length: visited.length }, (_, i) => i));
      assert.equal(table.size, 0);
    } finally {
      system.shutdown();
    }
  });

  it("set: next(k) taken before deleting k, over a walk of 3000 keys, empties the table", async () => {
    const { system, pids: [owner] } = await withProbes(1);
    try {
      const table = new Table<[number]>(system, { owner });
      for (let i = 0; i < 3000; i++) table.insert([i]);
      let key = table.first();
      let n = 0;
      while (key !== undefined) {
        const next = table.next(key);
        table.delete(key);
        key = next;
        n++;
      }
      assert.equal(n, 3000);
      assert.equal(table.size, 0);
      assert.equal(table.first(), undefined);
    } finally {
      system.shutdown();
    }
  });
});
