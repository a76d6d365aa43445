/**
 * Calls (internal): a request delivered with a pending call beside it, its
 * deadline in a queue swept by one timer (`state/call_deadlines.ts`), and
 * the reply that settles it — or the timeout, the server's exit, or the
 * mailbox's refusal that fails it.
 *
 * @module
 */

import {
  CallAbortedError,
  CallingSelfError,
  CallTimeoutError,
  ExitError,
  NoProcError,
  OverloadedError,
  ReplyRejectedError,
  SystemLimitError,
} from "../../errors.ts";
import { From } from "../../from.ts";
import type { CallOptions, Delivery, MailboxPort, Target } from "../../options.ts";
import type { Pid } from "../../pid.ts";
import { K_CALL } from "../state/envelopes.ts";
import type { Process } from "../state/process.ts";
import { linkCall, PendingCall } from "../state/pending_call.ts";
import { TimerKind } from "../state/timers.ts";
import type { Runtime } from "../state/runtime.ts";
import type { ExitHook } from "../state/ports.ts";
import { callbackFailed, cleanupFailed, traceSend } from "../probes/instrument.ts";
import {
  deliver,
  noProc,
  portOf,
  resolve,
  settleCall,
  targetName,
  wakeUpAt,
} from "../mailbox/delivery.ts";
import { checkOptionsObject, readOptions, timeoutOf } from "../../_options.ts";
import { describeValue } from "../../_inspect.ts";
import { thenError, thenOf } from "../../_thenable.ts";
import type { MessageTracer } from "../../tracing/message_tracer.ts";
import type { ExitReason } from "../../exit_reason.ts";
import { checkSignal, isAborted, listen, reasonOf, unlisten } from "./abort_signals.ts";
import { callFailed } from "./handler_signal.ts";
import { callAnswered } from "./_latency.ts";

const DEFAULT_CALL_TIMEOUT = 5000;

/**
 * `call` from a process (or from outside: `sender` undefined). Everything is
 * checked before the request is delivered: a bad timeout or signal, a signal
 * already aborted, an unknown target, a call to oneself (from a process, or
 * from outside while that very process's callback runs), a full timer table.
 */
export function callFrom(
  rt: Runtime,
  sender: Process | undefined,
  target: Target,
  request: unknown,
  options: CallOptions | undefined,
  caller?: Pid,
): Promise<unknown> {
  let timeout: number;
  let signal: AbortSignal | undefined = undefined;
  let process: Process | undefined;
  try {
    if (options === undefined) timeout = DEFAULT_CALL_TIMEOUT;
    else {
      timeout = readOptions("call: options", () => {
        checkOptionsObject("call: options", options);
        return timeoutOf("call: timeout", options.timeout, DEFAULT_CALL_TIMEOUT);
      });
      signal = readOptions("call: options", () => checkSignal("call: signal", options.signal));
      if (signal !== undefined && isAborted(signal)) {
        return Promise.reject(new CallAbortedError(targetName(target), request, reasonOf(signal)));
      }
    }
    process = resolve(rt, target);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!process) {
    const port = rt.remote === undefined ? undefined : portOf(rt, target);
    if (port !== undefined) return callRemote(rt, port, sender, target, request, timeout, signal);
    return Promise.reject(noProc(target));
  }
  if (process === sender || (sender === undefined && process === rt.current)) {
    return Promise.reject(new CallingSelfError(targetName(target)));
  }
  const found = process;
  return new Promise((settleValue, settleError) => {
    let resolve = settleValue;
    let reject = settleError;
    const tracer = rt.tracer;
    if (tracer !== undefined) {
      // The caller settles whatever the tracer does; a tracer that throws
      // is reported, and the code that settled the call goes on.
      resolve = (value) => {
        endCall(rt, tracer, call.trace, undefined);
        settleValue(value);
      };
      reject = (error) => {
        endCall(rt, tracer, call.trace, error);
        settleError(error);
      };
    }
    let onAbort: (() => void) | undefined = undefined;
    if (signal !== undefined) {
      // Settled one way or another, the call stops listening: a signal
      // shared by many calls keeps no listener per call it outlived.
      const settled = resolve;
      const failed = reject;
      const watched = signal;
      const stop = onAbort = () => abortCall(rt, call, watched);
      resolve = (value) => {
        unlisten(watched, stop);
        settled(value);
      };
      reject = (error) => {
        unlisten(watched, stop);
        failed(error);
      };
    }
    // `caller`: a process across the routing seam that made this call (its `from.pid`).
    const from = new From(sender?.pid ?? caller, rt.nextCallId++, rt.node);
    const call = new PendingCall(from, request, found, timeout, resolve, reject, sender);
    if (signal !== undefined) {
      // Listened to before delivery: a platform that refuses the listener
      // refuses the call, and nothing was sent.
      try {
        if (isAborted(signal)) {
          settleError(new CallAbortedError(String(found.pid), request, reasonOf(signal)));
          return;
        }
        listen(signal, onAbort!);
      } catch (error) {
        settleError(new TypeError("call: signal refused a listener", { cause: error }));
        return;
      }
    }
    // `beamlet.call.latency` (`_latency.ts`): the one handler check of a call.
    const measured = rt.probes.callLatency;
    if (timeout !== Infinity) {
      // One clock reading per call: its deadline, and the core clock's catch-up
      // when this call wakes an idle system (its enqueue time, its age).
      const now = rt.now();
      if (measured) call.madeAt = now;
      if (!rt.scheduled && !rt.running) wakeUpAt(rt, now);
      call.deadline = now + timeout;
      if (call.deadline < rt.deadlines.due) {
        try {
          armSweep(rt, call.deadline);
        } catch (error) {
          if (signal !== undefined) unlisten(signal, onAbort!);
          settleError(error); // the timer table is full: nothing was delivered
          return;
        }
      }
    } else if (measured) call.madeAt = rt.now();
    const outcome = deliver(rt, found, K_CALL, call);
    if (outcome !== "ok") {
      call.settled = true;
      if (signal !== undefined) unlisten(signal, onAbort!);
      settleError(callRefusal(rt, found, target, outcome));
      return;
    }
    if (tracer !== undefined) call.trace = traceSend(rt, "call", found);
    rt.calls.add(call);
    linkCall(call);
    if (timeout !== Infinity) {
      const deadlines = rt.deadlines;
      deadlines.add(call);
      if (deadlines.pending === 1) rt.timerService.setWeak(deadlines.timer, false);
    }
  });
}

