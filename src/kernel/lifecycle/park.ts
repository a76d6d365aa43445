/**
 * Parking a process on a callback Promise (internal): the process is busy
 * (its messages keep queuing) until the Promise settles, and each park has
 * a token so a late or repeated settlement is ignored.
 *
 * @module
 */

import { Life, type Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";

/**
 * A callback Promise (any thenable) is in flight: the process is busy until
 * it settles (or dies). Each park has its own token, so a thenable that
 * calls back twice, calls both callbacks, or calls back after the process
 * moved on is ignored; one that calls back synchronously (inside `then`) is
 * deferred to a microtask, so the scheduler never sees a process settle
 * before its run has ended. A `then` that throws rejects the park.
 */
export function park(
  rt: Runtime,
  process: Process,
  thenable: object,
  then: (...args: unknown[]) => unknown,
  onValue: (value: unknown) => void,
  onError: (error: unknown) => void,
): void {
  process.busy = true;
  rt.inFlight++;
  const token = ++process.parkToken;
  let inThen = true;
  const settled = (ok: boolean, value: unknown) => {
    if (inThen) {
      queueMicrotask(() => settled(ok, value));
      return;
    }
    if (!unpark(rt, process, token)) {
      rt.ports.notifyIdle(rt);
      return;
    }
    rt.sched.settled++;
    const previous = rt.current;
    rt.current = process;
    try {
      if (ok) onValue(value);
      else onError(value);
    } catch (error) {
      rt.ports.contain(rt, process, error);
    } finally {
      rt.current = previous;
    }
    rt.ports.notifyIdle(rt);
  };
  try {
    then.call(thenable, (value: unknown) => settled(true, value), (error: unknown) => {
      settled(false, error);
    });
  } catch (error) {
    inThen = false;
    settled(false, error);
    return;
  }
  inThen = false;
}

/**
 * Its Promise settled: false when the settlement is stale (not this park's,
 * or the process died meanwhile and `abandonPark` already let go).
 */
export function unpark(rt: Runtime, process: Process, token: number): boolean {
  if (!process.busy || process.parkToken !== token) return false;
  process.busy = false;
  rt.inFlight--;
  return process.life !== Life.Dead;
}

/** The process died with a Promise in flight: forget it (its settlement will be ignored). */
export function abandonPark(rt: Runtime, process: Process): void {
  if (!process.busy) return;
  process.busy = false;
  process.parkToken++;
  rt.inFlight--;
}
