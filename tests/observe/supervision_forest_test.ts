/**
 * SupervisionForest: one walk per interval of the system clock, shared by
 * concurrent reads; a node cap reported as `truncated`, `omittedRoots` and
 * `nodes`; bad options refused with named errors.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SupervisionForest } from "../../src/observe/supervision_forest.ts";
import { Supervisor } from "../../src/supervisor/mod.ts";
import type { ChildSpec } from "../../src/supervisor/child_spec.ts";
import { System } from "../../src/system.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { settle } from "../introspection/_fixtures.ts";
import { idle } from "./_fixtures.ts";

const worker = (id: string): ChildSpec => ({ id, start: { server: idle } });

describe("SupervisionForest", () => {
  it("walks at most once per intervalMs, one walk for concurrent reads", async () => {
    const t = createTestSystem();
    const first = await settle(t, Supervisor.start(t.system, [worker("a")]));
    const forest = new SupervisionForest(t.system, { intervalMs: 1000 });
    const [a, b] = await settle(t, Promise.all([forest.snapshot(), forest.snapshot()]));
    assert.equal(a, b);
    assert.deepEqual(a.roots.map((root) => root.pid), [first]);
    assert.deepEqual([a.nodes, a.omittedRoots, a.truncated, a.maxNodes], [2, 0, false, 1000]);

    const second = await settle(t, Supervisor.start(t.system, [worker("b")]));
    t.clock.advance(999);
    assert.equal(await settle(t, forest.snapshot()), a);
    t.clock.advance(1);
    const later = await settle(t, forest.snapshot());
    assert.deepEqual(later.roots.map((root) => root.pid), [first, second]);
    assert.equal(later.startedAt, 1000);
    t.dispose();
  });

  it("reports what the node cap left out", async () => {
    const t = createTestSystem();
    await settle(t, Supervisor.start(t.system, [worker("a"), worker("b")]));
    await settle(t, Supervisor.start(t.system, [worker("c")]));
    await settle(t, Supervisor.start(t.system, [worker("d")]));
    const capped = await settle(t, new SupervisionForest(t.system, { maxNodes: 2 }).snapshot());
    assert.deepEqual([capped.roots.length, capped.omittedRoots, capped.nodes], [2, 1, 2]);
    assert.equal(capped.truncated, true);
    const roomy = await settle(t, new SupervisionForest(t.system, { maxNodes: 4 }).snapshot());
    assert.deepEqual([roomy.roots.length, roomy.omittedRoots, roomy.nodes], [3, 0, 4]);
    assert.equal(roomy.truncated, true); // children cut
    assert.equal(roomy.roots[0].nodesTruncated, true);
    t.dispose();
  });

  it("refuses bad options with named errors", () => {
    const system = new System({ logger: null });
    const bad: [unknown, ErrorConstructor][] = [
      [{ maxNodes: 0 }, RangeError],
      [{ maxNodes: 1.5 }, RangeError],
      [{ maxDepth: -1 }, RangeError],
      [{ maxChildren: NaN }, RangeError],
      [{ timeout: -1 }, RangeError],
      [{ intervalMs: Infinity }, RangeError],
      [null, TypeError],
    ];
    for (const [options, type] of bad) {
      assert.throws(
        () => new SupervisionForest(system, options as object),
        type,
        JSON.stringify(options),
      );
    }
    assert.throws(() => new SupervisionForest({} as System), TypeError);
    system.shutdown();
  });
});
