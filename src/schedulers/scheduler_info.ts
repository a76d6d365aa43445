/**
 * What `system.schedulers()` tells about each scheduler.
 *
 * @module
 */

/**
 * One scheduler of a system (`SystemOptions.schedulers`): 0 is the
 * system's own thread, 1.. its Workers.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const [main] = system.schedulers();
 * console.log(main.index, main.status); // 0 "running"
 * ```
 */
export interface SchedulerInfo {
  /** Its index: the third number of its pids' string form. */
  readonly index: number;
  /** `"starting"`, `"running"`, `"failed"` (its Worker never started) or `"down"` (its Worker died or was stopped). */
  readonly status: "starting" | "running" | "failed" | "down";
  /** Live processes on it, as it last published (every start and every 250 ms). */
  readonly processes: number;
  /** CPU tasks (`Task.cpu`) running or queued on it. */
  readonly tasks: number;
  /** Why it failed or went down, when it did. */
  readonly error?: Error;
}
