/**
 * A host whose scheduled callbacks belong to the request that scheduled them
 * (internal): on Cloudflare Workers, a timer set or a run queued while one
 * request was handled is dropped when that request ends, and the scheduler
 * would wait for it forever. The edge entry calls {@linkcode resumeHere} at
 * the start of each request and waits for {@linkcode isSettled} after it.
 *
 * @module
 */

import type { Runtime } from "../state/runtime.ts";
import { hasRunnable, isIdle, kick } from "./scheduler.ts";

/**
 * Schedules again, from the current host context, what an earlier one may
 * have dropped: the timer wheel's host timer, and a run that was queued but
 * never happened. A run queued twice is harmless (the second finds less or
 * nothing to do); a run lost is a system that never runs again.
 */
export function resumeHere(rt: Runtime): void {
  if (rt.manual) return;
  rt.timerService.rearm();
  if (rt.running) return;
  rt.scheduled = false;
  if (hasRunnable(rt)) kick(rt);
}

/** Nothing runnable, no callback Promise pending, and no run queued on the host. */
export function isSettled(rt: Runtime): boolean {
  return !rt.scheduled && isIdle(rt);
}
