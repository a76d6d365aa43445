/**
 * The thresholds of the built-in alerts of `prometheusRules`, and their
 * defaults.
 *
 * @module
 */

/**
 * The thresholds of the built-in alerts.
 *
 * @example Quieter crash alerts
 * ```ts
 * import { prometheusRules, type BuiltinThresholds } from "@beamlet/beamlet/ops";
 *
 * const thresholds: Partial<BuiltinThresholds> = { crashesPerSecond: 1 };
 * prometheusRules({ thresholds });
 * ```
 */
export interface BuiltinThresholds {
  /** Supervisor child restarts in 15 minutes, per child id, above which it is crash-looping (5). */
  readonly restartsIn15m: number;
  /** Crash exits per second over 5 minutes, per instance (0.1). */
  readonly crashesPerSecond: number;
  /** Mean scheduler utilization over 10 minutes, 0..1 (0.9). */
  readonly schedulerUtilization: number;
  /** Processes left in the run queues, at least, for 10 minutes (1000). */
  readonly runQueueLength: number;
  /** p99 of handleCall time, seconds, for 10 minutes (0.1). */
  readonly callHandlingP99: number;
  /** p99 of time calls wait in a mailbox, seconds, for 10 minutes (0.5). */
  readonly callQueuedP99: number;
  /** Long callbacks (over the system monitor's threshold) per second, per process (1). */
  readonly longCallbacksPerSecond: number;
  /** Host event-loop stalls in 5 minutes, per instance (3). */
  readonly eventLoopStallsIn5m: number;
  /** Long scheduler slices in 5 minutes, per instance (3). */
  readonly longSchedulesIn5m: number;
}

/**
 * The defaults of {@linkcode BuiltinThresholds}.
 *
 * @example Twice as tolerant of crashes as the default
 * ```ts
 * import { DEFAULT_THRESHOLDS, prometheusRules } from "@beamlet/beamlet/ops";
 *
 * prometheusRules({ thresholds: { crashesPerSecond: DEFAULT_THRESHOLDS.crashesPerSecond * 2 } });
 * ```
 */
export const DEFAULT_THRESHOLDS: BuiltinThresholds = Object.freeze({
  restartsIn15m: 5,
  crashesPerSecond: 0.1,
  schedulerUtilization: 0.9,
  runQueueLength: 1000,
  callHandlingP99: 0.1,
  callQueuedP99: 0.5,
  longCallbacksPerSecond: 1,
  eventLoopStallsIn5m: 3,
  longSchedulesIn5m: 3,
});
