/**
 * Tasks, as Elixir's `Task`: a process that runs one function and hands its
 * result to whoever awaits it.
 *
 * - `Task.start(owner, fn)`: fire-and-forget, not linked.
 * - `Task.startLink(ctx, fn)`: fire-and-forget, linked to the calling process.
 * - `Task.async(owner, fn)`: a {@linkcode Task} handle to await. Called with a
 *   process's `Context`, the task is linked to that process (a crash in the
 *   task kills it unless it traps exits, as in Elixir); called with the
 *   `System` (outside any process), there is nothing to link to.
 * - `Task.await(task, timeout)`: the value, or rejects with an
 *   {@linkcode ExitError} carrying the task's exit reason, or with a
 *   {@linkcode TaskTimeoutError}.
 * - `Task.yield(task, timeout)`: `{ ok }`, `{ exit }`, or `undefined` on
 *   timeout (the task keeps running).
 * - `Task.shutdown(task, timeout | "brutal_kill")`: stops it; returns a result
 *   that arrived meanwhile.
 * - `Task.asyncStream(owner, items, fn, options)`: see {@linkcode asyncStream}.
 *
 * Unlike Elixir, a handle may be awaited more than once (its result is a
 * settled Promise, not a message consumed from a mailbox).
 *
 * **On timeout, `Task.await` kills the task.** In Elixir, `await` exits the
 * caller and the linked task dies with it; a rejected Promise does not take
 * its caller down, so the task is killed to reach the same end state (no
 * orphan left running with nobody to read its result). Use `Task.yield` to
 * wait without that consequence.
 *
 * Timeouts run on the system's clock (`system.setTimer`), so a test system's
 * virtual clock drives them like every other timer. A timeout is a number of
 * ms in `0..MAX_TIMEOUT_MS` or `Infinity`; anything else is a `TypeError` or
 * `RangeError`.
 *
 * @example Fan out, then collect
 * ```ts
 * import { System, Task } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const tasks = await Promise.all(
 *   [1, 2, 3].map((n) => Task.async(system, async () => n * 10)),
 * );
 * console.log(await Promise.all(tasks.map((task) => Task.await(task)))); // [10, 20, 30]
 * ```
 *
 * @module
 */

import type { Context } from "../context.ts";
import { ExitError } from "../errors.ts";
import type { Pid, Ref } from "../pid.ts";
import {
  checkFn,
  fireAndForget,
  killTask,
  spawnTask,
  stateOf,
  type TaskFn,
  type TaskResult,
  taskServer,
} from "./_task_process.ts";
import { contextOf, systemOf, type TaskOwner } from "./_task_owner.ts";
import { asyncStream } from "./async_stream.ts";
import { TaskTimeoutError } from "./errors.ts";
import { checkTimeout } from "./_timeout.ts";
import { cpu } from "./cpu.ts";

export type { TaskFn, TaskResult } from "./_task_process.ts";
export type { TaskOwner } from "./_task_owner.ts";

/**
 * A handle on a running task, from `Task.async` or `TaskSupervisor.asyncNolink`:
 * await it with `Task.await`, `Task.yield` or `Task.shutdown`.
 *
 * @example
 * ```ts
 * import { System, Task } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const task: Task<number> = await Task.async(system, () => 42);
 * console.log(String(task.pid), await Task.await(task)); // "#PID<0.1.0>" 42
 * ```
 */
export interface Task<T> {
  /** The task process. */
  readonly pid: Pid;
  /** Identifies this task's result (the monitor its awaiter holds). */
  readonly ref: Ref;
  /** The process the task is linked to, if any (`Task.async` from a process). */
  readonly owner: Pid | undefined;
  /** Type-level only: the result type. */
  readonly __result?: T;
}

function start(owner: TaskOwner, fn: TaskFn<unknown>): Promise<Pid> {
  const system = systemOf(owner, "Task.start");
  checkFn(fn, "Task.start");
  const ctx = contextOf(owner);
  return ctx
    ? ctx.start(taskServer, fireAndForget(fn))
    : system.start(taskServer, fireAndForget(fn));
}

function startLink(ctx: Context, fn: TaskFn<unknown>): Promise<Pid> {
  if (contextOf(ctx) === undefined || typeof ctx?.startLink !== "function") {
    throw new TypeError(
      "Task.startLink: expected a process Context (a System has nothing to link to)",
    );
  }
  checkFn(fn, "Task.startLink");
  return ctx.startLink(taskServer, fireAndForget(fn));
}

function async<T>(owner: TaskOwner, fn: TaskFn<T>): Promise<Task<T>> {
  const system = systemOf(owner, "Task.async");
  checkFn(fn, "Task.async");
  const ctx = contextOf(owner);
  return spawnTask(
    system,
    ctx,
    (server, arg) => ctx ? ctx.startLink(server, arg) : system.start(server, arg),
    fn,
  );
}

function awaitTask<T>(task: Task<T>, timeout = 5000): Promise<T> {
  const state = stateOf(task, "Task.await");
  checkTimeout(timeout, "Task.await");
  return new Promise<T>((resolve, reject) => {
    let timer: Ref | undefined;
    if (timeout !== Infinity && !state.settled) {
      timer = state.system.setTimer(timeout, () => {
        if (state.settled) return;
        killTask(task, state, "kill");
        reject(new TaskTimeoutError(String(task.pid), timeout));
      });
    }
    state.result.then((result) => {
      if (timer !== undefined) state.system.cancelTimer(timer);
      if ("ok" in result) resolve(result.ok);
      else reject(new ExitError(String(task.pid), result.exit));
    });
  });
}

