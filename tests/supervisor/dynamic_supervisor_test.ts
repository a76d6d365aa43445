/**
 * DynamicSupervisor: children started on demand, restarted one for one by
 * their policy, refused beyond maxChildren, terminated by pid, stopped in
 * reverse order with the supervisor.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ignore, ok } from "../../src/gen_server.ts";
import { Pid } from "../../src/pid.ts";
import {
  ChildNotFoundError,
  ChildStartError,
  DynamicSupervisor,
  MaxChildrenError,
  Supervisor,
} from "../../src/supervisor/mod.ts";
import { System } from "../../src/system.ts";
import { assertNothingLeft } from "../_helpers.ts";
import { crash, settle, setup, spec } from "./_fixtures.ts";

async function children(system: ReturnType<typeof setup>["system"], sup: Pid) {
  return (await settle(system, DynamicSupervisor.whichChildren(system, sup))).map((c) => c.pid);
}

describe("DynamicSupervisor", () => {
  it("starts children on demand, restarts permanent ones, stops all in reverse", async () => {
    const { system, clock, reports, logger } = setup();
    const log: string[] = [];
    const sup = await settle(system, DynamicSupervisor.start(system, { clock, logger }));
    const a = await settle(system, DynamicSupervisor.startChild(system, sup, spec("a", log)));
    const b = await settle(system, DynamicSupervisor.startChild(system, sup, spec("b", log)));
    assert.ok(a instanceof Pid && b instanceof Pid);
    assert.deepEqual(await children(system, sup), [a, b]);
    await crash(system, a);
    const [a2, b2] = await children(system, sup);
    assert.ok(a2 && a2 !== a && system.isAlive(a2));
    assert.equal(b2, b);
    assert.deepEqual(reports.map((r) => r.event), ["restart"]);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assert.deepEqual(log, ["start a", "start b", "start a", "stop b", "stop a"]);
    assertNothingLeft(system);
  });

  it("temporary and transient children are forgotten when they are not restarted", async () => {
    const { system, clock } = setup();
    const sup = await settle(system, DynamicSupervisor.start(system, { clock }));
    const t = await settle(
      system,
      DynamicSupervisor.startChild(system, sup, spec("t", [], { restart: "temporary" })),
    );
    const r = await settle(
      system,
      DynamicSupervisor.startChild(system, sup, spec("r", [], { restart: "transient" })),
    );
    await crash(system, t);
    await settle(system, system.stop(r!, "normal"));
    await system.runUntilIdle();
    assert.deepEqual(await children(system, sup), []);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("refuses children beyond maxChildren; terminateChild frees a place", async () => {
    const { system } = setup();
    const sup = await settle(system, DynamicSupervisor.start(system, { maxChildren: 2 }));
    const a = await settle(system, DynamicSupervisor.startChild(system, sup, spec("a", [])));
    await settle(system, DynamicSupervisor.startChild(system, sup, spec("b", [])));
    const error = await settle(system, DynamicSupervisor.startChild(system, sup, spec("c", [])))
      .catch((e) => e);
    assert.ok(error instanceof MaxChildrenError && error.maxChildren === 2);
    assert.equal((await children(system, sup)).length, 2);
    await settle(system, DynamicSupervisor.terminateChild(system, sup, a!));
    assert.equal(system.isAlive(a!), false);
    const c = await settle(system, DynamicSupervisor.startChild(system, sup, spec("c", [])));
    assert.ok(c && system.isAlive(c));
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("bad input: named errors, TypeError, RangeError; nothing changes", async () => {
    const { system } = setup();
    const sup = await settle(system, DynamicSupervisor.start(system));
    const a = await settle(system, DynamicSupervisor.startChild(system, sup, spec("a", [])));
    const attempt = (p: Promise<unknown>) => settle(system, p).then(() => "resolved", (e) => e);
    const unknown = await attempt(DynamicSupervisor.terminateChild(system, sup, new Pid(9999)));
    assert.ok(unknown instanceof ChildNotFoundError);
    const failed = await attempt(
      DynamicSupervisor.startChild(system, sup, spec("f", [], {}, { failInit: () => true })),
    );
    assert.ok(failed instanceof ChildStartError);
    const ignored = await settle(
      system,
      DynamicSupervisor.startChild(system, sup, { start: { server: { init: () => ignore() } } }),
    );
    assert.equal(ignored, undefined);
    assert.ok(
      await attempt(DynamicSupervisor.startChild(system, sup, { start: null } as never)) instanceof
        TypeError,
    );
    assert.ok(
      await attempt(
        DynamicSupervisor.start(system, { strategy: "one_for_all" } as never),
      ) instanceof TypeError,
    );
    assert.ok(
      await attempt(DynamicSupervisor.start(system, { maxChildren: -1 })) instanceof RangeError,
    );
    assert.deepEqual(await children(system, sup), [a]);
    assert.equal(system.processes().length, 2);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });
});

describe("DynamicSupervisor.childSpec", () => {
  it("starts a named dynamic supervisor under a Supervisor, restarted with it", async () => {
    const system = new System({ logger: null });
    const root = await Supervisor.start(system, [
      DynamicSupervisor.childSpec("jobs", { name: "jobs", maxChildren: 2 }),
    ]);
    const [child] = await Supervisor.whichChildren(system, root);
    assert.equal(child.id, "jobs");
    assert.equal(child.type, "supervisor");
    assert.equal(system.whereis("jobs"), child.pid);
    const idle = { init: () => ok(0) };
    await DynamicSupervisor.startChild(system, "jobs", { start: { server: idle } });
    await DynamicSupervisor.startChild(system, "jobs", { start: { server: idle } });
    await assert.rejects(
      DynamicSupervisor.startChild(system, "jobs", { start: { server: idle } }),
      MaxChildrenError,
    );
    system.exit(child.pid!, "kill");
    await system.whenExited(child.pid!);
    await system.runUntilIdle(); // the root restarts it
    const restarted = system.whereis("jobs");
    assert.ok(restarted !== undefined && restarted !== child.pid);
    assert.equal((await DynamicSupervisor.whichChildren(system, "jobs")).length, 0);
    await system.shutdown();
  });

  it("refuses bad options at once", () => {
    assert.throws(() => DynamicSupervisor.childSpec("x", { maxChildren: -1 }), RangeError);
    assert.throws(
      () => DynamicSupervisor.childSpec("x", { strategy: "one_for_all" } as never),
      TypeError,
    );
  });
});
