/**
 * Named errors of tasks.
 *
 * @module
 */

/**
 * A task gave no result within the time its awaiter allowed: `Task.await`
 * (the task is then killed) or an `asyncStream` item whose `onTimeout` is
 * `"exit"` (every task of the stream is then killed).
 *
 * @example Catching a timeout
 * ```ts
 * import { System, Task, TaskTimeoutError } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const task = await Task.async(system, () => new Promise(() => {}));
 * try {
 *   await Task.await(task, 10);
 * } catch (error) {
 *   if (error instanceof TaskTimeoutError) console.log(error.timeout); // 10
 * }
 * ```
 */
export class TaskTimeoutError extends Error {
  /** The task process that timed out. */
  readonly target: string;
  /** The timeout, ms. */
  readonly timeout: number;

  /** Built by `Task.await` and `Task.asyncStream` when a task outlasts its timeout. */
  constructor(target: string, timeout: number, options?: ErrorOptions) {
    super(`task ${target} timed out after ${timeout} ms`, options);
    this.name = "TaskTimeoutError";
    this.target = target;
    this.timeout = timeout;
  }
}
