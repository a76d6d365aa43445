/**
 * A start refused inside a process (`src/kernel/lifecycle/start_refusal.ts`):
 * with a small process table, a process whose `ctx.start` fails is told
 * through the Promise it got, or by its own crash when it left that Promise
 * unhandled; the host never sees an unhandled rejection (each runtime's test
 * runner fails on one, so running this file on Deno, Bun and Node is the
 * host check).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AlreadyStartedError, SystemLimitError } from "../../../src/errors.ts";
import { type GenServer, noreply, ok, reply } from "../../../src/gen_server.ts";
import type { Context } from "../../../src/context.ts";
import type { Pid } from "../../../src/pid.ts";
import { System } from "../../../src/system.ts";
import type { Report } from "../../../src/logger.ts";
import { DynamicSupervisor } from "../../../src/supervisor/dynamic_supervisor.ts";
import { ChildStartError } from "../../../src/supervisor/errors.ts";
import { manual, sleep, startManual } from "../../_helpers.ts";
import { Task } from "../../../src/task/task.ts";
import { stop } from "../../../src/gen_server.ts";

const idle: GenServer<null, undefined> = { init: () => ok(null) };

type Ask = (ctx: Context) => unknown;

/** Runs whatever function it is cast or called with, in its own process. */
const runner: GenServer<null, undefined, Ask, unknown, Ask> = {
  init: () => ok(null),
  handleCast: (f, state, ctx) => {
    f(ctx);
    return noreply(state);
  },
  handleCall: async (f, _from, state, ctx) => reply(await f(ctx), state),
};

/** Fills the table: `count` more idle processes. */
async function fill(system: System, count: number): Promise<Pid[]> {
  const pids: Pid[] = [];
  for (let i = 0; i < count; i++) pids.push(await startManual(system, idle));
  return pids;
}

const isProcessLimit = (e: unknown) =>
  e instanceof SystemLimitError && e.limit === "processes" && e.code === "system_limit";

/** `caller` awaits `start` in a call: `"started"`, `"system_limit"`, or what else it threw. */
function startIn(
  system: System,
  caller: Pid,
  start: (ctx: Context) => unknown,
): Promise<unknown> {
  return system.call(caller, async (ctx: Context) => {
    try {
      await start(ctx);
      return "started";
    } catch (error) {
      return isProcessLimit(error) ? "system_limit" : error;
    }
  });
}

