/**
 * What `system.schedulerStats()` answers: the scheduler's counters since the
 * system started and what waits in its run queues now.
 *
 * @module
 */

/**
 * Scheduler counters, after the BEAM's `statistics(run_queue_lengths)` and
 * `scheduler_wall_time`. Counters are totals since the system started;
 * difference two readings for a rate.
 *
 * @example Watching utilization
 * ```ts
 * import { System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const stats = system.schedulerStats();
 * console.log(stats.runQueue.normal, stats.utilization, stats.messages);
 * await system.shutdown();
 * ```
 */
export interface SchedulerStats {
  /**
   * The scheduler core this system runs on: `"wasm"`, or `"reference"` (the
   * TypeScript core: asked for, or WebAssembly could not be used here).
   */
  readonly core: "wasm" | "reference";
  /** Processes waiting to run, per priority. */
  readonly runQueue: { readonly high: number; readonly normal: number; readonly low: number };
  /** Scheduler runs (slices) ended. */
  readonly slices: number;
  /** Process runs: one process handling up to its reduction budget. */
  readonly processRuns: number;
  /** Messages handled. */
  readonly messages: number;
  /** Milliseconds the scheduler held the host, in all. */
  readonly busyMs: number;
  /** Milliseconds since the system started, on its clock. */
  readonly uptimeMs: number;
  /**
   * Share of time the scheduler held the host (0..1) over the last complete
   * window of at least one second (0 until one has passed).
   */
  readonly utilization: number;
  /** Callback Promises pending (processes parked on them). */
  readonly inFlight: number;
  /**
   * Context operations attempted by processes that had already exited (a
   * callback still running after its process was killed): each was dropped.
   */
  readonly afterDeath: number;
  /**
   * Calls whose caller gave up (timeout, signal, exit) while they waited in
   * the server's mailbox: skipped, or handled with the reply dropped under
   * `expiredCalls: "handle"` (also executed as `beamlet.call.expired`).
   */
  readonly expiredCalls: number;
  /**
   * Messages shed by a mailbox's `shed` policy (CoDel: they waited longer
   * than its target) across all processes, never handled (also executed as
   * `beamlet.mailbox.shed`).
   */
  readonly shed: number;
  /**
   * Messages refused because the system had no room for them: every one of
   * its `maxQueuedMessages` slots taken, or the WebAssembly memory full.
   */
  readonly outOfMemory: number;
}