function yieldTask<T>(task: Task<T>, timeout = 5000): Promise<TaskResult<T> | undefined> {
  const state = stateOf(task, "Task.yield");
  checkTimeout(timeout, "Task.yield");
  if (state.settled || timeout === Infinity) return state.result;
  return new Promise((resolve) => {
    const timer = state.system.setTimer(timeout, () => resolve(undefined));
    state.result.then((result) => {
      state.system.cancelTimer(timer);
      resolve(result);
    });
  });
}

async function shutdown<T>(
  task: Task<T>,
  timeout: number | "brutal_kill" = 5000,
): Promise<TaskResult<T> | undefined> {
  const state = stateOf(task, "Task.shutdown");
  if (timeout !== "brutal_kill") checkTimeout(timeout, "Task.shutdown");
  if (state.settled || !state.system.isAlive(task.pid)) return await state.result;
  killTask(task, state, timeout === "brutal_kill" ? "kill" : "shutdown");
  let timer: Ref | undefined;
  if (timeout !== "brutal_kill" && timeout !== Infinity) {
    timer = state.system.setTimer(timeout, () => state.system.exit(task.pid, "kill"));
  }
  const reason = await state.exited;
  if (timer !== undefined) state.system.cancelTimer(timer);
  const result = await state.result;
  if ("ok" in result) return result;
  return reason === "shutdown" || reason === "killed" ? undefined : result;
}

/**
 * Elixir's `Task`, with TypeScript idioms: see the module doc.
 *
 * @example Await, yield, shut down
 * ```ts
 * import { System, Task } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const slow = await Task.async(system, () => new Promise((r) => setTimeout(() => r("late"), 50)));
 * console.log(await Task.yield(slow, 10)); // undefined: still running
 * console.log(await Task.yield(slow, 1000)); // { ok: "late" }
 *
 * const stuck = await Task.async(system, () => new Promise(() => {}));
 * console.log(await Task.shutdown(stuck, "brutal_kill")); // undefined
 * ```
 */
export const Task = {
  /**
   * Starts a fire-and-forget task (not linked): resolves with its pid.
   *
   * @example
   * ```ts
   * import { System, Task } from "@beamlet/beamlet";
   *
   * const system = new System();
   * await Task.start(system, () => console.log("in the background"));
   * ```
   */
  start,
  /**
   * Starts a fire-and-forget task linked to the calling process.
   *
   * @example
   * ```ts
   * import { type Context, ok, Task } from "@beamlet/beamlet";
   *
   * const init = async (_arg: undefined, ctx: Context) => {
   *   await Task.startLink(ctx, () => console.log("dies with its parent"));
   *   return ok(null);
   * };
   * ```
   */
  startLink,
  /**
   * Starts a task to await (linked to the calling process when given a Context).
   *
   * @example
   * ```ts
   * import { System, Task } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const task = await Task.async(system, async () => 1 + 1);
   * console.log(await Task.await(task)); // 2
   * ```
   */
  async,
  /**
   * Runs a function defined with `defineTask` on another scheduler and
   * resolves with its result: CPU-heavy work that never delays the caller's
   * timers (`SystemOptions.schedulers`). See {@linkcode cpu}.
   *
   * @example
   * ```ts
   * import { System, Task } from "@beamlet/beamlet";
   * import { defineTask } from "@beamlet/beamlet/schedulers";
   *
   * const square = defineTask("square", (n: number) => n * n);
   * const system = new System();
   * console.log(await Task.cpu(system, square, 12)); // 144
   * ```
   */
  cpu,
  /**
   * The task's value; rejects with {@linkcode ExitError} if it exited without
   * one, or {@linkcode TaskTimeoutError} after `timeout` ms (default 5000,
   * `Infinity` waits forever) — the task is then killed.
   *
   * @example
   * ```ts
   * import { ExitError, System, Task } from "@beamlet/beamlet";
   *
   * const system = new System({ logger: null });
   * const task = await Task.async(system, () => {
   *   throw new Error("boom");
   * });
   * await Task.await(task).catch((error) => {
   *   if (error instanceof ExitError) console.log(error.reason); // Error: boom
   * });
   * ```
   */
  await: awaitTask,
  /**
   * `{ ok: value }`, `{ exit: reason }`, or `undefined` if neither came within
   * `timeout` ms (default 5000): the task keeps running, yield again later.
   *
   * @example
   * ```ts
   * import { System, Task } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const task = await Task.async(system, () => "done");
   * const result = await Task.yield(task, 100);
   * if (result && "ok" in result) console.log(result.ok); // "done"
   * ```
   */
  yield: yieldTask,
  /**
   * Stops the task: an exit signal `"shutdown"`, then `"kill"` after `timeout`
   * ms (default 5000); `"brutal_kill"` kills at once. Resolves with `{ ok }` if
   * its result arrived first, `{ exit }` if it had exited otherwise, and
   * `undefined` if it was shut down. A linked owner is unlinked first.
   *
   * @example
   * ```ts
   * import { System, Task } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const task = await Task.async(system, () => new Promise(() => {}));
   * console.log(await Task.shutdown(task, 100)); // undefined
   * ```
   */
  shutdown,
  /**
   * Runs `fn` over every item, each in its own task, with bounded
   * concurrency: see {@linkcode asyncStream}.
   *
   * @example
   * ```ts
   * import { System, Task } from "@beamlet/beamlet";
   *
   * const system = new System();
   * for await (const result of Task.asyncStream(system, [1, 2, 3], (n) => n * 2)) {
   *   console.log(result); // { ok: 2 }, { ok: 4 }, { ok: 6 }
   * }
   * ```
   */
  asyncStream,
};
