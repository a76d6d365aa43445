/**
 * The scheduler loop (internal): runs processes from the core's run queue,
 * a reduction budget per run, and yields to the host once the time slice is
 * used up (`scheduler/slice.ts` decides when to look at the clock).
 *
 * Nothing a process does escapes this loop: an exception from the kernel's
 * handling of a message (a hostile value it could not read, a hook that
 * threw) crashes that process alone (`contain`), and the loop goes on.
 *
 * @module
 */

import { ActorState, Priority, Stat } from "../../core/core.ts";
import { Life, type Process } from "../state/process.ts";
import type { ProcessStatus } from "../state/process.ts";
import { hostYield } from "../../_host_yield.ts";
import { INDEX_MASK, type Runtime } from "../state/runtime.ts";
import { handle } from "../dispatch/callbacks.ts";
import { nudge } from "../mailbox/delivery.ts";
import { flowDequeue, flowReport } from "../mailbox/shedding.ts";
import type { MailboxFlow } from "../state/mailbox_flow.ts";
import { contain } from "../lifecycle/exit.ts";
import {
  beginBurst,
  beginRun,
  checkRunEnd,
  checkSlice,
  closeStretch,
  joinStretch,
} from "./slice.ts";
import { runEnded, runStarts } from "../probes/monitor_stretches.ts";
import { noteQueueTime, sliceEnded, takeToken } from "../probes/instrument.ts";

/**
 * A settled Promise whose `then` queues a microtask: on Node that costs a
 * fraction of `queueMicrotask`, which wraps every callback in an
 * AsyncResource (about 8% of an awaited call); Deno and Bun are alike
 * either way.
 */
const SETTLED = Promise.resolve();

/** Queues a scheduler run on a microtask, once (never in manual scheduling). */
export function kick(rt: Runtime): void {
  if (rt.scheduled || rt.manual) return;
  rt.scheduled = true;
  SETTLED.then(rt.runFromMicrotask);
}

/** Nothing runnable and no callback Promise pending. */
export function isIdle(rt: Runtime): boolean {
  const core = rt.core;
  return rt.inFlight === 0 &&
    core.runQueueLength(Priority.High) === 0 &&
    core.runQueueLength(Priority.Normal) === 0 &&
    core.runQueueLength(Priority.Low) === 0;
}

/** Some process waits in the run queue. */
export function hasRunnable(rt: Runtime): boolean {
  const core = rt.core;
  return core.runQueueLength(Priority.High) > 0 || core.runQueueLength(Priority.Normal) > 0 ||
    core.runQueueLength(Priority.Low) > 0;
}

