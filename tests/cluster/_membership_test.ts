/**
 * The membership table on its own (no NATS, no clock: the test says what
 * was heard and when): a node is up from the first thing heard, down after
 * `downAfterMs` of silence ("noconnection") or at once when it says goodbye
 * ("shutdown"); a late heartbeat of a node that left is not a new nodeup; a
 * new incarnation under the same name is a nodedown then a nodeup.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Membership } from "../../src/cluster/_membership.ts";
import type { NodeEvent } from "../../src/cluster/cluster_link.ts";

function table(downAfterMs = 100): { m: Membership; events: NodeEvent[] } {
  const events: NodeEvent[] = [];
  return { m: new Membership(downAfterMs, (event) => events.push(event)), events };
}

describe("Membership", () => {
  it("is up from the first thing heard and down after downAfterMs of silence", () => {
    const { m, events } = table(100);
    m.heard("b", 7, 0, { processes: 3, meta: { x: 1 } });
    m.heard("c", 9, 10);
    assert.deepEqual(m.nodes(), ["b", "c"]);
    assert.deepEqual(events.map((e) => `${e.type} ${e.node}`), ["nodeup b", "nodeup c"]);
    assert.equal(m.info()[0].processes, 3);
    assert.deepEqual(m.info()[0].meta, { x: 1 });
    m.heard("b", 7, 90);
    m.sweep(100); // c: 90 ms of silence, not yet
    assert.deepEqual(m.nodes(), ["b", "c"]);
    m.sweep(111); // c: 101 ms
    assert.deepEqual(m.nodes(), ["b"]);
    assert.deepEqual(events.at(-1), {
      type: "nodedown",
      node: "c",
      reason: "noconnection",
      incarnation: 9,
    });
    m.sweep(191);
    assert.deepEqual(m.nodes(), []);
    assert.equal(events.length, 4);
  });

  it("says shutdown for a goodbye, and a late heartbeat of that run is not a new nodeup", () => {
    const { m, events } = table();
    m.heard("b", 1, 0);
    m.left("b", 1);
    assert.equal(m.isUp("b"), false);
    assert.deepEqual(events.at(-1), {
      type: "nodedown",
      node: "b",
      reason: "shutdown",
      incarnation: 1,
    });
    m.heard("b", 1, 5); // in flight when it left
    assert.equal(m.isUp("b"), false);
    m.heard("b", 2, 6); // restarted
    assert.equal(m.isUp("b"), true);
    assert.equal(m.incarnationOf("b"), 2);
    assert.deepEqual(events.map((e) => e.type), ["nodeup", "nodedown", "nodeup"]);
  });

  it("takes a new incarnation under the same name as the old run down and the new one up", () => {
    const { m, events } = table();
    m.heard("b", 1, 0);
    m.heard("b", 2, 1);
    assert.deepEqual(
      events.map((e) => [e.type, e.incarnation, e.reason]),
      [["nodeup", 1, undefined], ["nodedown", 1, "noconnection"], ["nodeup", 2, undefined]],
    );
  });

  it("ignores a goodbye of another run, and clear() takes every node down", () => {
    const { m, events } = table();
    m.heard("b", 2, 0);
    m.heard("c", 3, 0);
    m.left("b", 1);
    assert.equal(m.isUp("b"), true);
    m.clear("shutdown");
    assert.deepEqual(m.nodes(), []);
    assert.deepEqual(events.filter((e) => e.type === "nodedown").map((e) => e.node).sort(), [
      "b",
      "c",
    ]);
  });
});
