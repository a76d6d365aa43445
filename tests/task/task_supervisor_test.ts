import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExitError } from "../../src/errors.ts";
import { ok, reply } from "../../src/gen_server.ts";
import type { Context } from "../../src/context.ts";
import { Task } from "../../src/task/task.ts";
import { TaskSupervisor } from "../../src/task/task_supervisor.ts";
import { collecting, sleep } from "../_helpers.ts";

describe("TaskSupervisor", () => {
  it("asyncNolink: the result is awaitable", async () => {
    const { system } = collecting();
    const sup = await TaskSupervisor.start(system);
    const task = await TaskSupervisor.asyncNolink(system, sup, () => 42);
    assert.equal(await Task.await(task), 42);
  });

  it("asyncNolink: a crash reaches neither the caller process nor the supervisor", async () => {
    const { system, reports } = collecting();
    const sup = await TaskSupervisor.start(system);
    const caller = await system.start({
      init: () => ok(null),
      handleCall: async (_request: unknown, _from: unknown, state: null, ctx: Context) => {
        const task = await TaskSupervisor.asyncNolink(ctx, sup, () => {
          throw new Error("boom");
        });
        const error = await Task.await(task).catch((e) => e);
        return reply(error, state);
      },
    });
    const error = await system.call(caller, "go");
    assert.ok(error instanceof ExitError);
    assert.equal((error.reason as Error).message, "boom");
    await sleep(5);
    assert.ok(system.isAlive(caller));
    assert.ok(system.isAlive(sup));
    assert.equal(reports.length, 1);
    assert.deepEqual(await TaskSupervisor.children(system, sup), []);
  });

  it("startChild: a supervised fire-and-forget task", async () => {
    const { system } = collecting();
    const sup = await TaskSupervisor.start(system, { name: "tasks" });
    let release!: () => void;
    const pid = await TaskSupervisor.startChild(
      system,
      "tasks",
      () => new Promise<void>((resolve) => release = resolve),
    );
    assert.deepEqual(await TaskSupervisor.children(system, sup), [pid]);
    release();
    assert.equal(await system.whenExited(pid), "normal");
    const crashing = await TaskSupervisor.startChild(system, sup, async () => {
      await sleep(5);
      throw new Error("x");
    });
    assert.ok((await system.whenExited(crashing)) instanceof Error);
    await sleep(5);
    assert.ok(system.isAlive(sup));
    assert.deepEqual(await TaskSupervisor.children(system, sup), []);
  });

  it("stopping the supervisor stops its tasks (killing those that trap exits)", async () => {
    const { system } = collecting();
    const sup = await TaskSupervisor.start(system, { shutdown: 10 });
    const plain = await TaskSupervisor.startChild(system, sup, () => new Promise(() => {}));
    const trapping = await TaskSupervisor.startChild(system, sup, (ctx) => {
      ctx.trapExit(true);
      return new Promise(() => {});
    });
    await system.stop(sup);
    assert.equal(system.isAlive(plain), false);
    assert.equal(system.isAlive(trapping), false);
    assert.deepEqual(system.processes(), []);
  });

  it("rejects bad arguments", async () => {
    const { system } = collecting();
    const sup = await TaskSupervisor.start(system);
    assert.throws(() => TaskSupervisor.startChild(system, sup, null as never), TypeError);
    assert.throws(() => TaskSupervisor.start(system, { shutdown: -1 }), RangeError);
  });
});
