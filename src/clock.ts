/**
 * Where a system's time comes from.
 *
 * @module
 */

/**
 * A monotonic clock in milliseconds. The system reads it once per scheduler
 * slice; timers and message ages are measured on it.
 *
 * @example A clock a test moves by hand
 * ```ts
 * import type { Clock } from "@beamlet/beamlet";
 *
 * let now = 0;
 * const clock: Clock = { now: () => now };
 * now += 1000;
 * ```
 */
export interface Clock {
  /** Milliseconds from an arbitrary origin; never decreases. */
  now(): number;
}

/**
 * The host's monotonic clock (`performance.now()`): what a system reads when
 * `SystemOptions.clock` is not given. Internal (no entry exports it).
 */
export const performanceClock: Clock = { now: () => performance.now() };
