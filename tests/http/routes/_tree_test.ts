/**
 * /tree: the top-level supervisors' trees with pids as strings, capped in
 * total nodes (the cut reported), walked at most once a second, found
 * without scanning the process table.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DynamicSupervisor, Supervisor } from "../../../src/supervisor/mod.ts";
import { System } from "../../../src/system.ts";
import { echo, fixture, forbidScans, json } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

describe("GET /tree", () => {
  it("answers no roots without supervisors", async () => {
    const f = fixture();
    try {
      await f.system.start(echo);
      assert.deepEqual(await json(await f.get("/tree")), {
        roots: [],
        omittedRoots: 0,
        nodes: 0,
        maxNodes: 1000,
        truncated: false,
        snapshotAgeMs: 0,
      });
    } finally {
      f.close();
    }
  });

  it("answers a Supervisor's tree with pids as strings", async () => {
    const f = fixture();
    try {
      const root = await Supervisor.start(f.system, [
        { id: "a", start: { server: echo } },
        Supervisor.childSpec("inner", [{ id: "b", start: { server: echo } }]),
      ], { name: "root", strategy: "one_for_all" });
      const body = await json<Json>(await f.get("/tree"));
      assert.equal(body.roots.length, 1);
      assert.equal(body.nodes, 4);
      assert.equal(body.truncated, false);
      const node = body.roots[0];
      assert.equal(node.pid, String(root));
      assert.equal(node.processId, String(root.serial));
      assert.equal(node.name, "root");
      assert.equal(node.type, "supervisor");
      assert.equal(node.strategy, "one_for_all");
      assert.deepEqual(node.children.map((child: Json) => child.id), ["a", "inner"]);
      const [a, inner] = node.children;
      assert.equal(a.type, "worker");
      assert.match(a.pid, /^#PID<[A-Za-z0-9_@-]+\.\d+\.0>$/);
      assert.equal(inner.type, "supervisor");
      assert.equal(inner.children[0].id, "b");
      assert.equal(typeof inner.children[0].pid, "string");
      assert.equal("nodesTruncated" in node, false);
    } finally {
      f.close();
    }
  });

  it("caps the total nodes of a large tree and reports the cut", async () => {
    const f = fixture({ limits: { maxTreeNodes: 10 } });
    try {
      const sessions = await DynamicSupervisor.start(f.system, {});
      for (let i = 0; i < 40; i++) {
        await DynamicSupervisor.startChild(f.system, sessions, { start: { server: echo } });
      }
      await Supervisor.start(f.system, [{ id: "other", start: { server: echo } }]);
      const body = await json<Json>(await f.get("/tree"));
      assert.equal(body.nodes, 10);
      assert.equal(body.maxNodes, 10);
      assert.equal(body.truncated, true);
      assert.equal(body.omittedRoots, 0);
      const [big, other] = body.roots;
      assert.equal(big.children.length, 8); // 2 roots + 8 children
      assert.equal(big.omittedChildren, 32);
      assert.equal(big.nodesTruncated, true);
      assert.deepEqual(other.children, []);
      assert.equal(other.nodesTruncated, true);
    } finally {
      f.close();
    }
  });

  it("walks the supervisors at most once a second, whoever asks, without a scan", async () => {
    let now = 0;
    const system = new System({ logger: null, clock: { now: () => now } });
    const f = fixture({}, system);
    try {
      await Supervisor.start(system, [{ id: "a", start: { server: echo } }]);
      forbidScans(system, { walker: false });
      const [first, second] = await Promise.all([f.get("/tree"), f.get("/tree")]);
      assert.equal((await json<Json>(first)).roots.length, 1);
      assert.equal((await json<Json>(second)).roots.length, 1);
      await Supervisor.start(system, [{ id: "b", start: { server: echo } }]);
      now += 999;
      const cached = await json<Json>(await f.get("/tree"));
      assert.equal(cached.roots.length, 1);
      assert.equal(cached.snapshotAgeMs, 999);
      now += 1;
      const fresh = await json<Json>(await f.get("/tree"));
      assert.equal(fresh.roots.length, 2);
      assert.equal(fresh.snapshotAgeMs, 0);
    } finally {
      f.close();
    }
  });
});
