/**
 * When the scheduler looks at the clock (internal).
 *
 * The time slice is the promise that the host's timers and I/O get a turn
 * every few milliseconds. Reading the clock costs about as much as handling
 * a cast (50–100 ns), so it is not read after every message: after each
 * check the scheduler doubles the number of messages until the next one
 * (up to {@linkcode MAX_SPAN}) while the span it just measured took under an
 * eighth of the slice, and drops back to checking after every message as
 * soon as one did not. A process whose message alone took that long is
 * marked slow, and its messages are checked one by one for as long as they
 * stay slow. Each burst of work starts checking after every message.
 *
 * So a run of handlers that each take a millisecond or more is checked
 * after each one and yields within one handler past the slice; fast
 * handlers cost one clock read per {@linkcode MAX_SPAN} messages. The one
 * case this cannot bound is a process whose handlers were fast turning slow
 * in the middle of a span: up to {@linkcode MAX_SPAN} of its slow handlers
 * run before the next check. A single handler that blocks is JavaScript's
 * limit: nothing can pre-empt it.
 *
 * @module
 */

import type { Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";

/** Most messages handled between two clock reads. */
export const MAX_SPAN = 32;

/** A burst of work begins at clock reading `now`: check after the first message. */
export function beginBurst(rt: Runtime, now: number): void {
  rt.burstStart = now;
  rt.lastCheck = now;
  rt.checkSpan = 1;
  rt.untilCheck = 1;
}

/** A run of `process` begins: a slow process is checked after each message. */
export function beginRun(rt: Runtime, process: Process): void {
  if (process.slow) rt.untilCheck = 1;
}

/**
 * The check due after a span of messages, the last of them `process`'s:
 * adapts the span, marks `process` slow or not, and says whether the slice
 * is used up.
 */
export function checkSlice(rt: Runtime, process: Process): boolean {
  const now = rt.clock.now();
  const elapsed = now - rt.lastCheck;
  rt.lastCheck = now;
  const span = rt.checkSpan;
  if (elapsed * 8 <= rt.timeSlice) {
    if (span === 1) process.slow = false;
    rt.checkSpan = span < MAX_SPAN ? span * 2 : MAX_SPAN;
  } else {
    if (span === 1) process.slow = true;
    rt.checkSpan = 1;
  }
  rt.untilCheck = process.slow ? 1 : rt.checkSpan;
  return now - rt.burstStart > rt.timeSlice;
}
