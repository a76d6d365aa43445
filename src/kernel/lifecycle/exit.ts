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

import { ExitError, ThenableReasonError } from "../../errors.ts";
import { type ExitReason, isCleanExit } from "../../exit_reason.ts";
import { Life, type Process } from "../state/process.ts";
import { lookup, type Runtime } from "../state/runtime.ts";
import type { ExitHook } from "../state/ports.ts";
import { removeLink, removeLinks } from "./links.ts";
import { abandonPark, park } from "./park.ts";
import { thenOf } from "../../_thenable.ts";
import {
  callbackException,
  callbackFailed,
  callbackStart,
  callbackStop,
  cleanupFailed,
  processExited,
  report,
  traced,
} from "../probes/instrument.ts";
import { KIND_TERMINATE, NO_KIND } from "../state/probes.ts";
import { ExitMessage } from "../../system_messages.ts";
import { type Pid, samePid } from "../../pid.ts";
import { deliverSystem, deliverUrgent, isPid, portOf } from "../mailbox/delivery.ts";
import { describeValue } from "../../_inspect.ts";
import { K_EXIT } from "../state/envelopes.ts";
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
  const behaviour = process.behaviour;
  if (behaviour.terminates()) {
    process.callback = behaviour.callbackNames.terminate;
    process.queueTime = 0;
    callbackStart(rt, process, KIND_TERMINATE);
    let result: unknown;
    try {
      result = rt.tracer === undefined
        ? behaviour.terminate(reason, process.state, process.context)
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
  return process.behaviour.terminate(reason, process.state, process.context);
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
  // Every subsystem's clean-up, in the order kernel.ts registered them; each
  // runs even when one before it threw (the failure is reported).
  const hooks = rt.exitHooks;
  for (let i = 0; i < hooks.length; i++) {
    try {
      hooks[i].run(rt, process, reason);
    } catch (error) {
      cleanupFailed(rt, process, hooks[i].step, error);
    }
  }
  drainSignals(rt);
}

/**
 * Delivers queued exit signals until none is left. Only the outermost call
 * loops: an exit caused by a signal queues its own signals behind.
 */
export function drainSignals(rt: Runtime): void {
  const queue = rt.signals;
  // Most exits signal no link: nothing to loop over, and no array length to
  // set (which V8 does not make free even on an empty array).
  if (rt.propagating || queue.length === 0) return;
  rt.propagating = true;
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

/** An exit signal reaches `process` (from a link or `exit`). */
export function signal(
  rt: Runtime,
  process: Process,
  from: Process | undefined,
  reason: ExitReason,
  fromSelf: boolean,
  fromPid?: Pid,
): void {
  if (process.life === Life.Dead) return;
  if (process.trapExit && reason !== "kill") {
    const exit = new ExitMessage(from?.pid ?? fromPid, reason);
    // The parent's exit ends a suspended process too, as OTP's system messages do.
    if (process.suspended && process.parent !== undefined && samePid(exit.from, process.parent)) {
      deliverUrgent(rt, process, K_EXIT, exit);
    } else {
      deliverSystem(rt, process, K_EXIT, exit);
    }
    return;
  }
  if (reason === "normal" && !fromSelf) return;
  die(rt, process, reason === "kill" ? "killed" : reason, from);
}
/** An exit signal from a process (or from outside: `sender` undefined). */
export function exitFrom(
  rt: Runtime,
  sender: Process | undefined,
  pid: Pid,
  reason: ExitReason,
): void {
  if (!isPid(pid)) throw new TypeError(`exit: pid must be a Pid, got ${describeValue(pid)}`);
  const process = lookup(rt, pid);
  if (!process) {
    // Through the routing seam: a pid of another node gets the signal where it lives.
    const port = portOf(rt, pid);
    if (port === undefined) return;
    try {
      port.exit(sender?.pid, reason);
    } catch (error) {
      callbackFailed(rt, "remote exit", error);
    }
    return;
  }
  if (reason === "kill") {
    die(rt, process, "killed", undefined);
    return;
  }
  signal(rt, process, sender, reason, sender === process);
}

/**
 * init failed: the start rejects, the process exits, and it signals no link
 * to its parent. A crash (throw, rejection, bad value) is reported, unless
 * its reason is clean; a deliberate `stop(reason)` passes `reported = false`.
 */
export function initFailed(rt: Runtime, process: Process, reason: unknown, reported = true): void {
  reason = usableReason(reason);
  const reject = process.startReject;
  if (reported && !isCleanExit(reason) && reason !== "killed") {
    report(rt, process, "init", undefined, reason);
  }
  cleanStart(rt, process, reason);
  reject?.(new ExitError(String(process.pid), reason, "failed to start"));
}
/**
 * Removes a process whose start failed. Only the link to its parent goes
 * first (a failed start is not a crash of the parent: OTP's init_fail); the
 * processes it linked to itself during init get its exit signal, as OTP's
 * would, so nothing it started is orphaned.
 */
export function cleanStart(rt: Runtime, process: Process, reason: ExitReason): void {
  process.startResolve = undefined;
  process.startReject = undefined;
  const parent = process.parent === undefined ? undefined : rt.bySerial.get(process.parent.serial);
  if (parent !== undefined && samePid(parent.pid, process.parent)) removeLink(rt, parent, process);
  // A parent across the seam (a start from another scheduler): no signal either.
  if (process.parent !== undefined && process.remote?.links.delete(String(process.parent))) {
    if (process.remote.empty) {
      process.remote = undefined;
      rt.remoteHolders.delete(process);
    }
  }
  finalize(rt, process, reason);
}

/** Exit hook: whoever waits for the exit (stop, whenExited) learns the reason. */
export const WAITERS_EXIT_HOOK: ExitHook = {
  step: "exit waiter",
  run(rt, process, reason) {
    const waiters = process.exitWaiters;
    if (waiters === undefined) return;
    process.exitWaiters = undefined;
    for (const waiter of waiters) {
      try {
        waiter(reason);
      } catch (error) {
        cleanupFailed(rt, process, "exit waiter", error);
      }
    }
  },
};

/** Exit hook: a start still waiting on the process (an exit no start path saw) settles now. */
export const START_EXIT_HOOK: ExitHook = {
  step: "start",
  run(_rt, process, reason) {
    if (process.startReject === undefined) return;
    const reject = process.startReject;
    process.startResolve = undefined;
    process.startReject = undefined;
    reject(new ExitError(String(process.pid), reason, "failed to start"));
  },
};

/** Exit hook: `beamlet.process.exit`. */
export const TELEMETRY_EXIT_HOOK: ExitHook = {
  step: "telemetry",
  run(rt, process, reason) {
    processExited(rt, process, reason);
  },
};

/** Exit hook: the exit signal goes to every linked process (queued, delivered by `drainSignals`). */
export const LINKS_EXIT_HOOK: ExitHook = {
  step: "links",
  run(rt, process, reason) {
    const linkReason = reason === "kill" ? "killed" : reason;
    for (const other of removeLinks(rt, process)) rt.signals.push(other, process, linkReason);
  },
};
