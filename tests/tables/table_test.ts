/**
 * Tables, case by case: each type's insert semantics, counters, element
 * updates, patterns, walks, named tables, owner exit (with and without a
 * heir), giveAway, and access checked against the process whose callback
 * runs.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Context } from "../../src/context.ts";
import { noreply, ok, reply } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import { System } from "../../src/system.ts";
import {
  ANY,
  Table,
  TableAccessError,
  TableDeletedError,
  TableKeyError,
  TableNameTakenError,
  TableOwnerError,
  TableTransferMessage,
  TableTypeError,
  TableValueError,
} from "../../tables.ts";

const idle = { init: () => ok(null) };

async function setup(): Promise<{ system: System; owner: Pid }> {
  const system = new System({ logger: null });
  return { system, owner: await system.start(idle) };
}

describe("Table types", () => {
  it("a set keeps one row per key, the last inserted", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner });
    table.insert(["a", 1]);
    table.insert(["a", 2]);
    table.insert(["b", 3]);
    assert.deepEqual(table.lookup("a"), [["a", 2]]);
    assert.equal(table.size, 2);
    assert.equal(table.get("b")?.[1], 3);
    assert.equal(table.get("c"), undefined);
  });

  it("a bag keeps distinct rows per key; a duplicate_bag keeps copies", async () => {
    const { system, owner } = await setup();
    const bag = new Table<[string, number]>(system, { owner, type: "bag" });
    const dup = new Table<[string, number]>(system, { owner, type: "duplicate_bag" });
    for (const table of [bag, dup]) table.insertMany([["a", 1], ["a", 1], ["a", 2]]);
    assert.deepEqual(bag.lookup("a"), [["a", 1], ["a", 2]]);
    assert.deepEqual(dup.lookup("a"), [["a", 1], ["a", 1], ["a", 2]]);
    dup.deleteObject(["a", 1]);
    assert.deepEqual(dup.lookup("a"), [["a", 2]]);
    assert.equal(dup.size, 1);
  });

  it("array keys compare by value", async () => {
    const { system, owner } = await setup();
    const table = new Table<[[string, number], string]>(system, { owner });
    table.insert([["user", 1], "ada"]);
    assert.equal(table.member(["user", 1]), true);
    table.insert([["user", 1], "bob"]);
    assert.equal(table.size, 1);
    assert.deepEqual(table.get(["user", 1]), [["user", 1], "bob"]);
  });

  it("a cyclic row or key is a TableValueError or TableKeyError, never a stack overflow", async () => {
    const { system, owner } = await setup();
    const cyclic: unknown[] = [1];
    cyclic.push(cyclic);
    const ordered = new Table<[unknown, number]>(system, { owner, type: "ordered_set" });
    assert.throws(() => ordered.insert([cyclic, 1]), TableKeyError);
    assert.throws(() => ordered.lookup(cyclic), TableKeyError);
    assert.throws(() => ordered.insert([1, cyclic as never]), TableValueError);
    assert.equal(ordered.size, 0);
  });

  it("rows are copied and frozen on insert", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner });
    const row: [string, number] = ["a", 1];
    table.insert(row);
    row[1] = 99;
    const stored = table.get("a")!;
    assert.equal(stored[1], 1);
    assert.equal(Object.isFrozen(stored), true);
  });

  it("an ordered_set walks and ranges in key order: numbers < strings < arrays", async () => {
    const { system, owner } = await setup();
    const table = new Table<[unknown]>(system, { owner, type: "ordered_set" });
    table.insertMany([[["a"]], ["b"], [2], ["a"], [1], [["a", 0]], [-0.5]]);
    const keys: unknown[] = [];
    for (let key = table.first(); key !== undefined; key = table.next(key)) keys.push(key);
    assert.deepEqual(keys, [-0.5, 1, 2, "a", "b", ["a"], ["a", 0]]);
    assert.deepEqual(table.range({ gt: 1, lte: "a" }).map((row) => row[0]), [2, "a"]);
    assert.deepEqual(table.range({ reverse: true, limit: 2 }).map((row) => row[0]), [["a", 0], [
      "a",
    ]]);
    assert.equal(table.next(1.5), 2);
    assert.equal(table.prev("a"), 2);
    assert.equal(table.last(), table.range({ reverse: true, limit: 1 })[0][0]);
  });
});

describe("Table operations", () => {
  it("updateCounter: default row, bounds, several updates at once", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number, number]>(system, { owner });
    assert.throws(() => table.updateCounter("a", 1), TableKeyError);
    assert.equal(table.updateCounter("a", 1, ["ignored", 10, 0]), 11);
    assert.deepEqual(table.get("a"), ["a", 11, 0]);
    assert.deepEqual(
      table.updateCounter("a", [{ pos: 1, incr: 5, threshold: 12, setValue: 0 }, {
        pos: 2,
        incr: -1,
      }]),
      [0, -1],
    );
    assert.equal(table.updateCounter("a", { pos: 2, incr: -5, threshold: -3, setValue: -3 }), -3);
  });

  it("updateCounter on a non-number or the key throws and changes nothing", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number, string]>(system, { owner });
    table.insert(["a", 1, "x"]);
    assert.throws(
      () => table.updateCounter("a", [{ pos: 1, incr: 1 }, { pos: 2, incr: 1 }]),
      TableValueError,
    );
    assert.throws(() => table.updateCounter("a", { pos: 0, incr: 1 }), TableValueError);
    assert.deepEqual(table.get("a"), ["a", 1, "x"]);
    const bag = new Table<[string, number]>(system, { owner, type: "bag" });
    assert.throws(() => bag.updateCounter("a", 1), TableTypeError);
  });

  it("updateElement replaces elements but never the key", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, string, number]>(system, { owner });
    assert.equal(table.updateElement("a", 1, "x"), false);
    table.insert(["a", "x", 1]);
    assert.equal(table.updateElement("a", [[1, "y"], [2, 2]]), true);
    assert.deepEqual(table.get("a"), ["a", "y", 2]);
    assert.throws(() => table.updateElement("a", 0, "b"), TableValueError);
    assert.throws(() => table.updateElement("a", 3, 1 as never), TableValueError);
  });

  it("match, select, selectCount, selectDelete, take, deleteAll", async () => {
    const { system, owner } = await setup();
    const table = new Table<[number, string, { city: string }]>(system, { owner });
    table.insertMany([[1, "ada", { city: "Lyon" }], [2, "bob", { city: "Paris" }], [3, "ada", {
      city: "Paris",
    }]]);
    assert.deepEqual(table.match([ANY, "ada", ANY]).map((row) => row[0]), [1, 3]);
    assert.deepEqual(table.match([ANY, ANY, { city: "Paris" }]).map((row) => row[0]), [2, 3]);
    assert.deepEqual(table.match([2, ANY, ANY]).map((row) => row[1]), ["bob"]);
    assert.deepEqual(table.select((row) => row[0] > 1, (row) => row[1]), ["bob", "ada"]);
    assert.equal(table.selectCount((row) => row[1] === "ada"), 2);
    assert.equal(table.selectDelete((row) => row[2].city === "Paris"), 2);
    assert.deepEqual(table.take(1).map((row) => row[1]), ["ada"]);
    assert.equal(table.size, 0);
    table.insert([4, "cy", { city: "Nice" }]);
    table.deleteAll();
    assert.equal(table.size, 0);
    assert.equal(table.deleted, false);
  });

  it("a walk of a set survives deleting the key it stands on", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string]>(system, { owner });
    table.insertMany([["a"], ["b"], ["c"], ["d"]]);
    const seen: string[] = [];
    for (let key = table.first(); key !== undefined; key = table.next(key)) {
      seen.push(key);
      table.delete(key);
      if (key === "b") table.insert(["b"]); // back in its place: not seen again
    }
    assert.deepEqual(seen, ["a", "b", "c", "d"]);
    assert.deepEqual(table.toArray(), [["b"]]);
    assert.throws(() => table.next("never"), TableKeyError);
  });

  it("info tells size, keys, memory, owner and counters", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner, name: "t", type: "bag" });
    table.insertMany([["a", 1], ["a", 2], ["b", 3]]);
    table.lookup("a");
    table.member("b");
    const info = table.info();
    assert.equal(info.size, 3);
    assert.equal(info.keys, 2);
    assert.equal(info.owner, owner);
    assert.equal(info.reads, 2);
    assert.equal(info.writes, 1);
    assert.ok(info.memory > table.info().memory - 1);
    const empty = new Table(system, { owner }).info().memory;
    assert.ok(info.memory > empty);
  });
});

describe("named tables", () => {
  it("are found by name, once; the name is free after deleteTable", async () => {
    const { system, owner } = await setup();
    const table = new Table(system, { owner, name: "cache" });
    assert.equal(Table.whereis(system, "cache"), table);
    assert.throws(() => new Table(system, { owner, name: "cache" }), TableNameTakenError);
    assert.deepEqual(Table.list(system), [table]);
    table.deleteTable();
    assert.equal(Table.whereis(system, "cache"), undefined);
    assert.deepEqual(Table.list(system), []);
    assert.throws(() => table.insert(["a"]), TableDeletedError);
    new Table(system, { owner, name: "cache" });
  });

  it("need an owner", () => {
    const system = new System({ logger: null });
    assert.throws(() => new Table(system), TableOwnerError);
  });
});

describe("owners and heirs", () => {
  it("a table is deleted when its owner exits, inside the exit", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string]>(system, { owner, name: "gone" });
    table.insert(["a"]);
    system.exit(owner, "kill");
    assert.equal(table.deleted, true);
    assert.equal(Table.whereis(system, "gone"), undefined);
    assert.throws(() => table.lookup("a"), TableDeletedError);
  });

  it("passes to a live heir, which is told with a TableTransferMessage", async () => {
    const system = new System({ logger: null });
    const received: TableTransferMessage[] = [];
    const heir = await system.start({
      init: () => ok(null),
      handleInfo: (message: unknown, state: null) => {
        if (message instanceof TableTransferMessage) received.push(message);
        return noreply(state);
      },
    });
    const owner = await system.start(idle);
    const table = new Table<[string]>(system, { owner, heir, heirData: "backup" });
    table.insert(["a"]);
    system.exit(owner, "kill");
    assert.equal(table.deleted, false);
    assert.equal(table.owner, heir);
    assert.equal(table.heir, undefined);
    await system.runUntilIdle();
    assert.equal(received.length, 1);
    assert.equal(received[0].table, table);
    assert.equal(received[0].from, owner);
    assert.equal(received[0].data, "backup");
    assert.deepEqual(table.lookup("a"), [["a"]]);
    system.exit(heir, "kill");
    assert.equal(table.deleted, true);
  });

  it("tells an heir whose bounded mailbox is full, once it has room", async () => {
    const system = new System({ logger: null, scheduling: "manual" });
    const received: unknown[] = [];
    const start = system.start(
      {
        init: () => ok(null),
        handleInfo: (message: unknown, state: null) => noreply(received.push(message) && state),
      },
      undefined,
      { mailbox: { bound: 1 } },
    );
    await system.runUntilIdle();
    const heir = await start;
    const owner = system.start(idle);
    await system.runUntilIdle();
    const table = new Table(system, { owner: await owner, heir });
    assert.equal(system.send(heir, "filler"), "ok");
    assert.equal(system.send(heir, "refused"), "overloaded");
    system.exit(await owner, "kill");
    assert.equal(table.owner, heir);
    await system.runUntilIdle();
    assert.equal(received.length, 2);
    assert.equal(received[0], "filler");
    assert.ok(received[1] instanceof TableTransferMessage);
  });

  it("is deleted when the heir is dead too", async () => {
    const { system, owner } = await setup();
    const heir = await system.start(idle);
    const table = new Table(system, { owner, heir });
    system.exit(heir, "kill");
    system.exit(owner, "kill");
    assert.equal(table.deleted, true);
  });

  it("giveAway hands it over; only the owner may", async () => {
    const { system, owner } = await setup();
    const other = await system.start(idle);
    const table = new Table(system, { owner });
    assert.throws(() => table.giveAway(owner), TableOwnerError);
    table.giveAway(other, 1);
    assert.equal(table.owner, other);
    system.exit(owner, "kill");
    assert.equal(table.deleted, false);
  });
});

describe("access", () => {
  /** Runs `fn` inside a callback of a fresh process, returning what it returned or threw. */
  async function inProcess(system: System, fn: () => unknown): Promise<unknown> {
    const pid = await system.start({
      init: () => ok(null),
      handleCall: (_: "run", _from, state: null) => {
        try {
          return reply({ value: fn() as unknown }, state);
        } catch (error) {
          return reply({ error }, state);
        }
      },
    });
    return await system.call(pid, "run");
  }

  it("protected: others read, only the owner writes", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner });
    table.insert(["a", 1]); // from outside: not checked
    assert.deepEqual(await inProcess(system, () => table.get("a")), { value: ["a", 1] });
    const denied = await inProcess(system, () => table.insert(["a", 2])) as { error: unknown };
    assert.ok(denied.error instanceof TableAccessError);
    assert.equal(denied.error.owner, owner);
    assert.equal(denied.error.access, "protected");
    assert.deepEqual(table.toArray(), [["a", 1]]);
  });

  it("private: others neither read nor write", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner, access: "private" });
    table.insert(["a", 1]);
    const read = await inProcess(system, () => table.lookup("a")) as { error: unknown };
    assert.ok(read.error instanceof TableAccessError);
    const walk = await inProcess(system, () => table.first()) as { error: unknown };
    assert.ok(walk.error instanceof TableAccessError);
  });

  it("public: anyone writes; the owner always may", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner, access: "public" });
    await inProcess(system, () => table.insert(["b", 2]));
    assert.equal(table.size, 1);
    const server = await system.start({
      init: (_: null, ctx) =>
        ok(new Table<[string, number]>(ctx, { access: "private", name: "own" })),
      handleCall: (_: "write", _from, t: Table<[string, number]>) => {
        t.insert(["x", 1]);
        return reply(t.lookup("x").length, t);
      },
    });
    assert.equal(await system.call(server, "write"), 1);
    assert.equal(Table.whereis(system, "own")?.owner, server);
  });

  it("as(ctx): checked against that process, even after an await", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner, name: "t" });
    table.insert(["a", 1]);
    let thirdCtx: Context | undefined;
    await system.start({ init: (_: null, ctx) => ok(thirdCtx = ctx) });
    const other = await system.start({
      init: () => ok(null),
      handleCall: async (how: "bare" | "view", _from, state: null, ctx) => {
        await Promise.resolve(); // the table no longer sees a process
        try {
          if (how === "view") table.as(ctx).insert(["b", 2]);
          else table.insert(["c", 3]);
          return reply("written", state);
        } catch (error) {
          return reply(error instanceof TableAccessError ? `refused ${error.caller}` : "?", state);
        }
      },
    });
    assert.equal(await system.call(other, "view"), `refused ${other}`);
    assert.equal(await system.call(other, "bare"), "written"); // documented: not checked
    assert.equal(table.member("b"), false);
    const viewOfThird = table.as(thirdCtx!);
    assert.throws(() => viewOfThird.insert(["d", 4]), TableAccessError); // not the owner
    assert.throws(() => viewOfThird.giveAway(other), TableAccessError);
  });

  it("as(ctx): the owner's view writes; a view is the same table", async () => {
    const system = new System({ logger: null });
    let table: Table<[string, number]> | undefined;
    let ownerCtx: Context | undefined;
    await system.start({
      init: (_: null, ctx) => {
        ownerCtx = ctx;
        table = new Table<[string, number]>(ctx, { access: "private" });
        return ok(null);
      },
    });
    const view = table!.as(ownerCtx!);
    view.insert(["a", 1]);
    assert.equal(view.updateCounter("a", 1), 2);
    assert.deepEqual(table!.get("a"), ["a", 2]);
    assert.ok(view instanceof Table);
    assert.equal(view.size, 1);
    assert.equal(table!.info().writes, 2);
    assert.deepEqual([...view], [["a", 2]]);
  });

  it("as(ctx): a private table's reads and walks are refused to another process", async () => {
    const { system, owner } = await setup();
    const table = new Table<[string, number]>(system, { owner, access: "private" });
    table.insert(["a", 1]);
    let otherCtx: Context | undefined;
    await system.start({ init: (_: null, ctx) => ok(otherCtx = ctx) });
    const view = table.as(otherCtx!);
    assert.throws(() => view.lookup("a"), TableAccessError);
    assert.throws(() => view[Symbol.iterator](), TableAccessError);
    assert.throws(() => table.as({ self: owner, system: new System() } as never), TypeError);
  });
});
