/**
 * Supervisor, after OTP's supervisor_SUITE: start order and reverse stop
 * order, the restart intensity (spaced restarts never trip it, siblings share
 * it), the three strategies, restart policies, shutdown timeouts, escalation
 * through nested supervisors, init failures at start and at restart, and bad
 * input that leaves the tree unchanged.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ExitMessage, ok } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import {
  ChildNotFoundError,
  ChildRunningError,
  ChildStartError,
  DuplicateChildError,
  Supervisor,
} from "../../src/supervisor/mod.ts";
import { assertNothingLeft, flush } from "../_helpers.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { crash, pids, settle, setup, spec } from "./_fixtures.ts";

describe("Supervisor: start and stop", () => {
  it("starts children in order and stops them in reverse order", async () => {
    const { system, logger } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log), spec("b", log), spec("c", log)], { logger }),
    );
    assert.deepEqual(log, ["start a", "start b", "start c"]);
    assert.deepEqual(await settle(system, Supervisor.countChildren(system, sup)), {
      specs: 3,
      active: 3,
      supervisors: 0,
      workers: 3,
    });
    const exited = system.whenExited(sup);
    system.exit(sup, "shutdown");
    assert.equal(await settle(system, exited), "shutdown");
    assert.deepEqual(log.slice(3), ["stop c", "stop b", "stop a"]);
    assertNothingLeft(system);
  });

  it("a child whose init fails makes start fail; started children are stopped in reverse", async () => {
    const { system } = setup();
    const log: string[] = [];
    const children = [
      spec("a", log),
      spec("b", log),
      spec("bad", log, {}, { failInit: () => true }),
      spec("c", log),
    ];
    const error = await settle(system, Supervisor.start(system, children)).catch((e) => e);
    assert.ok(error instanceof ChildStartError, String(error));
    assert.equal(error.childId, "bad");
    assert.match(String((error.reason as Error).message), /init of bad failed/);
    assert.deepEqual(log, ["start a", "start b", "stop b", "stop a"]);
    assertNothingLeft(system);
  });

  it("a kill of the supervisor takes its children with it", async () => {
    const { system } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log, {}, { trap: false })]),
    );
    const { a } = await pids(system, sup);
    system.exit(sup, "kill");
    await system.runUntilIdle();
    assert.equal(system.isAlive(a!), false);
    assertNothingLeft(system);
  });
});

describe("Supervisor: restart intensity", () => {
  it("restarts are timed on the system's clock by default: crashes 2.1 s apart in virtual time never trip it", async () => {
    const t = createTestSystem();
    const log: string[] = [];
    const started = Supervisor.start(t.system, [spec("a", log)]); // intensity 3 in 5000 ms
    await t.runUntilIdle();
    const sup = await started;
    for (let n = 0; n < 6; n++) {
      const { a } = await pids(t.system, sup);
      t.system.exit(a!, "kill");
      await t.advance(2100);
    }
    assert.equal(
      t.system.isAlive(sup),
      true,
      "6 crashes, never more than 3 in 5 s of virtual time",
    );
    assert.equal(log.filter((line) => line === "start a").length, 7);
    t.dispose();
  });

  it("restarts spaced beyond the period never trip the limit", async () => {
    const { system, clock, reports, logger } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log)], { intensity: 3, period: 5000, logger, clock }),
    );
    const seen = new Set<Pid>();
    for (let n = 0; n < 12; n++) {
      const { a } = await pids(system, sup);
      assert.ok(a && !seen.has(a));
      seen.add(a);
      clock.advance(2000); // at most 3 restarts in any 5000 ms
      await crash(system, a);
    }
    assert.equal(system.isAlive(sup), true);
    assert.equal(reports.filter((r) => r.event === "restart").length, 12);
    assert.equal(reports.some((r) => r.event === "give_up"), false);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("two siblings share one budget: the 4th restart within the period gives up", async () => {
    const { system, clock, reports, logger } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log), spec("b", log)], { logger, clock }),
    );
    const exited = system.whenExited(sup);
    for (const id of ["a", "b", "a"]) {
      clock.advance(100);
      await crash(system, (await pids(system, sup))[id]);
      assert.equal(system.isAlive(sup), true);
    }
    const { b } = await pids(system, sup);
    const { a } = await pids(system, sup);
    clock.advance(100);
    await crash(system, b);
    assert.equal(await exited, "shutdown");
    assert.equal(system.isAlive(a!), false);
    assert.deepEqual(
      reports.map((r) => `${r.event} ${r.childId}`),
      ["restart a", "restart b", "restart a", "give_up b"],
    );
    assert.deepEqual(log.slice(-1), ["stop a"]); // the survivor is shut down, not killed
    assertNothingLeft(system);
  });
});

describe("Supervisor: strategies", () => {
  it("one_for_all restarts every child, new pids, in start order", async () => {
    const { system, clock } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log), spec("b", log), spec("c", log)], {
        strategy: "one_for_all",
        clock,
      }),
    );
    const before = await pids(system, sup);
    log.length = 0;
    await crash(system, before.b);
    assert.deepEqual(log, ["stop c", "stop a", "start a", "start b", "start c"]);
    const after = await pids(system, sup);
    for (const id of ["a", "b", "c"]) {
      assert.notEqual(after[id], before[id]);
      assert.equal(system.isAlive(before[id]!), false);
      assert.equal(system.isAlive(after[id]!), true);
    }
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("rest_for_one restarts the child and those started after it", async () => {
    const { system, clock } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log), spec("b", log), spec("c", log), spec("d", log)], {
        strategy: "rest_for_one",
        clock,
      }),
    );
    const before = await pids(system, sup);
    log.length = 0;
    await crash(system, before.b);
    assert.deepEqual(log, ["stop d", "stop c", "start b", "start c", "start d"]);
    const after = await pids(system, sup);
    assert.equal(after.a, before.a);
    for (const id of ["b", "c", "d"]) assert.notEqual(after[id], before[id]);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("one_for_one restarts only the child that exited", async () => {
    const { system, clock } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log), spec("b", log)], { clock }),
    );
    const before = await pids(system, sup);
    await crash(system, before.a);
    const after = await pids(system, sup);
    assert.notEqual(after.a, before.a);
    assert.equal(after.b, before.b);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
  });

  it("a temporary bystander is stopped but not restarted (one_for_all)", async () => {
    const { system, clock } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(
        system,
        [spec("a", log), spec("t", log, { restart: "temporary" }), spec("c", log)],
        { strategy: "one_for_all", clock },
      ),
    );
    const before = await pids(system, sup);
    await crash(system, before.a);
    const after = await pids(system, sup);
    assert.deepEqual(Object.keys(after), ["a", "c"]);
    assert.equal(system.isAlive(before.t!), false);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });
});

describe("Supervisor: restart policies", () => {
  it("a temporary child that exits is forgotten", async () => {
    const { system, clock } = setup();
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("t", [], { restart: "temporary" })], { clock }),
    );
    await crash(system, (await pids(system, sup)).t);
    assert.deepEqual(await pids(system, sup), {});
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
  });

  it("a transient child is restarted only after an abnormal exit", async () => {
    const { system, clock, reports, logger } = setup();
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("t", [], { restart: "transient" })], { clock, logger }),
    );
    const first = (await pids(system, sup)).t!;
    await crash(system, first);
    const second = (await pids(system, sup)).t!;
    assert.ok(second && second !== first);
    await settle(system, system.stop(second, "normal"));
    await system.runUntilIdle();
    assert.deepEqual(await pids(system, sup), { t: undefined });
    assert.equal(reports.length, 1);
    const third = await settle(system, Supervisor.restartChild(system, sup, "t"));
    await settle(system, system.stop(third!, { shutdown: "deploy" }));
    await system.runUntilIdle();
    assert.deepEqual(await pids(system, sup), { t: undefined });
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("a permanent child is restarted even after a normal exit", async () => {
    const { system, clock } = setup();
    const sup = await settle(system, Supervisor.start(system, [spec("p", [])], { clock }));
    const first = (await pids(system, sup)).p!;
    await settle(system, system.stop(first, "normal"));
    await system.runUntilIdle();
    const second = (await pids(system, sup)).p;
    assert.ok(second && second !== first);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
  });
});

describe("Supervisor: shutdown", () => {
  it("a child that ignores shutdown is killed after its shutdown time", async () => {
    const { system, clock } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("h", log, { shutdown: 1000 }, { hang: true })], { clock }),
    );
    const { h } = await pids(system, sup);
    const exited = system.whenExited(h!);
    const terminated = Supervisor.terminateChild(system, sup, "h");
    const idle = system.runUntilIdle();
    for (let n = 0; n < 5; n++) await flush();
    assert.deepEqual(log, ["start h", "stop h"]); // got the signal, is hanging in terminate
    clock.advance(999);
    for (let n = 0; n < 5; n++) await flush();
    assert.equal(system.isAlive(h!), true);
    clock.advance(1);
    await idle;
    await terminated;
    assert.equal(await exited, "killed");
    assert.deepEqual(await pids(system, sup), { h: undefined });
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("brutal_kill kills at once; a cooperative child exits with shutdown", async () => {
    const { system, clock } = setup();
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(
        system,
        [spec("k", log, { shutdown: "brutal_kill" }, { hang: true }), spec("c", log)],
        { clock },
      ),
    );
    const { k, c } = await pids(system, sup);
    const killed = system.whenExited(k!);
    const stopped = system.whenExited(c!);
    await settle(system, Supervisor.terminateChild(system, sup, "k"));
    await settle(system, Supervisor.terminateChild(system, sup, "c"));
    assert.equal(await killed, "killed");
    assert.equal(await stopped, "shutdown");
    assert.deepEqual(log, ["start k", "start c", "stop c"]);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });
});

describe("Supervisor: nesting and escalation", () => {
  it("a supervisor that gives up exits with shutdown; its parent restarts it, then gives up too", async () => {
    const { system, clock, reports, logger } = setup();
    const log: string[] = [];
    const inner = Supervisor.childSpec("inner", [spec("w", log)], {
      intensity: 0,
      clock,
      logger,
    });
    const outer = await settle(
      system,
      Supervisor.start(system, [spec("x", log), inner], { intensity: 1, clock, logger }),
    );
    const outerExit = system.whenExited(outer);
    const innerPid = (await pids(system, outer)).inner!;
    assert.deepEqual(
      (await settle(system, Supervisor.whichChildren(system, innerPid))).map((c) => c.id),
      ["w"],
    );
    await crash(system, (await pids(system, innerPid)).w);
    const innerPid2 = (await pids(system, outer)).inner!;
    assert.ok(innerPid2 !== innerPid && system.isAlive(innerPid2));
    assert.equal(system.isAlive(innerPid), false);
    await crash(system, (await pids(system, innerPid2)).w);
    assert.equal(await outerExit, "shutdown");
    assert.deepEqual(
      reports.map((r) => `${r.event} ${r.childId}`),
      ["give_up w", "restart inner", "give_up w", "give_up inner"],
    );
    assert.deepEqual(log.slice(-1), ["stop x"]);
    assert.deepEqual(system.processes(), []);
    assertNothingLeft(system);
  });

  it("the parent's shutdown reaches grandchildren, newest first", async () => {
    const { system } = setup();
    const log: string[] = [];
    const outer = await settle(
      system,
      Supervisor.start(system, [
        spec("x", log),
        Supervisor.childSpec("inner", [spec("y", log), spec("z", log)]),
      ]),
    );
    system.exit(outer, "shutdown");
    await system.runUntilIdle();
    assert.deepEqual(log, ["start x", "start y", "start z", "stop z", "stop y", "stop x"]);
    assertNothingLeft(system);
  });
});

describe("Supervisor: init failure during a restart", () => {
  it("counts as a failed restart and is retried within the intensity", async () => {
    const { system, clock, reports, logger } = setup();
    let failures = 0;
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("f", [], {}, { failInit: () => failures-- > 0 })], {
        clock,
        logger,
      }),
    );
    failures = 2;
    await crash(system, (await pids(system, sup)).f);
    assert.ok((await pids(system, sup)).f !== undefined);
    assert.deepEqual(reports.map((r) => r.event), [
      "restart",
      "restart_failed",
      "restart",
      "restart_failed",
      "restart",
    ]);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("gives up when the retries exhaust the intensity", async () => {
    const { system, clock, reports, logger } = setup();
    let failing = false;
    const log: string[] = [];
    const sup = await settle(
      system,
      Supervisor.start(system, [spec("a", log), spec("f", log, {}, { failInit: () => failing })], {
        clock,
        logger,
      }),
    );
    const exited = system.whenExited(sup);
    failing = true;
    await crash(system, (await pids(system, sup)).f);
    assert.equal(await exited, "shutdown");
    assert.deepEqual(reports.map((r) => r.event), [
      "restart",
      "restart_failed",
      "restart",
      "restart_failed",
      "restart",
      "restart_failed",
      "give_up",
    ]);
    assert.deepEqual(log.slice(-1), ["stop a"]);
    assertNothingLeft(system);
  });
});

describe("Supervisor: child management and bad input", () => {
  it("terminateChild, restartChild, deleteChild, startChild", async () => {
    const { system } = setup();
    const log: string[] = [];
    const sup = await settle(system, Supervisor.start(system, [spec("a", log)]));
    const a = (await pids(system, sup)).a!;
    await settle(system, Supervisor.terminateChild(system, sup, "a"));
    assert.equal(system.isAlive(a), false);
    assert.deepEqual(await pids(system, sup), { a: undefined });
    const a2 = await settle(system, Supervisor.restartChild(system, sup, "a"));
    assert.ok(a2 && system.isAlive(a2));
    const b = await settle(system, Supervisor.startChild(system, sup, spec("b", log)));
    assert.deepEqual(await pids(system, sup), { a: a2, b });
    await settle(system, Supervisor.terminateChild(system, sup, "a"));
    await settle(system, Supervisor.deleteChild(system, sup, "a"));
    assert.deepEqual(await pids(system, sup), { b });
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("bad input fails with named errors and leaves the tree unchanged", async () => {
    const { system } = setup();
    const log: string[] = [];
    const sup = await settle(system, Supervisor.start(system, [spec("a", log), spec("b", log)]));
    const tree = await pids(system, sup);
    const attempt = (p: Promise<unknown>) => settle(system, p).then(() => "resolved", (e) => e);

    const dup = await attempt(Supervisor.startChild(system, sup, spec("a", log)));
    assert.ok(dup instanceof DuplicateChildError && dup.childId === "a");
    for (
      const request of [
        () => Supervisor.terminateChild(system, sup, "nope"),
        () => Supervisor.restartChild(system, sup, "nope"),
        () => Supervisor.deleteChild(system, sup, "nope"),
      ]
    ) {
      const error = await attempt(request());
      assert.ok(error instanceof ChildNotFoundError && error.childId === "nope", String(error));
    }
    assert.ok(
      await attempt(Supervisor.restartChild(system, sup, "a")) instanceof ChildRunningError,
    );
    assert.ok(await attempt(Supervisor.deleteChild(system, sup, "a")) instanceof ChildRunningError);
    const failed = await attempt(
      Supervisor.startChild(system, sup, spec("c", log, {}, { failInit: () => true })),
    );
    assert.ok(failed instanceof ChildStartError && failed.childId === "c");
    assert.ok(
      await attempt(Supervisor.startChild(system, sup, spec("d", log, { shutdown: -1 }))) instanceof
        RangeError,
    );
    assert.ok(
      await attempt(
        Supervisor.startChild(system, sup, { id: "e", start: { server: {} } } as never),
      ) instanceof TypeError,
    );
    assert.ok(
      await attempt(
        Supervisor.startChild(system, sup, spec("f", log, { restart: "sometimes" as never })),
      ) instanceof TypeError,
    );
    assert.deepEqual(await pids(system, sup), tree);
    assert.equal(system.processes().length, 3);

    assert.ok(
      await attempt(Supervisor.start(system, [spec("x", log), spec("x", log)])) instanceof
        DuplicateChildError,
    );
    assert.ok(
      await attempt(Supervisor.start(system, [], { strategy: "one_for_none" as never })) instanceof
        TypeError,
    );
    assert.ok(await attempt(Supervisor.start(system, [], { intensity: -1 })) instanceof RangeError);
    assert.ok(
      await attempt(Supervisor.start(system, [], { intensity: 1.5 })) instanceof RangeError,
    );
    assert.ok(await attempt(Supervisor.start(system, [], { period: 0 })) instanceof RangeError);
    assert.equal(system.processes().length, 3);
    assert.deepEqual(log, ["start a", "start b"]);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });

  it("ignores EXIT notices from strangers and plain messages", async () => {
    const { system } = setup();
    const sup = await settle(system, Supervisor.start(system, [spec("a", [])]));
    const tree = await pids(system, sup);
    const stranger = await settle(system, system.start({ init: () => ok(null) }));
    system.send(sup, new ExitMessage(stranger, new Error("not yours")));
    system.send(sup, "hello");
    system.exit(stranger!, "kill");
    await system.runUntilIdle();
    assert.deepEqual(await pids(system, sup), tree);
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
    assertNothingLeft(system);
  });
});
