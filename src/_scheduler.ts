/**
 * The scheduler loop (internal): runs processes from the core's run queue,
 * a reduction budget per run, and yields to the host after each time slice.
 *
 * @module
 */

import { ActorState, Priority, Stat } from "./core/core.ts";
import { K_NOOP } from "./_envelopes.ts";
import { Life, type Process } from "./_process.ts";
import type { ProcessStatus } from "./process_info.ts";
import { hostYield } from "./_host_yield.ts";
import { INDEX_MASK, type Runtime } from "./_runtime.ts";
import { handle } from "./_callbacks.ts";
import { deliverSystem } from "./_delivery.ts";
import { advance } from "./_timeouts.ts";
import { noteQueueTime, sliceEnded, takeToken } from "./_instrument.ts";

/** Queues a scheduler run on a microtask, once (never in manual scheduling). */
export function kick(rt: Runtime): void {
  if (rt.scheduled || rt.manual) return;
  rt.scheduled = true;
  queueMicrotask(rt.runFromMicrotask);
}

/** Nothing runnable and no callback Promise pending. */
export function isIdle(rt: Runtime): boolean {
  const core = rt.core;
  return rt.inFlight === 0 &&
    core.runQueueLength(Priority.High) === 0 &&
    core.runQueueLength(Priority.Normal) === 0 &&
    core.runQueueLength(Priority.Low) === 0;
}

/** Drains the run queue for up to one time slice, then yields to the host. */
export function run(rt: Runtime, manual: boolean): void {
  rt.scheduled = false;
  if (rt.running) return;
  const now = rt.clock.now();
  if (rt.burstStart < 0) {
    rt.burstStart = now;
  } else if (!manual && now - rt.burstStart > rt.timeSlice) {
    // Runs chained through callback Promises (microtasks) have held the host
    // for a whole slice: give its timers and I/O a turn first.
    yieldToHost(rt);
    return;
  }
  rt.running = true;
  const messagesBefore = rt.sched.messages;
  let runs = 0;
  try {
    advance(rt);
    const core = rt.core;
    for (let id = core.next(); id > 0; id = core.next()) {
      runProcess(rt, rt.byIndex[id & INDEX_MASK]!, id);
      if ((++runs & 15) === 0 || core.stat(id, Stat.Length) > 0) {
        advance(rt);
        if (!manual && rt.clock.now() - rt.burstStart > rt.timeSlice) {
          yieldToHost(rt);
          sliceEnded(rt, now, "yield", runs, messagesBefore);
          return;
        }
      }
    }
    // The burst ends when nothing is left to run; while callback Promises are
    // pending, the runs they chain still count against the same slice.
    if (rt.inFlight === 0) rt.burstStart = -1;
  } finally {
    rt.running = false;
  }
  sliceEnded(rt, now, "idle", runs, messagesBefore);
  rt.timerService.arm();
  if (isIdle(rt)) {
    const waiters = rt.idleWaiters;
    rt.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Ends the burst: the next run starts from a macrotask, after the host's pending work. */
function yieldToHost(rt: Runtime): void {
  rt.scheduled = true;
  rt.burstStart = -1;
  hostYield(rt.runFromMacrotask);
}

/** One run of one process: up to the reduction budget of messages. */
export function runProcess(rt: Runtime, process: Process, id: number): void {
  const core = rt.core;
  if (process.suspended) {
    core.release(id, 0, 1);
    return;
  }
  const budget = core.reductionBudget;
  const payloads = rt.payloads; // grown in place, never replaced
  const overflow = process.overflow;
  const timing = rt.timing;
  if (timing) rt.stamp = -1;
  let handled = 0;
  while (handled < budget) {
    let kind: number;
    let payload: unknown;
    if (overflow.length > 0 && overflow[0].dueAfter <= process.taken) {
      ({ kind, payload } = overflow.shift()!);
      process.queueTime = 0;
    } else {
      if (timing) noteQueueTime(rt, process);
      const slot = core.dequeue(id);
      if (slot >= 0) {
        process.taken++;
        kind = rt.kinds[slot];
        payload = payloads[slot];
        payloads[slot] = undefined;
        if (timing && rt.tracer !== undefined) process.traceToken = takeToken(rt, slot);
      } else if (overflow.length > 0) {
        ({ kind, payload } = overflow.shift()!); // the ring is empty: all of them are due
        process.queueTime = 0;
      } else {
        break;
      }
    }
    handled++;
    if (handle(rt, process, kind, payload)) {
      rt.sched.messages += handled;
      core.release(id, handled, 1);
      return;
    }
    if (process.life === Life.Dead) {
      rt.sched.messages += handled;
      return;
    }
    if (process.suspended) break;
    // Reductions bound the messages of a run; slow handlers also bound its time.
    if ((handled & 63) === 0 && rt.clock.now() - rt.burstStart > rt.timeSlice) break;
  }
  rt.sched.messages += handled;
  core.release(id, handled, process.suspended ? 1 : 0);
  if (overflow.length > 0) rescheduleOverflow(rt, process);
  if (process.hibernateWhenIdle) {
    process.hibernateWhenIdle = false;
    core.hibernate(id); // BadState (not idle) leaves the ring: it is in use again
  }
}

/**
 * Held-back runtime messages remain but the ring may be empty: the core
 * schedules an actor only on enqueue, so queue a no-op to get it run.
 */
export function rescheduleOverflow(rt: Runtime, process: Process): void {
  if (rt.core.stat(process.coreId, Stat.Length) === 0) {
    deliverSystem(rt, process, K_NOOP, undefined);
  }
}

/** Wakes `runUntilIdle` callers once the system is idle (auto scheduling). */
export function notifyIdle(rt: Runtime): void {
  if (rt.manual || !isIdle(rt)) return;
  const waiters = rt.idleWaiters;
  rt.idleWaiters = [];
  for (const resolve of waiters) resolve();
}

/** An async callback settled: the process may run again. */
export function wake(rt: Runtime, process: Process): void {
  if (process.life === Life.Dead) return;
  if (process.suspended || process.busy) return;
  if (rt.core.stat(process.coreId, Stat.State) === ActorState.Blocked) {
    rt.core.wake(process.coreId);
  }
  if (process.overflow.length > 0) rescheduleOverflow(rt, process);
  kick(rt);
  notifyIdle(rt);
}

/** A process's status for processInfo and countByStatus. */
export function statusOf(rt: Runtime, process: Process): ProcessStatus {
  if (process.life === Life.Exiting) return "exiting";
  if (process.suspended) return "suspended";
  if (process.busy) return "running";
  const state = rt.core.stat(process.coreId, Stat.State);
  if (state === ActorState.Running) return "running";
  if (state === ActorState.Runnable) return "runnable";
  return "waiting";
}
