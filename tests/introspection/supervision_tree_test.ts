/**
 * supervisionTree: a nested tree (Supervisor > DynamicSupervisor > workers,
 * Supervisor > Supervisor), the forest of top-level supervisors,
 * PartitionSupervisor, bounds and their flags, timeouts, bad input; and
 * supervisorSettings, which recognizes supervisors.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NoProcError } from "../../src/errors.ts";
import {
  NotSupervisorError,
  type SupervisionNode,
  supervisionTree,
  type SupervisionTreeOptions,
} from "../../src/introspection/mod.ts";
import type { Pid } from "../../src/pid.ts";
import { System } from "../../src/system.ts";
import {
  type ChildSpec,
  DynamicSupervisor,
  PartitionSupervisor,
  Supervisor,
  supervisorSettings,
} from "../../src/supervisor/mod.ts";
import type { Restart } from "../../src/supervisor/child_spec.ts";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";
import { idle, isSettled, settle } from "./_fixtures.ts";

const worker = (id: string): ChildSpec => ({ id, start: { server: idle } });

/** root (one_for_all) > [cache, sessions (dynamic) > 3 workers, inner (rest_for_one) > [x, y]] */
async function nestedTree(t: TestSystem) {
  const root = await settle(
    t,
    Supervisor.start(t.system, [
      worker("cache"),
      DynamicSupervisor.childSpec("sessions", { intensity: 7, period: 700, maxChildren: 10 }),
      Supervisor.childSpec("inner", [worker("x"), worker("y")], {
        strategy: "rest_for_one",
        name: "inner",
      }),
    ], { strategy: "one_for_all", intensity: 5, period: 1000, name: "root" }),
  );
  const children = await settle(t, Supervisor.whichChildren(t.system, root));
  const pidOf = (id: string) => children.find((c) => c.id === id)!.pid!;
  const sessions = pidOf("sessions");
  const session: Pid[] = [];
  for (let i = 0; i < 3; i++) {
    const started = DynamicSupervisor.startChild(t.system, sessions, {
      start: { server: idle },
      restart: "transient",
    });
    session.push((await settle(t, started))!);
  }
  const inner = await settle(t, Supervisor.whichChildren(t.system, pidOf("inner")));
  return {
    root,
    cache: pidOf("cache"),
    sessions,
    session,
    inner: pidOf("inner"),
    x: inner[0].pid!,
    y: inner[1].pid!,
  };
}

function leaf(
  pid: Pid | undefined,
  id: string | undefined,
  restart: Restart = "permanent",
): SupervisionNode {
  return {
    pid,
    id,
    name: undefined,
    type: "worker",
    restart,
    children: [],
    omittedChildren: 0,
    depthTruncated: false,
  };
}

