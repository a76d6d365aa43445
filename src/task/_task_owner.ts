/**
 * Who starts or runs a task (internal): the system, or a process's
 * context. Apart from the task process so that `Task.cpu` can resolve its
 * owner without importing the task machinery.
 *
 * @module
 */

import type { Context } from "../context.ts";
import { System } from "../system.ts";

/**
 * Who starts a task: the system (outside any process) or a process's
 * context (`Task.async` then links the task to that process).
 *
 * @example A helper that works from anywhere
 * ```ts
 * import { System, Task } from "@beamlet/beamlet";
 * import type { TaskOwner } from "@beamlet/beamlet/task";
 *
 * const double = async (owner: TaskOwner, n: number) => Task.await(await Task.async(owner, () => n * 2));
 * console.log(await double(new System(), 21)); // 42
 * ```
 */
export type TaskOwner = System | Context;

/** The system of an owner; TypeError for anything else. */
export function systemOf(owner: TaskOwner, who: string): System {
  if (owner instanceof System) return owner;
  const system = (owner as Partial<Context> | null)?.system;
  if (system instanceof System) return system;
  throw new TypeError(`${who}: expected a System or a process Context`);
}

/** The context of an owner that is a process, else undefined. */
export function contextOf(owner: TaskOwner): Context | undefined {
  return owner instanceof System ? undefined : owner;
}