describe("a start refused inside a process", () => {
  it("un-awaited ctx.start past maxProcesses: the spawner crashes with SystemLimitError, reported once", async () => {
    const { system, reports } = manual({ maxProcesses: 8 });
    const spawner = await startManual(system, runner);
    system.cast(spawner, (ctx: Context) => {
      for (let i = 0; i < 10; i++) ctx.start(idle, undefined); // fire and forget
    });
    await system.runUntilIdle();
    assert.equal(system.isAlive(spawner), false);
    assert.equal(reports.length, 1, "one crash report");
    assert.equal(String(reports[0].pid), String(spawner));
    assert.ok(isProcessLimit(reports[0].reason), String(reports[0].reason));
    assert.equal(system.processes().length, 7, "the seven started children live on");
    assert.equal(system.schedulerStats().inFlight, 0);
    system.shutdown();
  });

  it("awaited ctx.start past maxProcesses: the caller catches SystemLimitError and lives on", async () => {
    const { system, reports } = manual({ maxProcesses: 3 });
    const caller = await startManual(system, runner);
    await fill(system, 2);
    const answer = startIn(system, caller, (ctx) => ctx.start(idle, undefined));
    await system.runUntilIdle();
    assert.equal(await answer, "system_limit");
    assert.equal(system.isAlive(caller), true);
    assert.deepEqual(reports, []);
    system.shutdown();
  });

  it("a refusal handled by catch, then, finally or Promise.allSettled is the caller's: no crash", async () => {
    const { system, reports } = manual({ maxProcesses: 2 });
    const caller = await startManual(system, runner);
    await fill(system, 1);
    const seen: string[] = [];
    system.cast(caller, (ctx: Context) => {
      ctx.start(idle, undefined).catch((e: Error) => seen.push(`catch ${e.name}`));
      ctx.startLink(idle, undefined).then(() => {}, (e: Error) => seen.push(`then ${e.name}`));
      ctx.start(idle, undefined).finally(() => seen.push("finally")).catch(() => {});
      Promise.allSettled([ctx.start(idle, undefined)]).then(([r]) => seen.push(r.status));
    });
    await system.runUntilIdle();
    assert.deepEqual(seen.sort(), [
      "catch SystemLimitError",
      "finally",
      "rejected",
      "then SystemLimitError",
    ]);
    assert.equal(system.isAlive(caller), true);
    assert.deepEqual(reports, []);
    system.shutdown();
  });

  it("a refusal awaited after other awaits, within the host turn, is still the caller's", async () => {
    const { system, reports } = manual({ maxProcesses: 1 });
    const caller = await startManual(system, runner);
    const answer = system.call(caller, async (ctx: Context) => {
      const refused = ctx.start(idle, undefined);
      await Promise.resolve();
      await null;
      return await refused.then(() => "started", (e: Error) => e.name);
    });
    await system.runUntilIdle();
    assert.equal(await answer, "SystemLimitError");
    assert.deepEqual(reports, []);
    system.shutdown();
  });

  it("an async handler that leaves a refusal unhandled and keeps awaiting crashes; its later code does nothing", async () => {
    const { system, reports } = manual({ maxProcesses: 2 });
    const caller = await startManual(system, runner);
    await fill(system, 1);
    const after: string[] = [];
    system.cast(caller, async (ctx: Context) => {
      ctx.startLink(idle, undefined);
      await sleep(20); // a long wait: the refusal is checked first
      after.push(ctx.cast(ctx.self, () => {}));
    });
    await system.runUntilIdle();
    assert.equal(system.isAlive(caller), false);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].callback, "handleCast", "the callback that raised");
    assert.ok(isProcessLimit(reports[0].reason));
    await sleep(30);
    assert.deepEqual(after, ["dropped"], "the dead process's later cast went nowhere");
    assert.equal(system.schedulerStats().inFlight, 0);
    system.shutdown();
  });

  it("other refusals (bad options, a taken name) follow the same rule", async () => {
    const { system, reports } = manual();
    const caller = await startManual(system, runner);
    await startManual(system, idle, undefined, { name: "taken" });
    const caught = system.call(caller, async (ctx: Context) => {
      const errors: string[] = [];
      for (
        const options of [{ name: "taken" }, { mailbox: { bound: 0 } }, { priority: "urgent" }]
      ) {
        await ctx.start(idle, undefined, options as never).catch((e: Error) => errors.push(e.name));
      }
      return errors;
    });
    await system.runUntilIdle();
    assert.deepEqual(await caught, ["AlreadyStartedError", "RangeError", "TypeError"]);
    system.cast(caller, (ctx: Context) => void ctx.start(idle, undefined, { name: "taken" }));
    await system.runUntilIdle();
    assert.equal(system.isAlive(caller), false);
    assert.ok(reports[0].reason instanceof AlreadyStartedError);
    system.shutdown();
  });

  it("system.start from outside rejects with the caller's own SystemLimitError", async () => {
    const { system, reports } = manual({ maxProcesses: 1 });
    await fill(system, 1);
    await assert.rejects(system.start(idle), isProcessLimit);
    assert.deepEqual(reports, []);
    system.shutdown();
  });

  it("a dynamic supervisor whose child start hits the limit: startChild rejects, the supervisor lives on", async () => {
    const { system, reports } = manual({ maxProcesses: 3 });
    const started = DynamicSupervisor.start(system);
    await system.runUntilIdle();
    const sup = await started;
    const children: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      children.push(DynamicSupervisor.startChild(system, sup, { start: { server: idle } }));
    }
    const settled = Promise.allSettled(children);
    await system.runUntilIdle();
    const outcomes = await settled;
    assert.deepEqual(outcomes.map((o) => o.status), ["fulfilled", "fulfilled", "rejected"]);
    const error = (outcomes[2] as PromiseRejectedResult).reason;
    assert.ok(error instanceof ChildStartError, String(error));
    assert.ok(isProcessLimit(error.reason), String(error.reason));
    assert.equal(system.isAlive(sup), true);
    assert.deepEqual(reports, []);
    system.shutdown();
  });

  it("with automatic scheduling (the host's own event loop), an un-awaited refusal crashes only the spawner", async () => {
    const crashes: unknown[] = [];
    const system = new System({
      maxProcesses: 8,
      logger: { report: (r: Report) => void (r.kind === "crash" && crashes.push(r.reason)) },
    });
    const spawner = await system.start(runner);
    const exited = system.whenExited(spawner);
    system.cast(spawner, (ctx: Context) => {
      for (let i = 0; i < 100; i++) ctx.start(idle, undefined);
    });
    const reason = await exited;
    assert.ok(isProcessLimit(reason), String(reason));
    assert.equal(crashes.length, 1);
    await system.runUntilIdle();
    assert.equal(system.processes().length, 7);
    system.shutdown();
  });

  it("un-awaited ctx.start whose child's init fails: the host lives, the caller lives (OTP's start returns an error)", async () => {
    const { system, reports } = manual();
    const caller = await startManual(system, runner);
    const failing: GenServer<null, undefined> = {
      init: () => {
        throw new Error("init failed");
      },
    };
    const refusing: GenServer<null, undefined> = { init: () => stop("no", null) };
    system.cast(caller, (ctx: Context) => {
      void ctx.start(failing, undefined); // fire and forget: its rejection has no holder
      void ctx.startLink(refusing, undefined);
    });
    await system.runUntilIdle();
    await sleep(5); // a rejection nobody handled would surface by now
    assert.equal(system.isAlive(caller), true);
    // The failed init is reported as the child's crash; the deliberate stop is not.
    assert.equal(reports.length, 1);
    assert.notEqual(String(reports[0].pid), String(caller));
    // A caller that awaits still gets the error.
    const answer = system.call(caller, async (ctx: Context) => {
      try {
        await ctx.start(refusing, undefined);
        return "started";
      } catch (error) {
        return error instanceof Error ? "rejected" : error;
      }
    });
    await system.runUntilIdle();
    assert.equal(await answer, "rejected");
    system.shutdown();
  });

  it("un-awaited Task.async past maxProcesses: the caller crashes with SystemLimitError, the host lives", async () => {
    const { system, reports } = manual({ maxProcesses: 2 });
    const caller = await startManual(system, runner);
    await fill(system, 1);
    system.cast(caller, (ctx: Context) => {
      void Task.async(ctx, () => 1); // fire and forget
    });
    await system.runUntilIdle();
    assert.equal(system.isAlive(caller), false);
    assert.equal(reports.length, 1);
    assert.ok(isProcessLimit(reports[0].reason), String(reports[0].reason));
    system.shutdown();
  });

  it("awaited Task.async past maxProcesses: the caller catches SystemLimitError", async () => {
    const { system, reports } = manual({ maxProcesses: 2 });
    const caller = await startManual(system, runner);
    await fill(system, 1);
    const answer = startIn(system, caller, (ctx) => Task.async(ctx, () => 1));
    await system.runUntilIdle();
    assert.equal(await answer, "system_limit");
    assert.equal(system.isAlive(caller), true);
    assert.deepEqual(reports, []);
    system.shutdown();
  });
});
