/**
 * Big memberships in parts NATS takes: joins and leaves cut in slices
 * within a budget, syncs cut in parts (a group across several) and put
 * back together by the receiver only at the last part.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Pid } from "../../../src/pid.ts";
import { PID_BYTES, splitEntries, splitPids } from "../../../src/cluster/pg/_parts.ts";
import { MAX_SYNC_PIDS, SyncParts } from "../../../src/cluster/pg/_sync_parts.ts";
import type { SyncMessage } from "../../../src/cluster/pg/_wire.ts";

const pids = (n: number) => Array.from({ length: n }, (_, i) => Pid.of("a", i + 1));

describe("splitPids / splitEntries", () => {
  it("keeps small lists whole and cuts big ones within the budget", () => {
    assert.deepEqual(splitPids("g", []), [[]]);
    assert.equal(splitPids("g", pids(10)).length, 1);
    const slices = splitPids("g", pids(1000), 100 * PID_BYTES);
    assert.ok(slices.length > 10);
    assert.ok(slices.every((slice) => slice.length <= 100));
    assert.equal(slices.flat().length, 1000);
  });

  it("cuts a sync in parts, a big group across several, nothing lost", () => {
    assert.deepEqual(splitEntries([]), [[]]);
    const entries: [string, Pid[]][] = [["small", pids(3)], ["big", pids(5000)], ["x", pids(1)]];
    const parts = splitEntries(entries, 500 * PID_BYTES);
    assert.ok(parts.length >= 10);
    const back = new Map<string, number>();
    for (const part of parts) {
      const size = part.reduce(
        (sum, [group, list]) => sum + 16 + group.length * 3 + list.length * PID_BYTES,
        0,
      );
      assert.ok(size <= 500 * PID_BYTES);
      for (const [group, list] of part) back.set(group, (back.get(group) ?? 0) + list.length);
    }
    assert.deepEqual([...back], [["small", 3], ["big", 5000], ["x", 1]]);
  });
});

describe("SyncParts", () => {
  const part = (groups: [string, Pid[]][], more: boolean, inc = 1): SyncMessage => ({
    v: 1,
    t: "sync",
    node: "b",
    inc,
    groups,
    reply: false,
    more,
  });

  it("gives a one-part sync at once and a sync in parts at its last part", () => {
    const parts = new SyncParts();
    assert.deepEqual(parts.add(part([["g", pids(1)]], false)), [["g", pids(1)]]);
    assert.equal(parts.add(part([["g", pids(2)]], true)), undefined);
    assert.equal(parts.add(part([["g", pids(3)]], true)), undefined);
    assert.deepEqual(parts.add(part([["h", pids(1)]], false)), [
      ["g", pids(2)],
      ["g", pids(3)],
      ["h", pids(1)],
    ]);
  });

  it("starts over for a new run of the node, or after forget", () => {
    const parts = new SyncParts();
    parts.add(part([["g", pids(2)]], true, 1));
    assert.deepEqual(parts.add(part([["h", pids(1)]], false, 2)), [["h", pids(1)]]);
    parts.add(part([["g", pids(2)]], true, 2));
    parts.forget("b");
    assert.deepEqual(parts.add(part([], false, 2)), []);
  });

  it("drops a sync that grows without end", () => {
    const parts = new SyncParts();
    const many = Array.from({ length: 1000 }, () => Pid.of("b", 1));
    let result: unknown;
    for (let i = 0; i <= MAX_SYNC_PIDS / 1000 && result === undefined; i++) {
      result = parts.add({ ...part([["g", many]], true), node: "b" });
    }
    assert.equal(result, "overflow");
  });
});
