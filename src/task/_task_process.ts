/**
 * The process behind a task (internal): a GenServer whose `init` monitors
 * itself for the awaiter and defers the work to `handleContinue`, which runs
 * the function, hands its value over and stops `"normal"`. A function that
 * throws crashes the process with the error as its reason.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ExitReason } from "../exit_reason.ts";
import { type GenServer, ok, stop } from "../gen_server.ts";
import type { Pid, Ref } from "../pid.ts";
import type { System } from "../system.ts";
import type { Task } from "./task.ts";
import { TASK_SPAN } from "../telemetry/catalog/task_events.ts";
import { RefusedStart } from "../kernel/lifecycle/start_refusal.ts";

/**
 * Work a task runs, as its own process (`ctx` is the task's context).
 *
 * @example A task that reports its own pid
 * ```ts
 * import { System, Task } from "@beamlet/beamlet";
 * import type { TaskFn } from "@beamlet/beamlet/task";
 *
 * const whoAmI: TaskFn<string> = (ctx) => String(ctx.self);
 * const task = await Task.async(new System(), whoAmI);
 * console.log(await Task.await(task) === String(task.pid)); // true
 * ```
 */
export type TaskFn<T> = (ctx: Context) => T | Promise<T>;

/**
 * How a task ended: its value, or the reason it exited without one.
 *
 * @example Reading what `Task.yield` gives back
 * ```ts
 * import { formatReason, System, Task } from "@beamlet/beamlet";
 * import type { TaskResult } from "@beamlet/beamlet/task";
 *
 * const system = new System({ logger: null });
 * const task = await Task.async(system, (): number => {
 *   throw new Error("boom");
 * });
 * const result: TaskResult<number> | undefined = await Task.yield(task, 1000);
 * if (result && "exit" in result) console.log(formatReason(result.exit)); // "Error: boom"
 * ```
 */
export type TaskResult<T> = { readonly ok: T } | { readonly exit: ExitReason };

/** What the awaiter functions know of a task (not on the handle itself). */
export interface TaskState<T> {
  readonly system: System;
  readonly owner: Context | undefined;
  /** First of: the value, or the exit reason. */
  readonly result: Promise<TaskResult<T>>;
  /** The exit reason, once the process is gone. */
  readonly exited: Promise<ExitReason>;
  /** The result once known (synchronously). */
  settled: TaskResult<T> | undefined;
}

const states = new WeakMap<object, TaskState<unknown>>();

/** The state of a task handle; TypeError for anything that is not one. */
export function stateOf<T>(task: Task<T>, who: string): TaskState<T> {
  const state = typeof task === "object" && task !== null ? states.get(task) : undefined;
  if (!state) throw new TypeError(`${who}: expected a Task returned by Task.async or asyncNolink`);
  return state as TaskState<T>;
}

export function checkFn(fn: unknown, who: string): void {
  if (typeof fn !== "function") {
    throw new TypeError(`${who}: expected a function, got ${typeof fn}`);
  }
}

/** The argument of the task server: the work and where its outcome goes. */
export interface TaskArg {
  readonly fn: TaskFn<unknown>;
  readonly onStart: (ref: Ref) => void;
  readonly onValue: (value: unknown) => void;
  readonly onExit: (reason: ExitReason) => void;
}

const RUN = Symbol("run");

/** The GenServer a task runs as. */
export const taskServer: GenServer<TaskArg, TaskArg> = {
  init: (arg, ctx) => {
    // Monitor here, before the work can run, so no exit is ever missed.
    arg.onStart(ctx.system.monitor(ctx.self, (reason) => arg.onExit(reason)));
    return ok(arg, { continue: RUN });
  },
  handleContinue: async (_run, arg, ctx) => {
    // beamlet.task.start / stop / exception around the work.
    const value = await ctx.system.telemetry.span(TASK_SPAN, { pid: ctx.self }, () => arg.fn(ctx));
    arg.onValue(value);
    return stop("normal", arg);
  },
};

/** A plain task argument: runs `fn`, reports nowhere (fire-and-forget). */
export function fireAndForget(fn: TaskFn<unknown>): TaskArg {
  const nothing = () => {};
  return { fn, onStart: nothing, onValue: nothing, onExit: nothing };
}

/** Starts the task server with some `start` function (start, startLink, a supervisor). */
export type Starter = (server: GenServer<TaskArg, TaskArg>, arg: TaskArg) => Promise<Pid>;

/**
 * Spawns an awaitable task: the handle resolves once the process runs. A
 * start refused inside a process (the process table is full, ...) is handed
 * on as `ctx.start` returned it: the caller's to handle, or its crash if it
 * leaves it unhandled — never an unhandled rejection that ends the host.
 */
export function spawnTask<T>(
  system: System,
  owner: Context | undefined,
  start: Starter,
  fn: TaskFn<T>,
): Promise<Task<T>> {
  let ref: Ref | undefined;
  let settleResult!: (result: TaskResult<T>) => void;
  let settleExit!: (reason: ExitReason) => void;
  const state: TaskState<T> = {
    system,
    owner,
    result: new Promise((resolve) => settleResult = resolve),
    exited: new Promise((resolve) => settleExit = resolve),
    settled: undefined,
  };
  const settle = (result: TaskResult<T>) => {
    if (state.settled) return;
    state.settled = result;
    settleResult(result);
  };
  const arg: TaskArg = {
    fn,
    onStart: (monitor) => ref = monitor,
    onValue: (value) => settle({ ok: value as T }),
    onExit: (reason) => {
      settle({ exit: reason });
      settleExit(reason);
    },
  };
  let started: Promise<Pid>;
  try {
    started = start(taskServer, arg);
  } catch (error) {
    return Promise.reject(error); // as an async function would
  }
  if (started instanceof RefusedStart) return started as unknown as Promise<Task<T>>;
  return started.then((pid) => {
    const task: Task<T> = Object.freeze({ pid, ref: ref as Ref, owner: owner?.self });
    states.set(task, state as TaskState<unknown>);
    return task;
  });
}

/** Kills a task without taking its owner along (unlinks first). */
export function killTask(task: Task<unknown>, state: TaskState<unknown>, reason: ExitReason): void {
  state.owner?.unlink(task.pid);
  state.system.exit(task.pid, reason);
}
