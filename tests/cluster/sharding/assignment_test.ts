/**
 * The sharding's assignment: a key's shard is stable and the same for every
 * instance (every node); a shard's owner depends only on the set of members,
 * not their order; every shard has exactly one owner; a node joining takes
 * about 1/N of the shards and takes them only from the others, a node
 * leaving gives away only its own.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keyId, ShardAssignment } from "../../../src/cluster/sharding/_assignment.ts";

describe("ShardAssignment", () => {
  it("gives a key the same shard on every node, from its string form", () => {
    const one = new ShardAssignment(64);
    const two = new ShardAssignment(64);
    for (let i = 0; i < 500; i++) {
      const key = `cart:${i}`;
      const shard = one.shardOf(key);
      assert.ok(Number.isInteger(shard) && shard >= 0 && shard < 64);
      assert.equal(two.shardOf(key), shard);
    }
    assert.equal(one.shardOf(7), one.shardOf("7"));
    assert.equal(keyId(7), "7");
    assert.equal(keyId("7"), "7");
  });

  it("pins the shards and owners of a few keys (the same on every runtime and release)", () => {
    // A change of hash or secret would move every entity of a running cluster.
    const assignment = new ShardAssignment(64);
    const pinned = ["a", "cart:7", "session:9f2c", 42].map((key) => assignment.shardOf(key));
    assert.deepEqual(pinned, [40, 13, 52, 52]);
    assert.deepEqual(new ShardAssignment(8).owners(["a", "b", "c"]), [
      "a",
      "a",
      "b",
      "b",
      "a",
      "b",
      "b",
      "a",
    ]);
    assert.equal(new Set(Array.from({ length: 1000 }, (_, i) => assignment.shardOf(i))).size, 64);
  });

  it("spreads shards over the members, whatever their order, each shard owned once", () => {
    const assignment = new ShardAssignment(256);
    const owners = assignment.owners(["a", "b", "c"]);
    assert.deepEqual(assignment.owners(["c", "a", "b"]), owners);
    assert.equal(owners.length, 256);
    const counts = new Map<string, number>();
    for (const owner of owners) {
      assert.ok(owner === "a" || owner === "b" || owner === "c");
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    for (const count of counts.values()) assert.ok(count > 256 / 3 / 2, `share ${count}`);
  });

  it("moves about 1/N of the shards when a node joins, and only to it", () => {
    const assignment = new ShardAssignment(1024);
    const before = assignment.owners(["a", "b", "c"]);
    const after = assignment.owners(["a", "b", "c", "d"]);
    let moved = 0;
    for (let shard = 0; shard < 1024; shard++) {
      if (before[shard] === after[shard]) continue;
      moved++;
      assert.equal(after[shard], "d");
    }
    assert.ok(moved > 1024 / 4 / 2 && moved < 1024 / 4 * 2, `moved ${moved}`);
  });

  it("moves only the leaving node's shards when one leaves", () => {
    const assignment = new ShardAssignment(512);
    const before = assignment.owners(["a", "b", "c"]);
    const after = assignment.owners(["a", "c"]);
    for (let shard = 0; shard < 512; shard++) {
      if (before[shard] !== "b") assert.equal(after[shard], before[shard]);
      else assert.notEqual(after[shard], "b");
    }
  });

  it("owns nothing without members, everything with one", () => {
    const assignment = new ShardAssignment(8);
    assert.deepEqual(assignment.owners([]), new Array(8).fill(undefined));
    assert.deepEqual(assignment.owners(["solo"]), new Array(8).fill("solo"));
    assert.deepEqual(assignment.owners(["x", "x"]), new Array(8).fill("x"));
  });
});
