/**
 * `Task.cpu`: CPU-heavy work on another scheduler, so that the caller's
 * thread keeps its timers, I/O and processes running.
 *
 * @module
 */

import type { TaskDefinition } from "../schedulers/define_behaviour.ts";
import { schedulersOf } from "../schedulers/_system_schedulers.ts";
import { systemOf, type TaskOwner } from "./_task_owner.ts";

/**
 * Runs `task` (defined with `defineTask` in a module every scheduler loads,
 * `SystemOptions.modules`) with `args` on the least busy other scheduler,
 * and resolves with its result (or rejects with its error, revived). The
 * caller's scheduler runs on meanwhile: a 200 ms job does not delay its
 * timers. Arguments and result cross schedulers, so they must be plain data
 * (`UnencodableError` otherwise). A system of one scheduler runs the task
 * here, on a microtask — as `Task.async` would, with the same cost to the
 * caller's thread. A scheduler that dies while running it rejects with
 * `NoConnectionError`.
 *
 * @example Fibonacci off the caller's thread
 * ```ts
 * import { System, Task } from "@beamlet/beamlet";
 * import { defineTask } from "@beamlet/beamlet/schedulers";
 *
 * const fib = defineTask("fib", (n: number): number => n < 2 ? n : fib.run(n - 1) + fib.run(n - 2));
 * const system = new System(); // with { schedulers: 2, modules: [...] } it runs on another thread
 * console.log(await Task.cpu(system, fib, 20)); // 6765
 * ```
 */
export async function cpu<A extends unknown[], R>(
  owner: TaskOwner,
  task: TaskDefinition<A, R>,
  ...args: A
): Promise<Awaited<R>> {
  const system = systemOf(owner, "Task.cpu");
  let name: unknown;
  let run: unknown;
  try {
    name = task.name;
    run = task.run;
  } catch {
    name = undefined;
  }
  if (typeof name !== "string" || typeof run !== "function") {
    throw new TypeError("Task.cpu: task must be a definition from defineTask(name, fn)");
  }
  await system.ready;
  const elsewhere = schedulersOf(system)?.runTask(name, args, Infinity);
  if (elsewhere !== undefined) return await elsewhere as Awaited<R>;
  await Promise.resolve();
  return await (run as (...args: A) => R)(...args);
}