describe("supervisionTree", () => {
  it("describes a nested tree: supervisor, dynamic supervisor, workers", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    const tree = await settle(t, supervisionTree(t.system, "root"));
    assert.deepEqual(
      tree,
      {
        pid: p.root,
        id: undefined,
        name: "root",
        type: "supervisor",
        restart: undefined,
        kind: "supervisor",
        strategy: "one_for_all",
        restartIntensity: { intensity: 5, period: 1000 },
        omittedChildren: 0,
        depthTruncated: false,
        children: [
          leaf(p.cache, "cache"),
          {
            pid: p.sessions,
            id: "sessions",
            name: undefined,
            type: "supervisor",
            restart: "permanent",
            kind: "dynamic_supervisor",
            strategy: "one_for_one",
            restartIntensity: { intensity: 7, period: 700 },
            omittedChildren: 0,
            depthTruncated: false,
            children: p.session.map((pid) => leaf(pid, undefined, "transient")),
          },
          {
            pid: p.inner,
            id: "inner",
            name: "inner",
            type: "supervisor",
            restart: "permanent",
            kind: "supervisor",
            strategy: "rest_for_one",
            restartIntensity: { intensity: 3, period: 5000 },
            omittedChildren: 0,
            depthTruncated: false,
            children: [leaf(p.x, "x"), leaf(p.y, "y")],
          },
        ],
      } satisfies SupervisionNode,
    );
    // A subtree from its own root, by pid.
    const inner = await settle(t, supervisionTree(t.system, p.inner));
    assert.deepEqual(inner.children.map((c) => c.pid), [p.x, p.y]);
    assert.equal(t.system.tableSizes().timers, 0); // every timeout timer cancelled
    t.dispose();
  });

  it("flags maxDepth and maxChildren cuts", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    const top = await settle(t, supervisionTree(t.system, p.root, { maxDepth: 0 }));
    assert.equal(top.depthTruncated, true);
    assert.deepEqual(top.children, []);
    const one = await settle(t, supervisionTree(t.system, p.root, { maxDepth: 1 }));
    assert.deepEqual(one.children.map((c) => [c.id, c.depthTruncated]), [
      ["cache", false],
      ["sessions", true],
      ["inner", true],
    ]);
    assert.deepEqual(one.children[1].children, []);
    const cut = await settle(t, supervisionTree(t.system, p.root, { maxChildren: 2 }));
    assert.deepEqual(cut.children.map((c) => c.id), ["cache", "sessions"]);
    assert.equal(cut.omittedChildren, 1);
    assert.deepEqual(cut.children[1].children.map((c) => c.pid), p.session.slice(0, 2));
    assert.equal(cut.children[1].omittedChildren, 1);
    const none = await settle(t, supervisionTree(t.system, p.root, { maxChildren: 0 }));
    assert.equal(none.omittedChildren, 3);
    t.dispose();
  });

  it("shows a child that is not running without a pid", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    await settle(t, Supervisor.terminateChild(t.system, p.root, "cache"));
    const tree = await settle(t, supervisionTree(t.system, p.root));
    assert.deepEqual(tree.children[0], leaf(undefined, "cache"));
    t.dispose();
  });

  it("lists the forest of top-level supervisors, oldest first", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    await t.start(idle, undefined, { name: "loner" });
    const jobs = await settle(t, DynamicSupervisor.start(t.system, { name: "jobs" }));
    const shards = await settle(
      t,
      PartitionSupervisor.start(t.system, { child: { server: idle }, partitions: 3 }),
    );
    const forest = await settle(t, supervisionTree(t.system));
    assert.deepEqual(forest.map((n) => n.pid), [p.root, jobs, shards.pid]);
    assert.equal(forest[0].children.length, 3);
    assert.deepEqual(forest[1].children, []);
    assert.equal(forest[1].kind, "dynamic_supervisor");
    assert.deepEqual(
      forest[2].children.map((c) => [c.id, c.type, c.children.length]),
      [["partition-0", "worker", 0], ["partition-1", "worker", 0], ["partition-2", "worker", 0]],
    );
    t.dispose();
  });

  it("caps the nodes in level order, flagging where the cap cut", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t); // 1 root, 3 children, 3 sessions + 2 inner workers: 9 nodes
    const all = await settle(t, supervisionTree(t.system, p.root, { maxNodes: 9 }));
    assert.equal(JSON.stringify(all).includes("nodesTruncated"), false);

    const cut = await settle(t, supervisionTree(t.system, p.root, { maxNodes: 5 }));
    assert.deepEqual(cut.children.map((c) => c.id), ["cache", "sessions", "inner"]);
    assert.equal(cut.nodesTruncated, undefined);
    const [, sessions, inner] = cut.children;
    assert.deepEqual(sessions.children.map((c) => c.pid), [p.session[0]]);
    assert.equal(sessions.omittedChildren, 2);
    assert.equal(sessions.nodesTruncated, true);
    assert.deepEqual(inner.children, []);
    assert.equal(inner.omittedChildren, 2);
    assert.equal(inner.nodesTruncated, true);

    // The cap reached before a level is asked for: its supervisors are not asked at all.
    const top = await settle(t, supervisionTree(t.system, p.root, { maxNodes: 4 }));
    assert.deepEqual(top.children[1].children, []);
    assert.equal(top.children[1].nodesTruncated, true);
    assert.equal(top.children[1].omittedChildren, 0);

    const root = await settle(t, supervisionTree(t.system, p.root, { maxNodes: 1 }));
    assert.deepEqual(root.children, []);
    assert.equal(root.nodesTruncated, true);
    t.dispose();
  });

  it("leaves out the roots of a forest beyond maxNodes", async () => {
    const t = createTestSystem();
    const first = await settle(t, Supervisor.start(t.system, [worker("a")]));
    const second = await settle(t, Supervisor.start(t.system, [worker("b")]));
    // Level order: both roots before any child.
    const three = await settle(t, supervisionTree(t.system, undefined, { maxNodes: 3 }));
    assert.deepEqual(three.map((n) => [n.pid, n.children.length, n.nodesTruncated]), [
      [first, 1, undefined],
      [second, 0, true],
    ]);
    const one = await settle(t, supervisionTree(t.system, undefined, { maxNodes: 1 }));
    assert.deepEqual(one.map((n) => n.pid), [first]);
    assert.equal(one[0].nodesTruncated, true);
    t.dispose();
  });

  it("lists a dynamic supervisor's first children without copying the others", async () => {
    const t = createTestSystem();
    const sup = await settle(t, DynamicSupervisor.start(t.system, {}));
    for (let i = 0; i < 50; i++) {
      await settle(t, DynamicSupervisor.startChild(t.system, sup, { start: { server: idle } }));
    }
    const tree = await settle(t, supervisionTree(t.system, sup, { maxChildren: 3 }));
    assert.equal(tree.children.length, 3);
    assert.equal(tree.omittedChildren, 47);
    const all = await settle(t, DynamicSupervisor.whichChildren(t.system, sup));
    assert.deepEqual(tree.children.map((c) => c.pid), all.slice(0, 3).map((c) => c.pid));
    t.dispose();
  });

  it("finds the forest's roots without scanning the process table", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    for (const scan of ["processes", "processIterator", "countByStatus"] as const) {
      Object.defineProperty(t.system, scan, {
        value: () => {
          throw new Error(`scanned the process table (${scan})`);
        },
      });
    }
    const forest = await settle(t, supervisionTree(t.system));
    assert.deepEqual(forest.map((n) => n.pid), [p.root]);
    t.dispose();
  });

  it("takes a PartitionSupervisor as root", async () => {
    const t = createTestSystem();
    const shards = await settle(
      t,
      PartitionSupervisor.start(t.system, {
        child: { server: idle },
        partitions: 2,
        strategy: "one_for_all",
        name: "shards",
      }),
    );
    const tree = await settle(t, supervisionTree(t.system, shards));
    assert.equal(tree.pid, shards.pid);
    assert.equal(tree.name, "shards");
    assert.equal(tree.strategy, "one_for_all");
    const partitions = await settle(t, shards.whichChildren());
    assert.deepEqual(tree.children.map((c) => c.pid), partitions.map((c) => c.pid));
    t.dispose();
  });

  it("marks a supervisor that does not answer in time, on the system clock", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    t.system.suspend(p.inner);
    const walking = supervisionTree(t.system, p.root, { timeout: 100 });
    await t.advance(99);
    assert.equal(await isSettled(walking), false);
    await t.advance(1);
    const tree = await settle(t, walking);
    assert.equal(tree.children[2].childrenUnavailable, "timeout");
    assert.deepEqual(tree.children[2].children, []);
    assert.equal(tree.children[1].children.length, 3); // the others were read
    t.system.resume(p.inner); // its late answer is ignored
    await t.runUntilIdle();
    assert.equal(t.system.tableSizes().calls, 0);
    assert.equal(t.system.tableSizes().timers, 0);
    t.dispose();
  });

  it("marks a child declared a supervisor that is not one as unrecognized", async () => {
    const t = createTestSystem();
    const sup = await settle(
      t,
      Supervisor.start(t.system, [{ id: "fake", type: "supervisor", start: { server: idle } }]),
    );
    const tree = await settle(t, supervisionTree(t.system, sup));
    assert.equal(tree.children[0].type, "supervisor");
    assert.equal(tree.children[0].childrenUnavailable, "unrecognized");
    t.dispose();
  });

  it("rejects bad roots and bad options", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    await assert.rejects(
      supervisionTree(t.system, p.cache),
      (e: unknown) => e instanceof NotSupervisorError && e.target === String(p.cache),
    );
    await assert.rejects(supervisionTree(t.system, "nobody"), NoProcError);
    await settle(t, Supervisor.terminateChild(t.system, p.root, "inner"));
    await assert.rejects(supervisionTree(t.system, p.inner), NoProcError);
    await assert.rejects(supervisionTree(t.system, 42 as unknown as string), TypeError);
    for (
      const options of [
        { maxDepth: -1 },
        { maxDepth: 1.5 },
        { maxChildren: NaN },
        { timeout: -1 },
        { maxNodes: 0 },
        { maxNodes: 2.5 },
        { maxNodes: -1 },
      ]
    ) {
      await assert.rejects(supervisionTree(t.system, p.root, options), RangeError);
    }
    await assert.rejects(
      supervisionTree(t.system, p.root, null as unknown as SupervisionTreeOptions),
      TypeError,
    );
    t.dispose();
  });
});

describe("supervisorSettings", () => {
  it("recognizes live supervisors only, of their own system", async () => {
    const t = createTestSystem();
    const p = await nestedTree(t);
    assert.equal(supervisorSettings(t.system, p.root)?.strategy, "one_for_all");
    assert.deepEqual(supervisorSettings(t.system, p.sessions), {
      kind: "dynamic_supervisor",
      strategy: "one_for_one",
      intensity: 7,
      period: 700,
      maxChildren: 10,
    });
    assert.equal(supervisorSettings(t.system, p.cache), undefined);
    assert.equal(supervisorSettings(new System({ scheduling: "manual" }), p.root), undefined);
    const supervisors = t.system.processes().filter((pid) => supervisorSettings(t.system, pid));
    assert.deepEqual(supervisors, [p.root, p.sessions, p.inner]);
    t.system.exit(p.root, "shutdown");
    await t.runUntilIdle();
    assert.equal(supervisorSettings(t.system, p.root), undefined);
    t.dispose();
  });
});
