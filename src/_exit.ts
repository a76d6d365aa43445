/**
 * How a process ends (internal): terminate, crash, kill, and removing
 * every trace of it (mailbox, names, timers, calls, links, monitors).
 *
 * @module
 */

import { ExitError, NoProcError } from "./errors.ts";
import { type ExitReason, isCleanExit } from "./exit_reason.ts";
import { Life, type Process } from "./_process.ts";
import { INDEX_MASK, type Runtime } from "./_runtime.ts";
import { isPromise, park, unpark } from "./_callbacks.ts";
import { settleCall } from "./_delivery.ts";
import { notifyDown, signal } from "./_signals.ts";
import { cleanStart, initFailed } from "./_start.ts";
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

/** Stops by a result or a stop request: terminate(reason), then exit. */
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
  if (terminate) {
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
    if (isPromise(result)) {
      park(
        rt,
        process,
        result,
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

/** A callback threw or returned a bad value: terminate with that reason. */
export function crash(
  rt: Runtime,
  process: Process,
  callback: string,
  message: unknown,
  reason: unknown,
): void {
  process.callback = callback;
  process.message = message;
  if (process.life === Life.Starting) {
    initFailed(rt, process, reason);
    return;
  }
  if (process.life !== Life.Alive) {
    exitWith(rt, process, reason, callback, message);
    return;
  }
  terminate(rt, process, reason, callback, message);
}

/** Exits with `reason`, with a crash report unless it is clean or `killed`. */
export function exitWith(
  rt: Runtime,
  process: Process,
  reason: ExitReason,
  callback: string | undefined,
  message: unknown,
): void {
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
    stack: reason instanceof Error ? reason.stack : undefined,
  });
}

/** Removes every trace of a process and tells its links, monitors and waiters. */
export function finalize(rt: Runtime, process: Process, reason: ExitReason): void {
  if (process.life === Life.Dead) return;
  process.life = Life.Dead;
  process.exitReason = reason;
  unpark(rt, process); // a callback Promise still pending will be ignored
  // Killed in the middle of a callback: its span ends with the exit reason.
  if (process.spanKind !== NO_KIND) {
    callbackException(rt, process, reason);
    rt.stamp = -1; // not the start of anything: this is not a run
  }
  process.traceToken = undefined;
  process.state = undefined;
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
  if (process.via) process.via.via.unregisterName(process.via.key, process.pid);
  if (process.name !== undefined && rt.names.get(process.name) === process) {
    rt.names.delete(process.name);
  }
  process.overflow.length = 0;
  for (const timer of [...process.timers]) rt.timerService.cancel(timer);
  for (const call of [...process.inboundCalls]) {
    settleCall(rt, call);
    call.reject(
      reason === "noproc"
        ? new NoProcError(String(process.pid))
        : new ExitError(String(process.pid), reason),
    );
  }
  // Links first, then monitors, as the BEAM sends them.
  const linkReason = reason === "kill" ? "killed" : reason;
  const links = [...process.links];
  process.links.clear();
  for (const other of links) {
    other.links.delete(process);
    signal(rt, other, process, linkReason, false);
  }
  for (const [ref, target] of process.monitoring) target.monitoredBy.delete(ref);
  process.monitoring.clear();
  for (const [ref, watcher] of process.monitoredBy) {
    if (watcher.kind === "callback") rt.externalMonitors.delete(ref);
    else watcher.process.monitoring.delete(ref);
    notifyDown(rt, watcher, ref, process.pid, reason);
  }
  process.monitoredBy.clear();
  const waiters = process.exitWaiters.splice(0);
  for (const waiter of waiters) waiter(reason);
  process.queuedDowns.clear();
  processExited(rt, process, reason);
}
