/**
 * Access checks: every read and write of a table, run synchronously inside a
 * callback of the owner, of another process, and from host code, for each
 * access mode. A refused operation throws `TableAccessError` (naming the
 * operation, the caller, the owner and the mode) and leaves the table as it
 * was; an allowed one runs. `protected`: others read only; `private`: others
 * do nothing; `public`: everyone does everything; host code is not checked.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import { ANY, Table, type TableAccess, TableAccessError } from "../../tables.ts";
import { ask, attempt, describeError, withProbes } from "./_fixtures.ts";

type R = [string, number, string];

/** An operation of the matrix: whether it writes, and how to run it on a table holding a, b, c. */
interface Operation {
  readonly name: string;
  readonly writes: boolean;
  readonly run: (table: Table<R>) => unknown;
}

const OPERATIONS: readonly Operation[] = [
  { name: "lookup", writes: false, run: (t) => t.lookup("a") },
  { name: "get", writes: false, run: (t) => t.get("a") },
  { name: "member", writes: false, run: (t) => t.member("a") },
  { name: "lookupElement", writes: false, run: (t) => t.lookupElement("a", 1) },
  { name: "match", writes: false, run: (t) => t.match([ANY, 1, ANY]) },
  { name: "select", writes: false, run: (t) => t.select(() => true) },
  { name: "selectCount", writes: false, run: (t) => t.selectCount(() => true) },
  { name: "range", writes: false, run: (t) => t.range({ gte: "a" }) },
  { name: "first", writes: false, run: (t) => t.first() },
  { name: "next", writes: false, run: (t) => t.next("a") },
  { name: "last", writes: false, run: (t) => t.last() },
  { name: "prev", writes: false, run: (t) => t.prev("c") },
  { name: "toArray", writes: false, run: (t) => t.toArray() },
  { name: "insert", writes: true, run: (t) => t.insert(["d", 4, "w"]) },
  { name: "insertMany", writes: true, run: (t) => t.insertMany([["d", 4, "w"], ["e", 5, "w"]]) },
  { name: "insertNew", writes: true, run: (t) => t.insertNew(["d", 4, "w"]) },
  { name: "insertNewMany", writes: true, run: (t) => t.insertNewMany([["d", 4, "w"]]) },
  { name: "delete", writes: true, run: (t) => t.delete("a") },
  { name: "deleteObject", writes: true, run: (t) => t.deleteObject(["a", 1, "x"]) },
  { name: "take", writes: true, run: (t) => t.take("a") },
  { name: "updateCounter", writes: true, run: (t) => t.updateCounter("a", 1) },
  {
    name: "updateCounter ops",
    writes: true,
    run: (t) => t.updateCounter("a", [{ pos: 1, incr: 2 }]),
  },
  {
    name: "updateCounter default",
    writes: true,
    run: (t) => t.updateCounter("z", 1, ["z", 0, "d"]),
  },
  { name: "updateElement", writes: true, run: (t) => t.updateElement("a", 2, "changed") },
  { name: "selectDelete", writes: true, run: (t) => t.selectDelete(() => true) },
  { name: "deleteAll", writes: true, run: (t) => t.deleteAll() },
];

const ROWS: R[] = [["a", 1, "x"], ["b", 2, "y"], ["c", 3, "z"]];

/** Whether a process that is not the owner may run `op` on a table with `access`. */
function allowedToOthers(access: TableAccess, op: Operation): boolean {
  return access === "public" || (access === "protected" && !op.writes);
}

/** A fresh ordered_set holding ROWS, owned by `owner`, made inside the owner's callback. */
async function tableOf(
  system: Awaited<ReturnType<typeof withProbes>>["system"],
  owner: Pid,
  access: TableAccess,
): Promise<Table<R>> {
  const table = await ask(
    system,
    owner,
    (ctx) => new Table<R>(ctx, { type: "ordered_set", access }),
  );
  table.insertMany(ROWS);
  return table;
}

for (const access of ["public", "protected", "private"] as const) {
  describe(`a ${access} table`, () => {
    for (const op of OPERATIONS) {
      const allowed = allowedToOthers(access, op);
      it(`${op.name} from another process: ${allowed ? "allowed" : "TableAccessError, table unchanged"}`, async () => {
        const { system, pids: [owner, other] } = await withProbes(2);
        try {
          const table = await tableOf(system, owner, access);
          const before = table.toArray();
          const got = await ask(system, other, () => attempt(() => op.run(table)));
          if (allowed) {
            assert.ok(got.ok, `${op.name} was refused: ${describeError(!got.ok && got.error)}`);
            if (!op.writes) assert.deepEqual(table.toArray(), before, "a read changed the table");
            else assert.notDeepEqual(table.toArray(), before, "an allowed write did nothing");
            return;
          }
          assert.ok(!got.ok, `${op.name} from another process was allowed`);
          const error = got.error;
          assert.ok(
            error instanceof TableAccessError,
            `expected TableAccessError, got ${describeError(error)}`,
          );
          assert.ok(error.caller.equals(other), "caller");
          assert.ok(error.owner.equals(owner), "owner");
          assert.equal(error.access, access);
          assert.equal(typeof error.operation, "string");
          assert.deepEqual(table.toArray(), before, "a refused operation changed the table");
          assert.ok(table.owner.equals(owner), "a refused operation changed the owner");
        } finally {
          system.shutdown();
        }
      });
    }

    it("the owner runs every operation", async () => {
      const { system, pids: [owner] } = await withProbes(1);
      try {
        for (const op of OPERATIONS) {
          const table = await tableOf(system, owner, access);
          const got = await ask(system, owner, () => attempt(() => op.run(table)));
          assert.ok(got.ok, `${op.name} by the owner: ${describeError(!got.ok && got.error)}`);
          await ask(system, owner, () => table.deleteTable());
        }
      } finally {
        system.shutdown();
      }
    });

    it("host code (outside any process) runs every operation", async () => {
      const { system, pids: [owner] } = await withProbes(1);
      try {
        for (const op of OPERATIONS) {
          const table = await tableOf(system, owner, access);
          const got = attempt(() => op.run(table));
          assert.ok(got.ok, `${op.name} from host code: ${describeError(!got.ok && got.error)}`);
          table.deleteTable();
        }
      } finally {
        system.shutdown();
      }
    });
  });
}

