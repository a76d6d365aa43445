/**
 * A timer on the system's own clock (internal), so a manual clock in tests
 * drives a supervisor's shutdown timeouts like every other timer.
 *
 * @module
 */

import type { Ref } from "../pid.ts";
import type { System } from "../system.ts";

/** A pending delay: `fired` resolves after `ms`; `cancel` stops it. */
export interface Delay {
  /** Resolves when the delay has passed (never, once cancelled). */
  readonly fired: Promise<void>;
  /** Cancels the timer. */
  cancel(): void;
}

/** Starts a timer that resolves `fired` after `ms` ms of the system's clock. */
export function delay(system: System, ms: number): Delay {
  let ref: Ref | undefined;
  const fired = new Promise<void>((resolve) => {
    ref = system.setTimer(ms, resolve);
  });
  return {
    fired,
    cancel() {
      if (ref) system.cancelTimer(ref);
    },
  };
}
