/**
 * Behaviours and tasks found by name: what lets a process start on another
 * scheduler (`SystemOptions.schedulers`), where the object of functions it
 * was defined with cannot go. Every scheduler imports the same modules
 * (`SystemOptions.modules`); each `defineBehaviour(name, …)` /
 * `defineTask(name, …)` there fills that scheduler's registry, and a start
 * placed elsewhere names the behaviour instead of sending it. The same
 * mechanism will start a process on another node.
 *
 * @module
 */

import type { GenServer } from "../gen_server.ts";

const behaviours = new Map<string, object>();
const names = new WeakMap<object, string>();
const tasks = new Map<string, (...args: never[]) => unknown>();

/** What a behaviour or task name may be: 1 to 200 characters, no control characters. */
const NAME = /^[^\p{Cc}]{1,200}$/u;

function checkName(what: string, name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(`${what}: a name must be a string of 1 to 200 printable characters`);
  }
  return name;
}

/**
 * Registers a GenServer under `name` in this scheduler and returns it, so
 * that `start(server, arg, { placement })` can start it on any scheduler
 * that loaded the same module. Defining the same name twice with another
 * object is a TypeError (two modules disagree about what the name means).
 *
 * @example A counter every scheduler knows
 * ```ts
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import { defineBehaviour } from "@beamlet/beamlet/schedulers";
 *
 * export const counter = defineBehaviour("counter", {
 *   init: (n: number) => ok(n),
 *   handleCall: (_r: "get", _f, n: number) => reply(n, n),
 * });
 * const system = new System();
 * const pid = await system.start(counter, 1, { placement: "round-robin" });
 * console.log(await system.call(pid, "get")); // 1
 * ```
 */
export function defineBehaviour<S, A, Req = unknown, Rep = unknown, C = unknown, I = unknown>(
  name: string,
  server: GenServer<S, A, Req, Rep, C, I>,
): GenServer<S, A, Req, Rep, C, I> {
  checkName("defineBehaviour", name);
  if (typeof server !== "object" || server === null || typeof readInit(server) !== "function") {
    throw new TypeError(
      "defineBehaviour: server must be an object with an init(arg, ctx) function",
    );
  }
  const known = behaviours.get(name);
  if (known !== undefined && known !== server) {
    throw new TypeError(
      `defineBehaviour: ${JSON.stringify(name)} is already defined as another behaviour`,
    );
  }
  behaviours.set(name, server);
  names.set(server, name);
  return server;
}

/**
 * Registers a function under `name` in this scheduler and returns a handle
 * for `Task.cpu`, which runs it on another scheduler (a module every
 * scheduler loads must define it). Its arguments and result cross
 * schedulers, so they must be plain data.
 *
 * @example A CPU-heavy function
 * ```ts
 * import { defineTask } from "@beamlet/beamlet/schedulers";
 *
 * export const fib = defineTask("fib", (n: number): number => n < 2 ? n : fib.run(n - 1) + fib.run(n - 2));
 * console.log(fib.name, fib.run(10)); // "fib" 55
 * ```
 */
export function defineTask<A extends unknown[], R>(
  name: string,
  fn: (...args: A) => R,
): TaskDefinition<A, R> {
  checkName("defineTask", name);
  if (typeof fn !== "function") throw new TypeError("defineTask: fn must be a function");
  const known = tasks.get(name);
  if (known !== undefined && known !== fn) {
    throw new TypeError(
      `defineTask: ${JSON.stringify(name)} is already defined as another function`,
    );
  }
  tasks.set(name, fn as (...args: never[]) => unknown);
  return { name, run: fn };
}

/**
 * A function defined with {@linkcode defineTask}: its name (how another
 * scheduler finds it) and the function itself.
 *
 * @example
 * ```ts
 * import { defineTask, type TaskDefinition } from "@beamlet/beamlet/schedulers";
 *
 * const square: TaskDefinition<[number], number> = defineTask("square", (n: number) => n * n);
 * console.log(square.run(4)); // 16
 * ```
 */
export interface TaskDefinition<A extends unknown[], R> {
  /** The name every scheduler knows it by. */
  readonly name: string;
  /** The function, to call here. */
  readonly run: (...args: A) => R;
}

/** `server.init`, or undefined when reading it throws (a hostile object is refused by name). */
function readInit(server: object): unknown {
  try {
    return (server as { init?: unknown }).init;
  } catch {
    return undefined;
  }
}

/** @internal The name a behaviour was defined under, if any. */
export function behaviourName(server: unknown): string | undefined {
  return typeof server === "object" && server !== null ? names.get(server) : undefined;
}

/** @internal The behaviour defined under `name` in this scheduler, if any. */
export function behaviourNamed(name: string): object | undefined {
  return behaviours.get(name);
}

/** @internal The task defined under `name` in this scheduler, if any. */
export function taskNamed(name: string): ((...args: never[]) => unknown) | undefined {
  return tasks.get(name);
}