/**
 * A call's signal aborted: unless it is already settled, its caller gets a
 * `CallAbortedError` with the signal's reason (a reply that comes later is
 * dropped) and its handler's signal aborts.
 */
function abortCall(rt: Runtime, call: PendingCall, signal: AbortSignal): void {
  if (call.settled) return;
  settleCall(rt, call);
  const error = new CallAbortedError(String(call.target.pid), call.request, reasonOf(signal));
  callFailed(call, error);
  call.reject(error);
}

/** Sets the sweep timer for `due` (runtime clock), earlier than the one set, if any. */
function armSweep(rt: Runtime, due: number): void {
  const deadlines = rt.deadlines;
  const timer = rt.timerService.scheduleAt(due, { kind: TimerKind.CallTimeout, deadline: 0 });
  if (deadlines.timer !== 0) rt.timerService.cancel(deadlines.timer);
  deadlines.timer = timer;
  deadlines.due = due;
  rt.timerService.setWeak(timer, deadlines.pending === 0);
}

/**
 * The sweep timer fired: every call whose deadline has passed fails with a
 * `CallTimeoutError` (its reply, if one comes, is dropped; its handler's
 * signal aborts), and the timer is set again for the earliest deadline
 * still pending.
 */
export function sweepDeadlines(rt: Runtime): void {
  const deadlines = rt.deadlines;
  deadlines.timer = 0;
  deadlines.due = Infinity;
  const next = deadlines.sweep(rt.now(), (call) => {
    settleCall(rt, call);
    const error = new CallTimeoutError(String(call.target.pid), call.request, call.timeout);
    callFailed(call, error);
    call.reject(error);
  });
  // A call made during the sweep (a tracer's) may have set an earlier timer.
  if (next < deadlines.due) armSweep(rt, next);
}

/** Tells the tracer a call ended (a tracer that throws is reported, not thrown). */
function endCall(rt: Runtime, tracer: MessageTracer, token: unknown, error: unknown): void {
  try {
    tracer.callEnd(token, error);
  } catch (thrown) {
    callbackFailed(rt, "tracer callEnd", thrown);
  }
}

/** Why a call's request was not delivered, as the error its caller gets. */
function callRefusal(rt: Runtime, process: Process, target: Target, outcome: Delivery): Error {
  switch (outcome) {
    case "noproc":
      return noProc(target);
    case "out_of_memory":
      return new SystemLimitError(
        "queued_messages",
        `call to ${process.pid}: the system has no room for another queued message (${rt.core.slotsInUse()} queued, maxQueuedMessages ${rt.core.slotLimit})`,
      );
  }
  return new OverloadedError(String(process.pid), outcome === "dropped" ? "dropped" : "refused");
}

/**
 * A call to a pid of another node, through its port; a port that throws
 * rejects the call. With a signal, the caller stops waiting when it aborts
 * (the port's answer, when it comes, is dropped).
 */
