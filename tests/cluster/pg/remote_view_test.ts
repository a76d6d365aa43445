/**
 * The pure parts of process groups, without NATS: a node's table (a pid
 * joined twice is there twice; a sync's diff counts duplicates), the view
 * of the other nodes (only a node up, under the incarnation it is up with,
 * is visible; a pending table shows at nodeup; a run that went down is
 * stale), and the check of messages from the wire.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Pid } from "../../../src/pid.ts";
import { GroupTable } from "../../../src/cluster/pg/_group_table.ts";
import { RemoteView } from "../../../src/cluster/pg/_remote_view.ts";
import { parseWire } from "../../../src/cluster/pg/_wire.ts";

const p = (node: string, serial: number) => Pid.of(node, serial);
const show = (changes: { type: string; group: string; pids: readonly Pid[] }[]) =>
  changes.map((c) => `${c.type} ${c.group} ${c.pids.map(String).join(",")}`);

describe("GroupTable", () => {
  it("keeps one entry per join, removes one per leave", () => {
    const table = new GroupTable();
    table.add("g", [p("a", 1), p("a", 1), p("a", 2)]);
    assert.deepEqual(table.remove("g", [p("a", 1)]).map(String), ["#PID<a.1.0>"]);
    assert.equal(table.members("g").length, 2);
    assert.deepEqual(table.remove("g", [p("a", 3)]), []);
    assert.deepEqual(show(table.removeEverywhere(p("a", 1))), ["leave g #PID<a.1.0>"]);
    assert.deepEqual(table.remove("g", [p("a", 2)]).length, 1);
    assert.equal(table.empty, true);
    assert.deepEqual([...table.groups()], []);
  });

  it("a sync replaces the content and says the difference, duplicates counted", () => {
    const table = new GroupTable();
    table.add("g", [p("a", 1), p("a", 1), p("a", 2)]);
    table.add("h", [p("a", 3)]);
    const changes = table.replace([["g", [p("a", 1), p("a", 4)]], ["i", [p("a", 5)]], ["j", []]]);
    assert.deepEqual(show(changes), [
      "leave g #PID<a.1.0>,#PID<a.2.0>",
      "leave h #PID<a.3.0>",
      "join g #PID<a.4.0>",
      "join i #PID<a.5.0>",
    ]);
    assert.deepEqual([...table.groups()].sort(), ["g", "i"]);
  });
});

describe("RemoteView", () => {
  it("shows a node's table only while it is up under that incarnation", () => {
    const view = new RemoteView();
    assert.deepEqual(view.join("b", 7, "g", [p("b", 1)]), []); // before its nodeup: kept
    assert.deepEqual(view.members("g"), []);
    assert.deepEqual(show(view.nodeUp("b", 7)), ["join g #PID<b.1.0>"]);
    assert.deepEqual(view.members("g").map(String), ["#PID<b.1.0>"]);
    assert.deepEqual(show(view.join("b", 7, "g", [p("b", 2)])), ["join g #PID<b.2.0>"]);
    assert.deepEqual(show(view.leave("b", 7, "g", [p("b", 1), p("b", 9)])), [
      "leave g #PID<b.1.0>",
    ]);
    // A restart heard before the nodedown of the old run: pending, not shown.
    assert.deepEqual(view.join("b", 8, "g", [p("b", 1)]), []);
    assert.deepEqual(show(view.nodeDown("b", 7)), ["leave g #PID<b.2.0>"]);
    assert.equal(view.isStale("b", 7), true);
    assert.deepEqual(view.join("b", 7, "g", [p("b", 3)]), []); // stale: dropped
    assert.deepEqual(show(view.nodeUp("b", 8)), ["join g #PID<b.1.0>"]);
    assert.deepEqual(view.nodesUp(), ["b"]);
  });

  it("a run back up under the same incarnation is no longer stale; syncs diff", () => {
    const view = new RemoteView();
    view.nodeUp("c", 1);
    view.sync("c", 1, [["g", [p("c", 1)]]]);
    view.nodeDown("c", 1);
    assert.equal(view.isStale("c", 1), true);
    assert.deepEqual(view.nodeUp("c", 1), []);
    assert.equal(view.isStale("c", 1), false);
    assert.deepEqual(show(view.sync("c", 1, [["g", [p("c", 1)]], ["h", [p("c", 2)]]])), [
      "join g #PID<c.1.0>",
      "join h #PID<c.2.0>",
    ]);
    assert.deepEqual([...view.groups()].sort(), ["g", "h"]);
    assert.deepEqual(show(view.sync("c", 1, [])), ["leave g #PID<c.1.0>", "leave h #PID<c.2.0>"]);
  });

  it("keeps few pending runs per node", () => {
    const fill = () => {
      const view = new RemoteView();
      for (let run = 1; run <= 10; run++) view.join("d", run, "g", [p("d", run)]);
      return view;
    };
    assert.deepEqual(show(fill().nodeUp("d", 7)), ["join g #PID<d.7.0>"]);
    assert.deepEqual(fill().nodeUp("d", 2), []); // pushed out by later runs
  });
});

describe("parseWire", () => {
  it("accepts the messages and refuses anything else with a reason", () => {
    const join = { v: 1, t: "join", node: "b", inc: 3, group: "g", pids: [p("b", 1)] };
    assert.equal(typeof parseWire(join), "object");
    const sync = {
      v: 1,
      t: "sync",
      node: "b",
      inc: 3,
      groups: [["g", [p("b", 1)]]],
      reply: true,
      more: false,
    };
    assert.equal(typeof parseWire(sync), "object");
    const hostile = new Proxy({}, {
      get() {
        throw new Error("hostile");
      },
    });
    const bad: unknown[] = [
      null,
      "join",
      [],
      hostile,
      { ...join, v: 2 },
      { ...join, node: "a.b" },
      { ...join, inc: "3" },
      { ...join, group: "" },
      { ...join, pids: "x" },
      { ...join, pids: [p("c", 1)] },
      { ...join, pids: [{ node: "b", serial: 1, scheduler: 0 }] },
      { ...join, t: "nope" },
      { ...sync, reply: 1 },
      { ...sync, more: undefined },
      { ...sync, groups: {} },
      { ...sync, groups: [["g"]] },
      { ...sync, groups: [[7, []]] },
    ];
    bad.forEach((value, at) => assert.equal(typeof parseWire(value), "string", `bad[${at}]`));
  });
});
