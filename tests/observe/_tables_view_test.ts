/**
 * The tables view: named tables first (by name), then unnamed ones oldest
 * first as `#Table<id>`, bounded, JSON-safe (pids as strings, names cut, no
 * Infinity or NaN), a table that cannot be read left out.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Pid } from "../../src/pid.ts";
import { ok } from "../../src/gen_server.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { System } from "../../src/system.ts";
import { Table } from "../../src/tables/table.ts";
import {
  tablesView,
  type TableViewInfo,
  type TableViewSource,
} from "../../src/observe/_tables_view.ts";

const owner = Pid.parse("#PID<test.42.0>");
const heir = Pid.parse("#PID<test.43.0>");

function table(
  id: number,
  name: string | undefined,
  extra: Partial<TableViewInfo> = {},
): TableViewSource {
  return {
    name,
    info: () => ({
      id,
      type: "set",
      access: "protected",
      keyPos: 0,
      owner,
      heir: undefined,
      size: id,
      memory: 100 * id,
      reads: 10 * id,
      writes: id,
      ...extra,
    }),
  };
}

describe("tablesView", () => {
  it("lists named tables by name, then unnamed ones oldest first", () => {
    const view = tablesView([
      table(1, undefined),
      table(2, "zeta"),
      table(3, "alpha", { heir, type: "ordered_set", access: "public", keyPos: 1 }),
      table(4, undefined),
    ], 10);
    assert.deepEqual(view.items.map((t) => t.label), ["alpha", "zeta", "#Table<1>", "#Table<4>"]);
    assert.deepEqual(view.items[0], {
      id: "3",
      name: "alpha",
      label: "alpha",
      type: "ordered_set",
      access: "public",
      keyPos: 1,
      owner: "#PID<test.42.0>",
      ownerId: "42",
      ownerName: null,
      heir: "#PID<test.43.0>",
      size: 3,
      memoryBytes: 300,
      reads: 30,
      writes: 3,
    });
    assert.equal(view.items[2].name, null);
    assert.equal(view.items[2].heir, null);
    assert.equal(view.total, 4);
    assert.equal(view.named, 2);
    assert.equal(view.limit, 10);
    assert.equal(view.truncated, false);
    assert.equal(typeof view.time, "number");
    assert.deepEqual(JSON.parse(JSON.stringify(view)), view);
  });

  it("lists at most `limit` tables, named ones kept first, and says so", () => {
    const tables = [
      ...Array.from({ length: 50 }, (_, i) => table(i + 1, undefined)),
      ...Array.from({ length: 5 }, (_, i) => table(100 + i, `t${i}`)),
    ];
    const view = tablesView(tables, 7);
    assert.deepEqual(
      view.items.map((t) => t.label),
      ["t0", "t1", "t2", "t3", "t4", "#Table<1>", "#Table<2>"],
    );
    assert.equal(view.total, 55);
    assert.equal(view.named, 5);
    assert.equal(view.truncated, true);
    assert.equal(tablesView(tables.slice(50), 3).items.length, 3);
  });

  it("keeps hostile values JSON-safe and leaves out a table that cannot be read", () => {
    const long = "<img src=x onerror=alert(1)>".repeat(40);
    const gone: TableViewSource = {
      name: "gone",
      info: () => {
        throw new Error("deleted");
      },
    };
    const view = tablesView([
      table(1, long, { size: Infinity, memory: NaN, reads: -Infinity }),
      gone,
    ], 10);
    assert.equal(view.items.length, 1);
    const [item] = view.items;
    assert.ok(item.name!.length <= 256 && item.name!.endsWith("…"));
    assert.ok(item.name!.startsWith("<img src=x"), "the name is data, not markup: kept as text");
    assert.equal(item.size, 0);
    assert.equal(item.memoryBytes, 0);
    assert.equal(item.reads, 0);
    assert.doesNotMatch(JSON.stringify(view), /Infinity|NaN/);
  });

  it("is what SystemObserver.tables() serves, at most maxTables", async () => {
    const system = new System({ logger: null });
    assert.throws(() => new SystemObserver(system, { maxTables: 0 }), RangeError);
    const observer = new SystemObserver(system, { maxTables: 2 });
    try {
      assert.deepEqual(observer.tables().items, []);
      const owner = await system.start({ init: () => ok(null) });
      new Table(system, { owner });
      const sessions = new Table(system, { owner, name: "sessions", type: "ordered_set" });
      new Table(system, { owner, name: "limits", access: "private" });
      const view = observer.tables();
      assert.deepEqual(view.items.map((t) => t.label), ["limits", "sessions"]);
      assert.equal(view.truncated, true);
      assert.equal(view.total, 3);
      assert.equal(view.items[1].id, String(sessions.id));
      assert.equal(view.items[1].owner, String(owner));
      assert.equal(view.items[1].ownerName, null);
      assert.equal(sessions.info().reads, 0, "the view is not a read");
    } finally {
      observer.close();
      system.shutdown();
    }
  });
});
