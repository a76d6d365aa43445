/**
 * Tasks, as Elixir's `Task` and `Task.Supervisor`: a process that runs one
 * function and hands its result to whoever awaits it, supervised tasks,
 * and `asyncStream`, which maps a (possibly endless) iterable through tasks
 * with bounded concurrency and per-item timeouts. The root entry
 * re-exports `Task`, `TaskSupervisor` and `TaskTimeoutError`.
 *
 * @example Fetching with at most four at a time
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { asyncStream, type StreamResult } from "@beamlet/beamlet/task";
 *
 * const system = new System();
 * const results: StreamResult<number>[] = [];
 * for await (
 *   const result of asyncStream(system, [1, 2, 3, 4, 5], async (n) => n * n, {
 *     maxConcurrency: 4,
 *     timeout: 1000,
 *   })
 * ) {
 *   results.push(result);
 * }
 * console.log(results.map((r) => ("ok" in r ? r.ok : "failed"))); // [1, 4, 9, 16, 25]
 * system.shutdown();
 * ```
 *
 * @module
 */

export { Task, type TaskFn, type TaskOwner, type TaskResult } from "./src/task/task.ts";
export {
  asyncStream,
  type AsyncStreamOptions,
  type StreamResult,
} from "./src/task/async_stream.ts";
export { TaskSupervisor, type TaskSupervisorOptions } from "./src/task/task_supervisor.ts";
export { TaskTimeoutError } from "./src/task/errors.ts";