/** Drains the run queue until the time slice is used up, then yields to the host. */
export function run(rt: Runtime, manual: boolean): void {
  rt.scheduled = false;
  if (rt.running) return;
  // A run queued by a wake-up starts from the waking message's reading (same
  // synchronous stretch); manual runs (any time later, a virtual clock) read it.
  const woke = rt.wakeReading;
  rt.wakeReading = -1;
  const now = woke >= 0 && !manual ? woke : rt.clock.now();
  if (rt.burstStart < 0) {
    beginBurst(rt, now);
  } else if (!manual && now - rt.burstStart > rt.timeSlice) {
    // Runs chained through callback Promises (microtasks) have held the host
    // for a whole slice: give its timers and I/O a turn first.
    yieldToHost(rt);
    return;
  }
  const monitor = rt.monitor;
  if (monitor !== undefined) runStarts(rt, monitor, now, woke >= 0 && !manual);
  rt.running = true;
  rt.sliceOver = false;
  const messagesBefore = rt.sched.messages;
  let runs = 0;
  let yielded = false;
  let handBack = false;
  try {
    rt.timerService.advanceTo(now - rt.origin);
    rt.settledCalls = false;
    const core = rt.core;
    for (let id = core.next(); id > 0; id = core.next()) {
      runs++;
      const process = rt.byIndex[id & INDEX_MASK];
      if (process === undefined) {
        core.free(id); // cannot happen; if it does, the actor must not run forever
        continue;
      }
      runProcess(rt, process, id);
      if (rt.settledCalls) {
        // A caller awaits the reply just settled: end this run so that its
        // continuation (a microtask) runs before the next process does, as
        // the BEAM would schedule the caller next, rather than after a
        // whole slice of other processes' work. The burst goes on.
        rt.settledCalls = false;
        if (hasRunnable(rt)) {
          handBack = true;
          break;
        }
      }
      if (rt.checked) {
        // The clock was read during that run: let the core's clock (and the
        // timers due by it) follow, and yield if the slice is used up.
        rt.checked = false;
        if (rt.sliceOver && !manual) {
          yielded = true;
          break;
        }
        rt.sliceOver = false;
        rt.timerService.advanceTo(rt.lastCheck - rt.origin);
      }
    }
    // The burst ends when nothing is left to run; while callback Promises are
    // pending, the runs they chain still count against the same slice.
    if (!yielded && !handBack && rt.inFlight === 0) rt.burstStart = -1;
  } finally {
    rt.running = false;
    rt.current = undefined;
  }
  if (rt.nudged.length > 0) retryNudged(rt);
  // The slice check after the last message read the clock already: that
  // reading is the slice's end (one clock reading less per run).
  // (Only when this run handled a message: a run that handled none would
  // otherwise take an earlier run's reading, before its own start.)
  // With the monitor's span attribution, that reading also ends its last
  // stretch, if one is open (no extra reading either).
  const end = rt.sched.messages === rt.checkedAt && rt.sched.messages !== messagesBefore
    ? rt.lastCheck
    : monitor !== undefined && rt.sched.messages !== rt.segBase &&
        monitor.partProcess !== undefined
    ? closeStretch(rt, monitor)
    : rt.clock.now();
  if (monitor !== undefined) runEnded(rt, monitor, end, runs);
  if (yielded) {
    yieldToHost(rt);
    sliceEnded(rt, now, end, "yield", runs, messagesBefore);
    return;
  }
  if (handBack) {
    kick(rt); // the next run starts after the continuations queued so far
    sliceEnded(rt, now, end, "yield", runs, messagesBefore);
    return;
  }
  sliceEnded(rt, now, end, "idle", runs, messagesBefore);
  rt.timerService.arm();
  if (isIdle(rt)) {
    const waiters = rt.idleWaiters;
    rt.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Ends the burst: the next run starts from a macrotask, after the host's
 * pending work — after its due timers too when the slice ended on slow
 * handlers (the clock is then read after every message).
 */
function yieldToHost(rt: Runtime): void {
  rt.scheduled = true;
  rt.burstStart = -1;
  hostYield(rt.runFromMacrotask, rt.checkSpan === 1);
}

/** Processes whose held-back work found no room to be scheduled: try again now. */
function retryNudged(rt: Runtime): void {
  const waiting = rt.nudged;
  rt.nudged = [];
  for (const process of waiting) nudge(rt, process);
}

/**
 * One run of one process: up to the reduction budget of messages. A
 * suspended process handles only its urgent messages (stop, its parent's
 * exit) and stays parked.
 */
export function runProcess(rt: Runtime, process: Process, id: number): void {
  rt.current = process;
  const monitor = rt.monitor;
  if (monitor !== undefined && monitor.span && monitor.partProcess !== process) {
    joinStretch(rt, monitor, process); // a stretch may span processes (`slice.ts`)
  }
  if (process.suspended) {
    const handled = runUrgent(rt, process);
    if (process.life !== Life.Dead) rt.core.release(id, handled, 1);
  } else {
    runMessages(rt, process, id);
  }
  rt.current = undefined;
  if (
    monitor !== undefined && (process.slow || !monitor.span) && rt.sched.messages !== rt.segBase
  ) {
    // The system monitor reads the clock when a run ends — every run with
    // its "run" attribution, a suspect's (marked slow) with "span" — so that
    // the stretch does not go on into the next process's (`slice.ts`).
    // Its reading advances the timers only when the slice is over (the loop
    // then yields); the slice checks advance them as before.
    rt.checkedAt = rt.sched.messages;
    if (checkRunEnd(rt, process)) {
      rt.checked = true;
      rt.sliceOver = true;
    }
  }
}

/** The messages of one run of a process that is not suspended. */
function runMessages(rt: Runtime, process: Process, id: number): void {
  const core = rt.core;
  beginRun(rt, process);
  const budget = core.reductionBudget;
  const payloads = rt.payloads; // grown in place, never replaced
  const timing = rt.timing;
  if (timing) rt.stamp = -1;
  const flow = process.flow; // watermarks, shedding (`mailbox/shedding.ts`)
  let handled = 0;
  rt.charged = 0; // sends and spawns it makes (`state/reductions.ts`)
  while (handled + rt.charged < budget) {
    let kind: number;
    let payload: unknown;
    // Read each time: a handler may hold a message back (created on first use).
    const overflow = process.overflow;
    if (overflow !== undefined && overflow.length > 0 && overflow[0].dueAfter <= process.taken) {
      ({ kind, payload } = overflow.shift()!);
      process.queueTime = 0;
    } else {
      if (timing) noteQueueTime(rt, process);
      const slot = flow === undefined ? core.dequeue(id) : flowDequeue(rt, process, flow);
      if (slot >= 0) {
        process.taken++;
        kind = rt.kinds[slot];
        payload = payloads[slot];
        payloads[slot] = undefined;
        if (timing && rt.tracer !== undefined) process.traceToken = takeToken(rt, slot);
      } else if (overflow !== undefined && overflow.length > 0) {
        ({ kind, payload } = overflow.shift()!); // the ring is empty: all of them are due
        process.queueTime = 0;
      } else {
        if (flow !== undefined && flow.pending && !reported(rt, process, flow)) {
          rt.sched.messages += handled;
          return;
        }
        break;
      }
    }
    // Its flow events run user code: only once the message is out of its slot.
    if (flow !== undefined && flow.pending && !reported(rt, process, flow)) {
      rt.sched.messages += handled;
      return;
    }
    handled++;
    rt.lastKind = kind;
    let parked: boolean;
    try {
      parked = handle(rt, process, kind, payload);
    } catch (error) {
      parked = contain(rt, process, error);
    }
    if (--rt.untilCheck <= 0) {
      rt.checked = true;
      rt.checkedAt = rt.sched.messages + handled;
      if (checkSlice(rt, process, kind)) rt.sliceOver = true;
    }
    if (process.life === Life.Dead) {
      rt.sched.messages += handled;
      return;
    }
    if (parked) {
      rt.sched.messages += handled;
      core.release(id, handled + rt.charged, 1);
      return;
    }
    if (process.suspended || rt.sliceOver) break;
  }
  rt.sched.messages += handled;
  core.release(id, handled + rt.charged, process.suspended ? 1 : 0);
  if (process.overflow !== undefined && process.overflow.length > 0) nudge(rt, process);
  if (process.hibernateWhenIdle) {
    process.hibernateWhenIdle = false;
    core.hibernate(id); // BadState (not idle) leaves the ring: it is in use again
  }
}

/**
 * Emits the flow-control events of the messages just taken out
 * (`mailbox/shedding.ts`); false when a handler of them killed the process
 * (its run is over).
 */
function reported(rt: Runtime, process: Process, flow: MailboxFlow): boolean {
  flowReport(rt, process, flow);
  return process.life !== Life.Dead;
}

/** Handles the urgent messages of a suspended process, in order: how many. */
function runUrgent(rt: Runtime, process: Process): number {
  const urgent = process.urgent;
  if (urgent === undefined) return 0;
  let handled = 0;
  while (urgent.length > 0 && process.life !== Life.Dead && !process.busy) {
    const { kind, payload } = urgent.shift()!;
    handled++;
    rt.lastKind = kind;
    try {
      handle(rt, process, kind, payload);
    } catch (error) {
      contain(rt, process, error);
    }
  }
  if (urgent.length === 0 && process.urgent === urgent) process.urgent = undefined;
  rt.sched.messages += handled;
  return handled;
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
  if (process.life === Life.Dead || process.busy) return;
  if (process.suspended) {
    if (process.urgent !== undefined) nudge(rt, process);
    return;
  }
  if (rt.core.stat(process.coreId, Stat.State) === ActorState.Blocked) {
    rt.core.wake(process.coreId);
  }
  if (process.overflow !== undefined && process.overflow.length > 0) nudge(rt, process);
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
