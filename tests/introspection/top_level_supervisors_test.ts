/**
 * topLevelSupervisors: every live supervisor whose parent is not a live
 * supervisor — a supervisor started by a worker is a root, one under
 * another supervisor is not — read from the supervisors alone.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ok } from "../../src/gen_server.ts";
import { topLevelSupervisors } from "../../src/introspection/mod.ts";
import type { Pid } from "../../src/pid.ts";
import { DynamicSupervisor, Supervisor } from "../../src/supervisor/mod.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { idle, settle } from "./_fixtures.ts";

describe("topLevelSupervisors", () => {
  it("lists the supervisors no live supervisor started, oldest first", async () => {
    const t = createTestSystem();
    assert.deepEqual(topLevelSupervisors(t.system), []);
    const root = await settle(
      t,
      Supervisor.start(t.system, [
        Supervisor.childSpec("inner", [{ id: "w", start: { server: idle } }]),
        DynamicSupervisor.childSpec("dynamic"),
      ]),
    );
    await t.start(idle);
    const jobs = await settle(t, DynamicSupervisor.start(t.system, {}));
    assert.deepEqual(topLevelSupervisors(t.system), [root, jobs]);

    // A supervisor a worker started (linked) is the root of a tree of its own.
    const spec = Supervisor.childSpec("owned", [{ id: "w", start: { server: idle } }]);
    let owned: Pid | undefined;
    await t.start({
      init: async (_arg: null, ctx) => {
        owned = await ctx.startLink(spec.start.server, spec.start.arg, spec.start.options);
        return ok(null);
      },
    });
    await t.runUntilIdle();
    assert.ok(owned !== undefined);
    assert.deepEqual(topLevelSupervisors(t.system), [root, jobs, owned]);

    t.system.exit(jobs, "shutdown");
    await t.runUntilIdle();
    assert.deepEqual(topLevelSupervisors(t.system), [root, owned]);
    t.dispose();
  });

  it("reads the supervisors only, never the whole process table", async () => {
    const t = createTestSystem();
    const root = await settle(
      t,
      Supervisor.start(t.system, [{ id: "w", start: { server: idle } }]),
    );
    for (let i = 0; i < 20; i++) await t.start(idle);
    for (const scan of ["processes", "processIterator", "countByStatus"] as const) {
      Object.defineProperty(t.system, scan, {
        value: () => {
          throw new Error(`scanned the process table (${scan})`);
        },
      });
    }
    assert.deepEqual(topLevelSupervisors(t.system), [root]);
    t.dispose();
  });
});