describe("access: ownership moves with the table", () => {
  it("after giveAway, the new owner writes a protected table and the old one may not", async () => {
    const { system, pids: [a, b] } = await withProbes(2);
    try {
      const table = await tableOf(system, a, "protected");
      await ask(system, a, () => table.giveAway(b, "yours"));
      assert.ok(table.owner.equals(b));
      const byB = await ask(system, b, () => attempt(() => table.insert(["d", 4, "w"])));
      assert.ok(byB.ok, `the new owner was refused: ${describeError(!byB.ok && byB.error)}`);
      const byA = await ask(system, a, () => attempt(() => table.insert(["e", 5, "w"])));
      assert.ok(!byA.ok && byA.error instanceof TableAccessError, "the old owner still writes");
      assert.deepEqual(table.lookup("e"), []);
    } finally {
      system.shutdown();
    }
  });

  it("after the owner dies, its heir may read a private table, which others still may not", async () => {
    const { system, pids: [a, heir, other] } = await withProbes(3);
    try {
      const table = await ask(system, a, (ctx) => new Table<R>(ctx, { access: "private", heir }));
      table.insertMany(ROWS);
      system.exit(a, "kill");
      await system.runUntilIdle();
      const byHeir = await ask(system, heir, () => attempt(() => table.lookup("a")));
      assert.ok(byHeir.ok, `the heir was refused: ${describeError(!byHeir.ok && byHeir.error)}`);
      assert.deepEqual(byHeir.value, [ROWS[0]]);
      const byOther = await ask(system, other, () => attempt(() => table.lookup("a")));
      assert.ok(!byOther.ok && byOther.error instanceof TableAccessError);
    } finally {
      system.shutdown();
    }
  });

  it("a process that is not the owner may not give the table away", async () => {
    const { system, pids: [a, b] } = await withProbes(2);
    try {
      const table = await tableOf(system, a, "public");
      const got = await ask(system, b, () => attempt(() => table.giveAway(b)));
      assert.ok(!got.ok, "a non-owner gave the table away");
      assert.ok(got.error instanceof TableAccessError, describeError(got.error));
      assert.ok(table.owner.equals(a));
    } finally {
      system.shutdown();
    }
  });
});

describe("access: handlers of every kind count as the process", () => {
  it("a private table refuses a cast, an info and an init of another process", async () => {
    const { system, pids: [owner] } = await withProbes(1);
    try {
      const table = await tableOf(system, owner, "private");
      const seen: string[] = [];
      const tryRead = (where: string) => {
        const got = attempt(() => table.lookup("a"));
        seen.push(
          `${where}:${
            got.ok
              ? "read"
              : got.error instanceof TableAccessError
              ? "refused"
              : describeError(got.error)
          }`,
        );
      };
      const reader: GenServer<null, null> = {
        init: () => {
          tryRead("init");
          return ok(null);
        },
        handleCast: (_msg, state) => {
          tryRead("cast");
          return noreply(state);
        },
        handleInfo: (_msg, state) => {
          tryRead("info");
          return noreply(state);
        },
        handleCall: (_msg, _from, state) => {
          tryRead("call");
          return reply(null, state);
        },
      };
      const started = system.start(reader, null);
      await system.runUntilIdle();
      const pid = await started;
      system.cast(pid, "go");
      system.send(pid, "go");
      await system.runUntilIdle();
      const called = system.call(pid, "go");
      await system.runUntilIdle();
      await called;
      assert.deepEqual(seen, ["init:refused", "cast:refused", "info:refused", "call:refused"]);
    } finally {
      system.shutdown();
    }
  });

  it("code after an await in a handler is host code: not checked (as the spec says)", async () => {
    const { system, pids: [owner] } = await withProbes(1);
    try {
      const table = await tableOf(system, owner, "private");
      const reader: GenServer<null, null> = {
        init: () => ok(null),
        handleCall: async (_msg, _from, state) => {
          await Promise.resolve();
          return reply(table.lookup("a"), state);
        },
      };
      const started = system.start(reader, null);
      await system.runUntilIdle();
      const pid = await started;
      const called = system.call(pid, "go");
      await system.runUntilIdle();
      assert.deepEqual(await called, [ROWS[0]]);
    } finally {
      system.shutdown();
    }
  });
});
