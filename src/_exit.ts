/**
 * How a process ends (internal): terminate, crash, kill, and removing
 * every trace of it (mailbox, names, timers, calls, links, monitors).
 *
 * The exit path is failure-proof: every clean-up step runs in its own `try`
 * (a registry whose `unregisterName` throws, a tracer that throws, a
 * telemetry handler that throws cannot skip the steps after it), and the
 * exit signals an exit sends to links are queued and delivered by one loop
 * (`drainSignals`), so a long chain of links never deepens the stack.
 *
 * @module
 */

import { ExitError, NoProcError, ThenableReasonError } from "./errors.ts";
import { type ExitReason, isCleanExit } from "./exit_reason.ts";
import { Life, type Process } from "./_process.ts";
import type { PendingCall } from "./_pending_call.ts";
import { INDEX_MASK, type Runtime } from "./_runtime.ts";
import { abandonPark, park, thenOf } from "./_callbacks.ts";
import { settleCall } from "./_delivery.ts";
import { notifyDown, removeLinks, signal } from "./_signals.ts";
import { cleanStart, initFailed } from "./_start.ts";
import { stackOf } from "./_inspect.ts";
import {
  callbackException,
  callbackStart,
  callbackStop,
  KIND_TERMINATE,
  NO_KIND,
  processExited,
  takeToken,
  traced,
} from "./_instrument.ts";

/**
 * Stops by a result or a stop request: terminate(reason), then exit.
 * Returns true when terminate's Promise is now in flight.
 */
export function terminate(
  rt: Runtime,
  process: Process,
  reason: ExitReason,
  callback: string | undefined,
  message: unknown,
): boolean {
  if (process.life !== Life.Alive) return false;
  process.life = Life.Exiting;
  const terminate = process.server.terminate;
  if (typeof terminate === "function") {
    process.callback = "terminate";
    process.queueTime = 0;
    callbackStart(rt, process, KIND_TERMINATE);
    let result: unknown;
    try {
      result = rt.tracer === undefined
        ? terminate.call(process.server, reason, process.state, process.context)
        : traced(rt, process, callTerminate, process, reason);
    } catch (error) {
      // A terminate that throws replaces the reason, as in OTP.
      callbackException(rt, process, error);
      exitWith(rt, process, error, "terminate", message);
      return false;
    }
    // terminate's result is ignored, but a Promise is waited for.
    const then = thenOf(result);
    if (typeof then === "function") {
      park(
        rt,
        process,
        result as object,
        then,
        () => {
          callbackStop(rt, process);
          exitWith(rt, process, reason, callback, message);
        },
        (error) => {
          callbackException(rt, process, error);
          exitWith(rt, process, error, "terminate", message);
        },
      );
      return true;
    }
    callbackStop(rt, process);
  }
  exitWith(rt, process, reason, callback, message);
  return false;
}

/** Calls terminate (through the tracer). */
function callTerminate(process: Process, reason: ExitReason): unknown {
  return process.server.terminate!(reason, process.state, process.context);
}

/**
 * A callback threw or returned a bad value: terminate with that reason (or,
 * during init, fail the start). Returns true when terminate's Promise is now
 * in flight.
 */
export function crash(
  rt: Runtime,
  process: Process,
  callback: string,
  message: unknown,
  reason: unknown,
): boolean {
  process.callback = callback;
  process.message = message;
  if (process.life === Life.Starting) {
    initFailed(rt, process, reason);
    return false;
  }
  if (process.life !== Life.Alive) {
    exitWith(rt, process, reason, callback, message);
    return false;
  }
  return terminate(rt, process, reason, callback, message);
}

/**
 * Something threw while the kernel acted on this process's behalf (a value
 * it produced that could not be read, a hook that failed): the process
 * crashes with that error and dies alone. If even the crash path throws,
 * the process is removed without its terminate. Returns true when a
 * terminate Promise is now in flight.
 */
