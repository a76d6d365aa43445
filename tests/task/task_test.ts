import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExitError } from "../../src/errors.ts";
import { noreply, ok } from "../../src/gen_server.ts";
import type { Context } from "../../src/context.ts";
import { Task } from "../../src/task/task.ts";
import { TaskTimeoutError } from "../../src/task/errors.ts";
import { collecting, deferred, sleep } from "../_helpers.ts";

const never = () => new Promise<never>(() => {});

describe("Task.async / Task.await", () => {
  it("resolves with the function's value, sync or async", async () => {
    const { system } = collecting();
    const a = await Task.async(system, () => 1);
    const b = await Task.async(system, async () => {
      await sleep(5);
      return "two";
    });
    assert.equal(await Task.await(a), 1);
    assert.equal(await Task.await(b), "two");
    await sleep(0);
    assert.deepEqual(system.processes(), []);
  });

  it("gives the task its own context", async () => {
    const { system } = collecting();
    const task = await Task.async(system, (ctx) => ctx.self);
    assert.equal(await Task.await(task), task.pid);
  });

  it("rejects with an ExitError carrying the crash reason", async () => {
    const { system, reports } = collecting();
    const boom = new Error("boom");
    const task = await Task.async(system, () => {
      throw boom;
    });
    const error = await Task.await(task).catch((e) => e);
    assert.ok(error instanceof ExitError);
    assert.equal(error.reason, boom);
    assert.equal(error.cause, boom);
    assert.equal(reports.length, 1);
  });

  it("rejects with TaskTimeoutError after the timeout and kills the task", async () => {
    const { system } = collecting();
    const task = await Task.async(system, never);
    const error = await Task.await(task, 10).catch((e) => e);
    assert.ok(error instanceof TaskTimeoutError);
    assert.equal(error.timeout, 10);
    assert.equal(error.target, String(task.pid));
    assert.equal(await system.whenExited(task.pid), "noproc");
  });

  it("rejects bad arguments", async () => {
    const { system } = collecting();
    assert.throws(() => Task.async(system, 1 as never), TypeError);
    assert.throws(() => Task.async({} as never, () => 1), TypeError);
    assert.throws(() => Task.await({} as never), TypeError);
    const task = await Task.async(system, () => 1);
    assert.throws(() => Task.await(task, -1), RangeError);
  });

  it("links to the calling process: a crash reaches it", async () => {
    const { system } = collecting();
    const parent = await system.start({
      init: () => ok(null),
      handleCast: async (_msg: unknown, state: null, ctx: Context) => {
        await Task.async(ctx, () => {
          throw new Error("child crash");
        });
        return noreply(state);
      },
    });
    system.cast(parent, "go");
    const reason = await system.whenExited(parent);
    assert.ok(reason instanceof Error);
    assert.equal(reason.message, "child crash");
  });
});

describe("Task.yield", () => {
  it("returns undefined on timeout and the task keeps running", async () => {
    const { system } = collecting();
    // The task waits for the test, not for a time: however slow the machine, it is late.
    const late = deferred();
    const task = await Task.async(system, async () => {
      await late.promise;
      return "late";
    });
    assert.equal(await Task.yield(task, 5), undefined);
    assert.ok(system.isAlive(task.pid));
    late.resolve();
    assert.deepEqual(await Task.yield(task, 60_000), { ok: "late" });
  });

  it("returns { exit: reason } for a crashed task", async () => {
    const { system } = collecting();
    const task = await Task.async(system, () => {
      throw new Error("bad");
    });
    const result = await Task.yield(task, 1000);
    assert.ok(result && "exit" in result && result.exit instanceof Error);
  });
});

describe("Task.shutdown", () => {
  it("stops a running task and returns undefined", async () => {
    const { system } = collecting();
    const task = await Task.async(system, never);
    assert.equal(await Task.shutdown(task, 50), undefined);
    assert.equal(system.isAlive(task.pid), false);
    const brutal = await Task.async(system, never);
    assert.equal(await Task.shutdown(brutal, "brutal_kill"), undefined);
    assert.equal(system.isAlive(brutal.pid), false);
  });

  it("returns a result that arrived before", async () => {
    const { system } = collecting();
    const task = await Task.async(system, () => 7);
    await system.whenExited(task.pid); // done, its result delivered: not a matter of time
    assert.deepEqual(await Task.shutdown(task), { ok: 7 });
  });

  it("kills a task that traps exits after the timeout", async () => {
    const { system } = collecting();
    const task = await Task.async(system, (ctx) => {
      ctx.trapExit(true);
      return never();
    });
    assert.equal(await Task.shutdown(task, 10), undefined);
    assert.equal(system.isAlive(task.pid), false);
  });

  it("unlinks a linked owner first, so it survives", async () => {
    const { system } = collecting();
    let task: Task<never> | undefined;
    const parent = await system.start({
      init: async (_arg: undefined, ctx: Context) => {
        task = await Task.async(ctx, never);
        return ok(null);
      },
    });
    assert.equal(await Task.shutdown(task!, "brutal_kill"), undefined);
    await sleep(5);
    assert.ok(system.isAlive(parent));
  });
});

describe("Task.start / Task.startLink", () => {
  it("runs a fire-and-forget task", async () => {
    const { system } = collecting();
    let ran = false;
    const pid = await Task.start(system, () => {
      ran = true;
    });
    assert.equal(await system.whenExited(pid), "normal");
    assert.ok(ran);
  });

  it("startLink needs a context and links to it", async () => {
    const { system } = collecting();
    assert.throws(() => Task.startLink(system as never, () => {}), TypeError);
    const parent = await system.start({
      init: async (_arg: undefined, ctx: Context) => {
        await Task.startLink(ctx, async () => {
          await sleep(5);
          throw new Error("linked crash");
        });
        return ok(null);
      },
    });
    const reason = await system.whenExited(parent);
    assert.ok(reason instanceof Error);
  });
});
