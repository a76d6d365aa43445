/** /tree: every top-level supervisor's tree, with pids as strings. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Supervisor } from "../../../src/supervisor/mod.ts";
import { echo, fixture, json } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

describe("GET /tree", () => {
  it("answers no roots without supervisors", async () => {
    const f = fixture();
    try {
      await f.system.start(echo);
      assert.deepEqual(await json(await f.get("/tree")), { roots: [], omittedRoots: 0 });
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
      const node = body.roots[0];
      assert.equal(node.pid, String(root));
      assert.equal(node.processId, String(root.serial));
      assert.equal(node.name, "root");
      assert.equal(node.type, "supervisor");
      assert.equal(node.strategy, "one_for_all");
      assert.deepEqual(node.children.map((child: Json) => child.id), ["a", "inner"]);
      const [a, inner] = node.children;
      assert.equal(a.type, "worker");
      assert.match(a.pid, /^#PID<0\.\d+\.0>$/);
      assert.equal(inner.type, "supervisor");
      assert.equal(inner.children[0].id, "b");
      assert.equal(typeof inner.children[0].pid, "string");
    } finally {
      f.close();
    }
  });
});
