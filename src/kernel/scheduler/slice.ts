/**
 * When the scheduler looks at the clock (internal).
 *
 * The time slice is the promise that the host's timers and I/O get a turn
 * every few milliseconds. Reading the clock costs about as much as handling
 * a cast (50–100 ns), so it is not read after every message: after each
 * check the scheduler doubles the number of messages until the next one
 * (up to {@linkcode MAX_SPAN}) while the span it just measured took under an
 * eighth of the slice (and, with the system monitor on, under a quarter of
 * its long-callback budget: `Runtime.fastSpan`), and drops back to checking after every message as
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
 * With the system monitor on, every reading also ends the monitor's
 * current stretch (`probes/monitor_stretches.ts`). With its `"run"`
 * attribution the clock is read when a process's run ends too, so that a
 * stretch never spans two processes; with `"span"` (the default) only a
 * suspect's run (a process marked slow) starts and ends with a reading.
 *
 * @module
 */

import type { Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";
import type { MonitorState } from "../state/monitor_state.ts";
import { partEnded, stretchEnded } from "../probes/monitor_stretches.ts";

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
 * The check due after a span of messages, the last of them `process`'s (of
 * envelope kind `kind`): adapts the span, marks `process` slow or not, and
 * says whether the slice is used up.
 */
export function checkSlice(rt: Runtime, process: Process, kind: number): boolean {
  const now = rt.clock.now();
  const elapsed = now - rt.lastCheck;
  rt.lastCheck = now;
  const monitor = rt.monitor;
  const span = rt.checkSpan;
  // Whether the span measured `process`'s message alone (the monitor knows).
  let single = span === 1;
  if (monitor !== undefined) {
    single = rt.checkedAt - rt.segBase === 1;
    stretchEnded(rt, monitor, process, now, elapsed, kind);
  }
  if (elapsed <= rt.fastSpan) {
    if (single) process.slow = false;
    rt.checkSpan = span < MAX_SPAN ? span * 2 : MAX_SPAN;
  } else {
    if (single) process.slow = true;
    rt.checkSpan = 1;
  }
  rt.untilCheck = process.slow ? 1 : rt.checkSpan;
  return now - rt.burstStart > rt.timeSlice;
}

/**
 * The monitor's reading when a run of `process` ends with messages handled
 * since the last one (`rt.checkedAt` set by the caller): ends its stretch;
 * a slow one sends the spans back to one message. Says whether the slice is
 * used up.
 */
export function checkRunEnd(rt: Runtime, process: Process): boolean {
  const now = rt.clock.now();
  const elapsed = now - rt.lastCheck;
  rt.lastCheck = now;
  const single = rt.checkedAt - rt.segBase === 1;
  stretchEnded(rt, rt.monitor!, process, now, elapsed, rt.lastKind);
  if (elapsed > rt.fastSpan) {
    if (single) process.slow = true;
    rt.checkSpan = 1;
  } else if (single) {
    process.slow = false;
  }
  rt.untilCheck = rt.checkSpan; // the next process starts a span of its own
  return now - rt.burstStart > rt.timeSlice;
}

/**
 * Span attribution: a run of `process` begins after another process's
 * (`monitor.partProcess`). If the current stretch holds messages, they
 * become a part of it — unless `process` is a suspect (marked slow), which
 * is measured alone: the clock is read to end the stretch first.
 */
export function joinStretch(rt: Runtime, monitor: MonitorState, process: Process): void {
  const last = monitor.partProcess;
  if (rt.sched.messages !== rt.segBase && last !== undefined) {
    if (process.slow) {
      rt.checkedAt = rt.sched.messages;
      // Its slice check follows its first message (it is slow): not here.
      checkRunEnd(rt, last);
    } else {
      partEnded(rt, monitor);
    }
  }
  monitor.partProcess = process;
}

/**
 * A scheduler run ends with messages measured since the last reading (span
 * attribution): the reading that ends the run ends the stretch too. Returns
 * that reading.
 */
export function closeStretch(rt: Runtime, monitor: MonitorState): number {
  rt.checkedAt = rt.sched.messages;
  checkRunEnd(rt, monitor.partProcess!);
  return rt.lastCheck;
}
