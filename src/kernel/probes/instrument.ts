/**
 * The runtime's own telemetry and tracing (internal): which built-in events
 * have handlers (cached, refreshed when handlers change), and the emitters
 * the kernel calls. Every emitter starts with a boolean check, so with
 * nothing attached instrumentation costs a field read per callback.
 *
 * @module
 */

import { Stat } from "../../core/core.ts";
import { PROCESS_EXIT, PROCESS_START } from "../../telemetry/catalog/process_events.ts";
import {
  CALL_EXPIRED,
  MAILBOX_DROPPED,
  MAILBOX_REFUSED,
  SCHEDULER_SLICE,
  TABLE_SIZE,
} from "../../telemetry/catalog/runtime_events.ts";
import type { Report } from "../../logger.ts";
import type { TracedKind } from "../../tracing/message_tracer.ts";
import { KIND_NAMES, NO_KIND, type Probes, TRACED_KINDS } from "../state/probes.ts";
import type { ExitReason } from "../../exit_reason.ts";
import type { Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";
import { stackOf } from "../../_inspect.ts";
import { batchStart, batchStop, closeBatch } from "./_callback_batch.ts";
import type { PendingCall } from "../state/pending_call.ts";

/**
 * The clock reading for a callback that begins now: the stop time of the
 * callback that just ended in the same run, when there is one (one clock
 * read per message instead of two), else a fresh reading.
 */
function startTime(rt: Runtime): number {
  const stamp = rt.stamp;
  if (stamp >= 0) {
    rt.stamp = -1;
    return stamp;
  }
  return rt.clock.now();
}

/**
 * A callback of kind index `kind` begins. `queueTime` was taken when its
 * message was dequeued (0 for runtime messages). With a tracer, opens the
 * handling scope.
 */
export function callbackStart(rt: Runtime, process: Process, kind: number): void {
  if (!rt.timing) return;
  const probes = rt.probes;
  process.spanKind = kind;
  if (probes.batched[kind] && rt.current === process) {
    // Only aggregators listen, and the scheduler's run will deliver: count it.
    batchStart(rt, probes, process, kind);
    return;
  }
  const token = process.traceToken;
  if (token !== undefined) {
    process.traceToken = undefined;
    const traced = TRACED_KINDS[kind];
    if (probes.tracer !== undefined && traced !== undefined) {
      try {
        process.traceScope = probes.tracer.handleStart(token, traced, process, process.queueTime);
      } catch (error) {
        callbackFailed(rt, "tracer handleStart", error);
      }
    }
  }
  if (!probes.callbacks) return;
  const now = startTime(rt);
  process.spanStart = now;
  // The batch open (of another kind) ends here: this callback's time is not its.
  if (probes.batch.process !== undefined) closeBatch(probes, now);
  const event = probes.start[kind];
  if (!event.active) return;
  event.emit(
    { monotonic_time: now, queue_time: process.queueTime },
    { pid: process.pid, name: process.name, kind: KIND_NAMES[kind] },
  );
}

/** The callback begun last returned (or its Promise resolved). */
export function callbackStop(rt: Runtime, process: Process): void {
  const kind = process.spanKind;
  if (kind === NO_KIND) return;
  process.spanKind = NO_KIND;
  const probes = rt.probes;
  const batch = probes.batch;
  if (batch.process === process && batch.kind === kind && rt.current === process) {
    batchStop(rt, batch); // counted at its start: stops in the same run
    return;
  }
  endTrace(rt, probes, process, undefined);
  if (!probes.callbacks) return;
  const now = rt.clock.now();
  rt.stamp = now;
  const event = probes.stop[kind];
  if (!event.active) return;
  event.emit(
    { monotonic_time: now, duration: now - process.spanStart, queue_time: process.queueTime },
    { pid: process.pid, name: process.name, kind: KIND_NAMES[kind] },
  );
}

/** The callback begun last threw (or its Promise rejected). */
export function callbackException(rt: Runtime, process: Process, reason: unknown): void {
  const kind = process.spanKind;
  if (kind === NO_KIND) return;
  process.spanKind = NO_KIND;
  const probes = rt.probes;
  endTrace(rt, probes, process, reason ?? new Error(String(reason)));
  if (!probes.callbacks) return;
  const now = rt.clock.now();
  rt.stamp = now;
  // The callbacks counted before it, up to now: its time is not theirs.
  if (probes.batch.process === process) closeBatch(probes, now);
  const event = probes.exception[kind];
  if (!event.active) return;
  event.emit(
    { monotonic_time: now, duration: now - process.spanStart, queue_time: process.queueTime },
    {
      pid: process.pid,
      name: process.name,
      kind: KIND_NAMES[kind],
      reason,
      stacktrace: stackOf(reason),
    },
  );
}

function endTrace(rt: Runtime, probes: Probes, process: Process, error: unknown): void {
  if (probes.tracer === undefined || process.traceScope === undefined) return;
  const scope = process.traceScope;
  process.traceScope = undefined;
  try {
    probes.tracer.handleEnd(scope, error);
  } catch (thrown) {
    callbackFailed(rt, "tracer handleEnd", thrown);
  }
}

/**
 * Runs a callback through the tracer, inside the scope of the message it
 * handles, or (scope undefined) a clean one, so nothing leaks in from
 * whoever woke the scheduler.
 */
export function traced<A extends unknown[], R>(
  rt: Runtime,
  process: Process,
  fn: (...args: A) => R,
  ...args: A
): R {
  const tracer = rt.probes.tracer;
  if (tracer === undefined) return fn(...args);
  return tracer.run(process.traceScope, fn, ...args);
}

/** A message is about to be dequeued: note how long it waited. */
export function noteQueueTime(rt: Runtime, process: Process): void {
  if (!rt.probes.queueTime) return; // only batch handlers listen: none reads it
  const enqueuedAt = rt.core.stat(process.coreId, Stat.OldestEnqueuedAt);
  const waited = rt.core.now() - enqueuedAt;
  process.queueTime = waited > 0 ? waited : 0;
}

/** The tracer's token for a message accepted by `process`'s mailbox. */
export function traceSend(rt: Runtime, kind: TracedKind, process: Process): unknown {
  try {
    return rt.probes.tracer!.send(kind, process);
  } catch (error) {
    // A tracer that throws loses this message's trace, never the message.
    callbackFailed(rt, "tracer send", error);
    return undefined;
  }
}

const MESSAGE_KIND = [
  "",
  "init",
  "call",
  "cast",
  "info",
  "stop",
  "down",
  "exit",
  "timeout",
  "noop",
];

/** A mailbox refused or dropped a message. */
export function mailboxEvent(
  rt: Runtime,
  process: Process,
  refused: boolean,
  policy: "reject" | "drop_newest" | "drop_oldest" | "out_of_memory",
  kind: number,
): void {
  rt.telemetry.execute(
    refused ? MAILBOX_REFUSED : MAILBOX_DROPPED,
    { count: 1, queue_length: rt.core.stat(process.coreId, Stat.Length) },
    { pid: process.pid, name: process.name, policy, message_kind: MESSAGE_KIND[kind] ?? "unknown" },
  );
}

/** A process record was created. */
export function processStarted(rt: Runtime, process: Process): void {
  if (!rt.probes.process) return;
  rt.telemetry.execute(PROCESS_START, {
    monotonic_time: rt.clock.now(),
    system_time: Date.now(),
  }, { pid: process.pid, name: process.name, parent: process.parent });
}

/** A process is gone. */
export function processExited(rt: Runtime, process: Process, reason: ExitReason): void {
  if (!rt.probes.process) return;
  const now = rt.clock.now();
  rt.telemetry.execute(PROCESS_EXIT, {
    monotonic_time: now,
    lifetime: rt.now() - process.startedAt,
  }, { pid: process.pid, name: process.name, reason });
}

/** Stores the tracer's token of a cast or send accepted into `slot`. */
export function keepToken(rt: Runtime, slot: number, token: unknown): void {
  const tokens = rt.traceTokens;
  while (tokens.length <= slot) tokens.push(undefined);
  tokens[slot] = token;
}

/** Takes (and clears) the token of the message dequeued from `slot`. */
export function takeToken(rt: Runtime, slot: number): unknown {
  const tokens = rt.traceTokens;
  if (slot >= tokens.length) return undefined;
  const token = tokens[slot];
  tokens[slot] = undefined;
  return token;
}

/**
 * A scheduler run ended (`reason`: nothing left, or the slice was used up):
 * count it, and execute `beamlet.scheduler.slice` and, at most once a second,
 * `beamlet.system.table_size`.
 */
export function sliceEnded(
  rt: Runtime,
  start: number,
  end: number,
  reason: "idle" | "yield",
  runs: number,
  messagesBefore: number,
): void {
  const s = rt.sched;
  closeBatch(rt.probes, end);
  const duration = end - start;
  const previousEnd = s.lastEnd;
  s.lastEnd = end;
  s.slices++;
  s.busy += duration;
  s.processRuns += runs;
  s.windowBusy += duration;
  if (end - s.windowStart >= 1000) {
    s.utilization = Math.min(1, s.windowBusy / (end - s.windowStart));
    s.windowStart = end;
    s.windowBusy = 0;
  }
  const probes = rt.probes;
  if (probes.scheduler) {
    const period = previousEnd < 0 ? duration : end - previousEnd;
    const core = rt.core;
    rt.telemetry.execute(SCHEDULER_SLICE, {
      duration,
      utilization: period > 0 ? Math.min(1, duration / period) : 1,
      run_queue_length: core.runQueueLength(0) + core.runQueueLength(1) + core.runQueueLength(2),
      processes: runs,
      messages: s.messages - messagesBefore,
    }, { reason });
  }
  if (probes.tableSize && end - s.lastTableSize >= 1000) {
    s.lastTableSize = end;
    rt.telemetry.execute(TABLE_SIZE, {
      processes: rt.bySerial.size,
      names: rt.names.size,
      calls: rt.calls.size,
      timers: rt.timerService.size,
      slots_in_use: rt.core.slotsInUse(),
    });
  }
}

/** The system had no room for a message to `process` (its slot limit, or memory). */
export function outOfMemoryEvent(rt: Runtime, process: Process, kind: number): void {
  mailboxEvent(rt, process, true, "out_of_memory", kind);
}

/**
 * A call whose caller gave up while it was queued reached its server:
 * skipped, or `handled` anyway (`expiredCalls: "handle"`); counted either
 * way, and told.
 */
export function callExpired(
  rt: Runtime,
  process: Process,
  call: PendingCall,
  handled: boolean,
): void {
  rt.sched.expiredCalls++;
  if (!rt.probes.callExpired) return;
  rt.telemetry.execute(CALL_EXPIRED, {
    count: 1,
    timeout: call.timeout,
  }, { pid: process.pid, name: process.name, handled });
}

/**
 * A callback the runtime called for code outside any process (a monitor's
 * `onDown`, a `setTimer` callback) threw: reported through the logger, and
 * the runtime goes on.
 */
export function callbackFailed(rt: Runtime, callback: string, reason: unknown): void {
  sendReport(rt, { kind: "callback", callback, reason, stack: stackOf(reason) });
}

/** Sends a report through the system's logger; a logger that throws is ignored. */
export function sendReport(rt: Runtime, report: Report): void {
  const logger = rt.logger;
  if (!logger) return;
  try {
    logger.report(report);
  } catch {
    // A logger that throws must not take the runtime down with it.
  }
}

/** One crash report through the system logger (a throwing logger is ignored). */
export function report(
  rt: Runtime,
  process: Process,
  callback: string | undefined,
  message: unknown,
  reason: unknown,
): void {
  if (!rt.logger) return;
  sendReport(rt, {
    kind: "crash",
    pid: process.pid,
    name: process.name,
    reason,
    callback,
    message,
    stack: stackOf(reason),
  });
}
/**
 * Reports a clean-up step that threw while `process` exited (a registry's
 * `unregisterName`, a tracer): the exit goes on; the failure is not lost.
 */
export function cleanupFailed(rt: Runtime, process: Process, step: string, error: unknown): void {
  try {
    report(rt, process, step, undefined, error);
  } catch {
    // The report itself failed: nothing more can be told.
  }
}
