/**
 * Tasks and task supervisors, as Elixir's `Task` and `Task.Supervisor`.
 *
 * @example Await a task
 * ```ts
 * import { System, Task } from "@beamlet/beamlet";
 *
 * const system = new System();
 * console.log(await Task.await(await Task.async(system, () => "hi"))); // "hi"
 * ```
 *
 * @module
 */

export * from "./task.ts";
export * from "./async_stream.ts";
export * from "./task_supervisor.ts";
export * from "./errors.ts";
