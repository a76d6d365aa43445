/**
 * A supervisor of tasks, as Elixir's `Task.Supervisor`: a process that
 * starts tasks as its (temporary) children, so a crash in one never takes
 * down the supervisor or whoever started it, and stopping the supervisor
 * stops its tasks.
 *
 * @module
 */

import { ExitMessage, type GenServer, noreply, ok, reply, stop } from "../gen_server.ts";
import type { Pid } from "../pid.ts";
import type { System, Target } from "../system.ts";
import {
  checkFn,
  fireAndForget,
  spawnTask,
  type TaskArg,
  type TaskFn,
  taskServer,
} from "./_task_process.ts";
import { systemOf, type TaskOwner } from "./_task_owner.ts";
import type { Task } from "./task.ts";

/**
 * Options of `TaskSupervisor.start`.
 *
 * @example A named supervisor whose tasks get a second to stop
 * ```ts
 * import { System, TaskSupervisor } from "@beamlet/beamlet";
 * import type { TaskSupervisorOptions } from "@beamlet/beamlet/task";
 *
 * const options: TaskSupervisorOptions = { name: "mailers", shutdown: 1000 };
 * const system = new System();
 * await TaskSupervisor.start(system, options);
 * await TaskSupervisor.startChild(system, "mailers", () => console.log("sending"));
 * ```
 */
export interface TaskSupervisorOptions {
  /** Register the supervisor under this name. */
  name?: string;
  /** Ms a task gets to stop (signal `"shutdown"`) before it is killed when the supervisor stops (default 5000). */
  shutdown?: number;
}

interface SupervisorState {
  /** Its tasks, by pid (pids are values: keyed by their string form). */
  readonly children: Map<string, Pid>;
  readonly shutdown: number;
}

type Request = { readonly start: TaskArg } | "children";

const supervisorServer: GenServer<SupervisorState, number, Request> = {
  init: (shutdown, ctx) => {
    ctx.trapExit(true);
    return ok({ children: new Map<string, Pid>(), shutdown });
  },
  handleCall: async (request, _from, state, ctx) => {
    if (request === "children") return reply([...state.children.values()], state);
    try {
      const pid = await ctx.startLink(taskServer, request.start);
      state.children.set(String(pid), pid);
      return reply({ pid }, state);
    } catch (error) {
      return reply({ error }, state);
    }
  },
  handleInfo: (message, state) => {
    if (!(message instanceof ExitMessage)) return noreply(state);
    if (message.from !== undefined && state.children.delete(String(message.from))) {
      return noreply(state);
    }
    // An exit signal from elsewhere (a parent, `system.exit`): stop, as a supervisor does.
    return message.reason === "normal" ? noreply(state) : stop(message.reason, state);
  },
  terminate: async (_reason, state, ctx) => {
    const exits = [...state.children.values()].map((pid) => {
      const exited = ctx.system.whenExited(pid);
      ctx.exit(pid, "shutdown");
      return exited;
    });
    const timer = Number.isFinite(state.shutdown)
      ? setTimeout(() => state.children.forEach((pid) => ctx.exit(pid, "kill")), state.shutdown)
      : undefined;
    await Promise.all(exits);
    clearTimeout(timer);
  },
};

async function startVia(caller: TaskOwner, supervisor: Target, arg: TaskArg): Promise<Pid> {
  const answer = await caller.call<{ pid: Pid } | { error: unknown }>(supervisor, { start: arg });
  if ("error" in answer) throw answer.error;
  return answer.pid;
}

function start(system: System, options: TaskSupervisorOptions = {}): Promise<Pid> {
  const shutdown = options.shutdown ?? 5000;
  if (typeof shutdown !== "number" || !(shutdown >= 0)) {
    throw new RangeError(
      `TaskSupervisor.start: shutdown must be ms >= 0 or Infinity, got ${shutdown}`,
    );
  }
  systemOf(system, "TaskSupervisor.start");
  return system.start(supervisorServer, shutdown, options.name ? { name: options.name } : {});
}

function startChild(caller: TaskOwner, supervisor: Target, fn: TaskFn<unknown>): Promise<Pid> {
  systemOf(caller, "TaskSupervisor.startChild");
  checkFn(fn, "TaskSupervisor.startChild");
  return startVia(caller, supervisor, fireAndForget(fn));
}

function asyncNolink<T>(caller: TaskOwner, supervisor: Target, fn: TaskFn<T>): Promise<Task<T>> {
  const system = systemOf(caller, "TaskSupervisor.asyncNolink");
  checkFn(fn, "TaskSupervisor.asyncNolink");
  // The caller is not linked: its handle learns the outcome through a monitor.
  return spawnTask(system, undefined, (_server, arg) => startVia(caller, supervisor, arg), fn);
}

function children(caller: TaskOwner, supervisor: Target): Promise<Pid[]> {
  systemOf(caller, "TaskSupervisor.children");
  return caller.call<Pid[]>(supervisor, "children");
}

/**
 * Elixir's `Task.Supervisor`: start tasks under a supervising process.
 * Children are temporary (never restarted); a crashing task logs its crash
 * report and is gone, the supervisor and the caller live on. Stopping the
 * supervisor sends its tasks `"shutdown"`, then kills those still alive after
 * its `shutdown` ms.
 *
 * @example Tasks that may crash without harm
 * ```ts
 * import { System, Task, TaskSupervisor } from "@beamlet/beamlet";
 *
 * const system = new System({ logger: null });
 * const sup = await TaskSupervisor.start(system, { name: "tasks" });
 * await TaskSupervisor.startChild(system, sup, () => console.log("background work"));
 * const risky = await TaskSupervisor.asyncNolink(system, sup, () => {
 *   throw new Error("boom");
 * });
 * console.log(await Task.yield(risky, 1000)); // { exit: Error: boom }
 * console.log(system.isAlive(sup)); // true
 * ```
 */
export const TaskSupervisor = {
  /**
   * Starts a task supervisor: resolves with its pid.
   *
   * @example
   * ```ts
   * import { System, TaskSupervisor } from "@beamlet/beamlet";
   *
   * const sup = await TaskSupervisor.start(new System(), { shutdown: 1000 });
   * ```
   */
  start,
  /**
   * Starts a fire-and-forget task under `supervisor`: resolves with its pid.
   *
   * @example
   * ```ts
   * import { System, TaskSupervisor } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await TaskSupervisor.start(system);
   * await TaskSupervisor.startChild(system, sup, async () => await Promise.resolve("sent"));
   * ```
   */
  startChild,
  /**
   * Starts a task under `supervisor`, not linked to the caller: await it with
   * `Task.await` / `Task.yield`; its crash only rejects that await.
   *
   * @example
   * ```ts
   * import { System, Task, TaskSupervisor } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await TaskSupervisor.start(system);
   * const task = await TaskSupervisor.asyncNolink(system, sup, () => 6 * 7);
   * console.log(await Task.await(task)); // 42
   * ```
   */
  asyncNolink,
  /**
   * The pids of the supervisor's live tasks.
   *
   * @example
   * ```ts
   * import { System, TaskSupervisor } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await TaskSupervisor.start(system);
   * console.log(await TaskSupervisor.children(system, sup)); // []
   * ```
   */
  children,
};
