/**
 * Applying a callback's result (internal): a synchronous result at once, a
 * Promise parked until it settles; the reply, the state, `continue`, an
 * idle `timeout`, `hibernate`, `stop`. Whatever the result is, it is read
 * once, field by field, inside a `try`: a bad one crashes the process with
 * a BadReturnValueError.
 *
 * @module
 */

import { BadReturnValueError } from "../../errors.ts";
import { Life, type Process } from "../state/process.ts";
import type { PendingCall } from "../state/pending_call.ts";
import { TimerKind } from "../state/timers.ts";
import type { Runtime } from "../state/runtime.ts";
import { replyReturned } from "../calls/calls.ts";
import { crash, terminate } from "../lifecycle/exit.ts";
import { callbackException, callbackStart, callbackStop, traced } from "../probes/instrument.ts";
import { KIND_CONTINUE, NO_KIND } from "../state/probes.ts";
import { THEN_THREW, thenError, thenOf } from "../../_thenable.ts";
import { park } from "../lifecycle/park.ts";
import { MAX_TIMEOUT_MS } from "../../options.ts";

/** Calls the behaviour's handle for a `continue` (through the tracer). */
function callContinue(process: Process, value: unknown): unknown {
  return process.behaviour.handle("continue", value, undefined, process.state, process.context);
}

/** A callback returned: apply its result now, or wait for its Promise. */
export function settle(
  rt: Runtime,
  process: Process,
  callback: string,
  message: unknown,
  result: unknown,
  call: PendingCall | undefined,
): boolean {
  if (process.life === Life.Dead) return false; // it killed itself (or was killed) meanwhile
  const then = thenOf(result);
  if (typeof then === "function") {
    awaitResult(rt, process, callback, message, result as object, then, call);
    return true;
  }
  if (process.spanKind !== NO_KIND) callbackStop(rt, process);
  if (then === THEN_THREW) return badResult(rt, process, callback, message, result, thenError());
  return applyResult(rt, process, callback, message, result, call);
}

/** A callback had nothing to do: the process is between callbacks again. */
export function done(process: Process): false {
  process.callback = undefined;
  process.message = undefined;
  process.activeCall = undefined;
  return false;
}

/** A callback returned a Promise: apply its result when it settles. */
export function awaitResult(
  rt: Runtime,
  process: Process,
  callback: string,
  message: unknown,
  promise: object,
  then: (...args: unknown[]) => unknown,
  call: PendingCall | undefined,
): void {
  park(rt, process, promise, then, (result) => {
    callbackStop(rt, process);
    if (!applyResult(rt, process, callback, message, result, call)) rt.ports.wake(rt, process);
  }, (error) => {
    callbackException(rt, process, error);
    crash(rt, process, callback, message, error);
  });
}

/** The result (or reading it) was bad: crash with a BadReturnValueError. */
function badResult(
  rt: Runtime,
  process: Process,
  callback: string,
  message: unknown,
  result: unknown,
  cause: unknown,
  detail?: string,
): boolean {
  const error = new BadReturnValueError(callback, result, { cause, detail });
  return crash(rt, process, callback, message, error);
}

/**
 * Applies a callback result. Returns true when a follow-up Promise
 * (handleContinue, terminate) is now in flight.
 */
export function applyResult(
  rt: Runtime,
  process: Process,
  callback: string,
  message: unknown,
  result: unknown,
  call: PendingCall | undefined,
): boolean {
  process.callback = undefined;
  process.message = undefined;
  process.activeCall = undefined; // its signal counts only while handleCall runs
  if (typeof result !== "object" || result === null) {
    return badResult(rt, process, callback, message, result, undefined);
  }
  const r = result as ResultFields;
  // Every field is read once, here: a getter that throws (or a Proxy) makes
  // the result bad, and one that answers differently each time cannot make
  // the kernel act on two different values.
  let type: unknown, state: unknown, reply: unknown, reason: unknown, hasReply = false;
  let next: unknown, hibernate: unknown, timeout: unknown;
  try {
    type = r.type;
    if (type === "reply" || type === "noreply") {
      state = r.state;
      if (type === "reply") reply = r.reply;
      next = r.continue;
      hibernate = r.hibernate;
      timeout = r.timeout;
    } else if (type === "stop") {
      state = r.state;
      reason = r.reason;
      hasReply = r.hasReply === true;
      if (hasReply) reply = r.reply;
    }
  } catch (error) {
    return badResult(rt, process, callback, message, result, error);
  }
  switch (type) {
    case "reply":
      if (call === undefined) break; // a reply answers a call only
      process.state = state;
      if (call) replyReturned(rt, call, reply);
      return afterResult(rt, process, callback, result, next, timeout, hibernate);
    case "noreply":
      process.state = state;
      return afterResult(rt, process, callback, result, next, timeout, hibernate);
    case "stop":
      process.state = state;
      if (hasReply && call) replyReturned(rt, call, reply);
      return terminate(rt, process, reason, callback, message);
  }
  return badResult(rt, process, callback, message, result, undefined);
}

/** The fields of a result, as read from whatever a callback returned. */
interface ResultFields {
  type?: unknown;
  state?: unknown;
  reply?: unknown;
  reason?: unknown;
  hasReply?: unknown;
  continue?: unknown;
  hibernate?: unknown;
  timeout?: unknown;
}

/**
 * Acts on a result's options: `continue` (runs handleContinue now), an idle
 * `timeout` (a number of ms in `0..MAX_TIMEOUT_MS`, or `Infinity` for none:
 * anything else crashes the process with a BadReturnValueError, as a bad
 * timeout crashes a gen_server), `hibernate`.
 */
export function afterResult(
  rt: Runtime,
  process: Process,
  callback: string,
  result: unknown,
  next: unknown,
  timeout: unknown,
  hibernate: unknown,
): boolean {
  const problem = badTimeout(timeout);
  if (problem !== undefined) {
    return badResult(rt, process, callback, undefined, result, undefined, problem);
  }
  if (next !== undefined) return runContinue(rt, process, next);
  if (typeof timeout === "number" && timeout !== Infinity) {
    rt.timerService.schedule(timeout, {
      kind: TimerKind.Idle,
      process,
      message: process.handled,
      deadline: 0,
    });
  }
  if (hibernate === true) process.hibernateWhenIdle = true;
  return false;
}

/** What is wrong with a result's idle `timeout` option, or undefined when nothing is. */
export function badTimeout(timeout: unknown): string | undefined {
  if (timeout === undefined || timeout === Infinity) return undefined;
  if (typeof timeout === "number" && timeout >= 0 && timeout <= MAX_TIMEOUT_MS) return undefined;
  return `timeout must be a number of ms in 0..${MAX_TIMEOUT_MS} or Infinity`;
}

/** Runs the behaviour's `continue` step with `value` now, before any message. */
function runContinue(rt: Runtime, process: Process, value: unknown): boolean {
  const behaviour = process.behaviour;
  const callback = behaviour.callbackNames.continue;
  process.callback = callback;
  process.message = value;
  process.queueTime = 0;
  callbackStart(rt, process, KIND_CONTINUE);
  let result: unknown;
  try {
    result = rt.tracer === undefined
      ? behaviour.handle("continue", value, undefined, process.state, process.context)
      : traced(rt, process, callContinue, process, value);
  } catch (error) {
    callbackException(rt, process, error);
    return crash(rt, process, callback, value, error);
  }
  return settle(rt, process, callback, value, result, undefined);
}