export function contain(rt: Runtime, process: Process, error: unknown): boolean {
  try {
    return crash(rt, process, process.callback ?? "kernel", process.message, error);
  } catch (second) {
    finalize(rt, process, second);
    return false;
  }
}

/**
 * The reason a process exits with, as every observer will see it: itself,
 * or a {@linkcode ThenableReasonError} in place of a thenable (which
 * `whenExited`, a stop or a task's result would otherwise adopt).
 */
export function usableReason(reason: ExitReason): ExitReason {
  return thenOf(reason) === undefined ? reason : new ThenableReasonError(reason);
}

/** Exits with `reason`, with a crash report unless it is clean or `killed`. */
export function exitWith(
  rt: Runtime,
  process: Process,
  reason: ExitReason,
  callback: string | undefined,
  message: unknown,
): void {
  reason = usableReason(reason);
  if (!isCleanExit(reason) && reason !== "killed") {
    report(rt, process, callback ?? process.callback, message ?? process.message, reason);
  }
  finalize(rt, process, reason);
}

/** Dies at once, without terminate (exit signals, kill). */
export function die(
  rt: Runtime,
  process: Process,
  reason: ExitReason,
  _from: Process | undefined,
  startError?: ExitReason,
): void {
  if (process.life === Life.Dead) return;
  reason = usableReason(reason);
  if (process.life === Life.Starting && process.startReject) {
    const reject = process.startReject;
    cleanStart(rt, process, reason);
    reject(new ExitError(String(process.pid), startError ?? reason, "failed to start"));
    return;
  }
  finalize(rt, process, reason);
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
  rt.system.report({
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
function cleanupFailed(rt: Runtime, process: Process, step: string, error: unknown): void {
  try {
    report(rt, process, step, undefined, error);
  } catch {
    // The report itself failed: nothing more can be told.
  }
}

/**
 * Removes every trace of a process and tells its links, monitors and
 * waiters. From the first line on the process is dead: whatever its
 * pending callback does afterwards goes nowhere.
 */
export function finalize(rt: Runtime, process: Process, reason: ExitReason): void {
  if (process.life === Life.Dead) return;
  reason = usableReason(reason);
  process.life = Life.Dead;
  process.exitReason = reason;
  abandonPark(rt, process); // a callback Promise still pending will be ignored
  process.state = undefined;
  // Killed in the middle of a callback: its span ends with the exit reason.
  if (process.spanKind !== NO_KIND) {
    try {
      callbackException(rt, process, reason);
    } catch (error) {
      cleanupFailed(rt, process, "tracer", error);
    }
    process.spanKind = NO_KIND;
    rt.stamp = -1; // not the start of anything: this is not a run
  }
  process.traceToken = undefined;
  process.traceScope = undefined;
  freeMailbox(rt, process);
  if (process.via) {
    const via = process.via;
    process.via = undefined;
    try {
      via.via.unregisterName(via.key, process.pid);
    } catch (error) {
      cleanupFailed(rt, process, "unregisterName", error);
    }
  }
  if (process.startReject !== undefined) {
    // A start still waiting on this process (an exit no start path saw) settles now.
    const reject = process.startReject;
    process.startResolve = undefined;
    process.startReject = undefined;
    reject(new ExitError(String(process.pid), reason, "failed to start"));
  }
  for (const timer of [...process.timers]) rt.timerService.cancel(timer);
  process.initTimer = 0;
  releaseCalls(rt, process, reason);
  // Links first, then monitors, as the BEAM sends them.
  const linkReason = reason === "kill" ? "killed" : reason;
  for (const other of removeLinks(rt, process)) {
    rt.signals.push(other, process, linkReason);
  }
  releaseMonitors(rt, process, reason);
  const waiters = process.exitWaiters.splice(0);
  for (const waiter of waiters) {
    try {
      waiter(reason);
    } catch (error) {
      cleanupFailed(rt, process, "exit waiter", error);
    }
  }
  process.queuedDowns.clear();
  try {
    processExited(rt, process, reason);
  } catch (error) {
    cleanupFailed(rt, process, "telemetry", error);
  }
  drainSignals(rt);
}

/** Drops its queued messages, frees its core actor and its names. */
function freeMailbox(rt: Runtime, process: Process): void {
  const core = rt.core;
  const id = process.coreId;
  const tracing = rt.tracer !== undefined;
  for (let slot = core.dequeue(id); slot >= 0; slot = core.dequeue(id)) {
    rt.payloads[slot] = undefined;
    if (tracing) takeToken(rt, slot);
  }
  core.free(id);
  rt.byIndex[id & INDEX_MASK] = undefined;
  rt.bySerial.delete(process.pid.serial);
  if (process.name !== undefined && rt.names.get(process.name) === process) {
    rt.names.delete(process.name);
  }
  process.overflow.length = 0;
  process.urgent = undefined;
}

/**
 * Callers waiting on it get its exit (`NoProcError` for `noproc`, else an
 * `ExitError`); the calls it was waiting on itself are dropped: their
 * replies go nowhere, and its pending `call` rejects (its continuation runs
 * with a context that does nothing).
 */
function releaseCalls(rt: Runtime, process: Process, reason: ExitReason): void {
  for (const call of [...process.inboundCalls]) {
    settleCall(rt, call);
    rejectCall(
      rt,
      process,
      call,
      () =>
        reason === "noproc"
          ? new NoProcError(String(process.pid))
          : new ExitError(String(process.pid), reason),
    );
  }
  const outbound = process.outboundCalls;
  if (outbound === undefined) return;
  process.outboundCalls = undefined;
  for (const call of outbound) {
    if (rt.calls.get(call.from.callId) !== call) continue;
    settleCall(rt, call);
    rejectCall(
      rt,
      process,
      call,
      () => new ExitError(String(process.pid), reason, "exited while calling"),
    );
  }
}

/** Rejects a caller with the error `make` builds (or with what building it threw). */
function rejectCall(rt: Runtime, process: Process, call: PendingCall, make: () => Error): void {
  let error: unknown;
  try {
    error = make();
  } catch (thrown) {
    error = thrown;
  }
  try {
    call.reject(error);
  } catch (thrown) {
    cleanupFailed(rt, process, "tracer", thrown);
  }
}

/** Drops the monitors it holds; tells everyone monitoring it. */
function releaseMonitors(rt: Runtime, process: Process, reason: ExitReason): void {
  const counts = rt.counts;
  for (const [ref, target] of process.monitoring) {
    if (target.monitoredBy.delete(ref)) counts.monitors--;
  }
  counts.monitorHolders -= process.monitoring.size;
  process.monitoring.clear();
  for (const [ref, watcher] of process.monitoredBy) {
    if (watcher.kind === "callback") {
      if (rt.externalMonitors.delete(ref)) counts.monitorHolders--;
    } else if (watcher.process.monitoring.delete(ref)) {
      counts.monitorHolders--;
    }
    counts.monitors--;
    try {
      notifyDown(rt, watcher, process.pid, reason);
    } catch (error) {
      cleanupFailed(rt, process, "monitor", error);
    }
  }
  process.monitoredBy.clear();
}

/**
 * Delivers queued exit signals until none is left. Only the outermost call
 * loops: an exit caused by a signal queues its own signals behind.
 */
export function drainSignals(rt: Runtime): void {
  if (rt.propagating) return;
  rt.propagating = true;
  const queue = rt.signals;
  try {
    while (rt.signalHead < queue.length) {
      const head = rt.signalHead;
      const target = queue[head] as Process;
      const from = queue[head + 1] as Process;
      const reason = queue[head + 2] as ExitReason;
      queue[head] = queue[head + 1] = queue[head + 2] = undefined;
      rt.signalHead = head + 3;
      try {
        signal(rt, target, from, reason, false);
      } catch (error) {
        contain(rt, target, error);
      }
    }
  } finally {
    queue.length = 0;
    rt.signalHead = 0;
    rt.propagating = false;
  }
}
