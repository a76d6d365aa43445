/**
 * The event-loop probe (internal): a host timer set every `interval` ms
 * that measures how late it fires. A timer cannot fire while the event
 * loop is held, so its delay is how long something — a callback, a
 * continuation after an `await`, code outside any process — blocked the
 * host. The timer never keeps the host alive, and the probe holds its
 * system weakly: a system dropped without `shutdown()` stops being probed
 * once it is collected.
 *
 * @module
 */

import { setHostTimer } from "../../_host_timer.ts";

/** What the probe needs from the host (injectable: tests drive it by hand). */
export interface ProbeHost {
  /** The host's monotonic clock, ms. */
  now(): number;
  /** Runs `task` after `ms`, without keeping the host alive; returns its cancel. */
  setTimer(task: () => void, ms: number): () => void;
}

/** The real host: `performance.now()` and unref'd timers. */
export const HOST: ProbeHost = {
  now: () => performance.now(),
  setTimer(task, ms) {
    const timer = setHostTimer(task, ms);
    timer.unref();
    return () => timer.cancel();
  },
};

/** Told each late tick: how late (ms) and the host clock then. */
export type StallListener = (delay: number, now: number) => void;

/**
 * Starts probing: every `interval` ms, a tick that fired `threshold` ms or
 * more late calls `onStall` (which answers false once its system is gone:
 * the probe stops). Returns the function that stops it.
 */
export function startStallProbe(
  interval: number,
  threshold: number,
  onStall: (delay: number, now: number) => boolean,
  host: ProbeHost = HOST,
): () => void {
  let cancel: (() => void) | undefined;
  let stopped = false;
  let due = 0;
  const arm = () => {
    due = host.now() + interval;
    cancel = host.setTimer(tick, interval);
  };
  const tick = () => {
    cancel = undefined;
    if (stopped) return;
    const now = host.now();
    const delay = now - due;
    if (delay >= threshold && !onStall(delay, now)) {
      stopped = true;
      return;
    }
    arm();
  };
  arm();
  return () => {
    stopped = true;
    cancel?.();
    cancel = undefined;
  };
}