function callRemote(
  rt: Runtime,
  port: MailboxPort,
  sender: Process | undefined,
  target: Target,
  request: unknown,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  let answer: Promise<unknown>;
  try {
    answer = Promise.resolve(
      port.call(request, new From(sender?.pid, rt.nextCallId++, rt.node), timeout),
    );
  } catch (error) {
    return Promise.reject(error);
  }
  if (signal === undefined) return answer;
  return new Promise((resolve, reject) => {
    let done = false;
    const onAbort = () => {
      if (done) return;
      done = true;
      reject(new CallAbortedError(targetName(target), request, reasonOf(signal)));
    };
    const settle = <T>(finish: (value: T) => void) => (value: T) => {
      if (done) return;
      done = true;
      unlisten(signal, onAbort);
      finish(value);
    };
    try {
      listen(signal, onAbort);
    } catch (error) {
      answer.catch(() => {}); // sent already: its outcome goes nowhere
      reject(new TypeError("call: signal refused a listener", { cause: error }));
      return;
    }
    if (isAborted(signal)) onAbort();
    answer.then(settle(resolve), settle(reject));
  });
}

/** Whether a value is a From (never throws). */
function isFrom(value: unknown): value is From {
  if (typeof value !== "object" || value === null) return false;
  try {
    return value instanceof From;
  } catch {
    return false;
  }
}

/** The call `from` stands for, while it waits for its reply (anything but a From finds none). */
export function pendingCallOf(rt: Runtime, from: From): PendingCall | undefined {
  if (!isFrom(from) || from.node !== rt.node) return undefined;
  const call = rt.calls.get(from.callId);
  return call === undefined || call.settled ? undefined : call;
}

/**
 * Replies to the caller `from` identifies; a reply to a call that is already
 * settled (answered, timed out, its server gone) is dropped. Anything but a
 * `From` given to `handleCall` is a TypeError.
 */
export function replyTo(rt: Runtime, from: From, value: unknown): void {
  if (!isFrom(from)) {
    throw new TypeError(
      `reply: from must be the From that handleCall received, got ${describeValue(from)}`,
    );
  }
  // Calls are found by value (node and call id, never reused), not by the From object.
  if (from.node !== rt.node) return;
  const call = rt.calls.get(from.callId);
  if (!call || call.answered) return;
  answer(rt, call, value, true);
}

/**
 * Replies to `call` with what its `handleCall` returned (`reply`, or `stop`
 * with a reply): as {@linkcode replyTo}, for the call in hand.
 */
export function replyReturned(rt: Runtime, call: PendingCall, value: unknown): void {
  if (call.settled || call.answered) return;
  answer(rt, call, value, false);
}

/**
 * Hands `value` to the caller. A Promise (any thenable) is awaited first, as
 * the caller's own `await` would, but as a deferred reply is in OTP: under
 * the call's deadline (a thenable that never settles ends in a
 * `CallTimeoutError`, not a caller waiting forever) and while the server
 * lives (its exit rejects the caller with an `ExitError`, as for any reply
 * still owed). No second reply answers it meanwhile; a rejection reaches the
 * caller as a `ReplyRejectedError`.
 */
function answer(rt: Runtime, call: PendingCall, value: unknown, deferred: boolean): void {
  const then = thenOf(value);
  if (then === undefined) {
    settleCall(rt, call);
    call.resolve(value);
    if (call.madeAt >= 0) callAnswered(rt, call, deferred);
    return;
  }
  call.answered = true;
  const pending = () => !call.settled;
  const fail = (error: unknown) => {
    if (!pending()) return;
    settleCall(rt, call);
    call.reject(new ReplyRejectedError(String(call.target.pid), error));
  };
  if (typeof then !== "function") {
    fail(thenError());
    return;
  }
  try {
    then.call(value, (resolved: unknown) => {
      if (pending()) answer(rt, call, resolved, deferred);
    }, fail);
  } catch (error) {
    fail(error);
  }
}

/**
 * Callers waiting on it get its exit (`NoProcError` for `noproc`, else an
 * `ExitError`); the calls it was waiting on itself are dropped: their
 * replies go nowhere, its pending `call` rejects (its continuation runs
 * with a context that does nothing), and the handlers working on them see
 * their signal abort.
 */
function releaseCalls(rt: Runtime, process: Process, reason: ExitReason): void {
  for (let call = process.inbound; call !== undefined; call = process.inbound) {
    settleCall(rt, call); // takes it off the list
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
  for (let call = process.outbound; call !== undefined; call = process.outbound) {
    settleCall(rt, call); // takes it off the list
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
  callFailed(call, error);
  try {
    call.reject(error);
  } catch (thrown) {
    cleanupFailed(rt, process, "tracer", thrown);
  }
}

/** Exit hook: callers waiting on the process, and the calls it made, are failed. */
export const CALLS_EXIT_HOOK: ExitHook = {
  step: "calls",
  run(rt, process, reason) {
    releaseCalls(rt, process, reason);
  },
};
