/**
 * Running GenServer callbacks and applying their results (internal):
 * synchronous results on the fast path, Promises parked until they settle.
 *
 * Everything a callback hands back is hostile until read: a result is read
 * field by field inside one `try` (a throwing getter or a Proxy makes it a
 * bad return value), a thenable's `then` is read once and called inside a
 * `try`, and whatever throws while the kernel acts on a process's behalf
 * crashes that process (`contain`), never the scheduler.
 *
 * @module
 */

import { Stat } from "./core/core.ts";
import { BadReturnValueError } from "./errors.ts";
import type { ExitMessage, GenServer } from "./gen_server.ts";
import {
  type DownEnvelope,
  K_CALL,
  K_CAST,
  K_DOWN,
  K_EXIT,
  K_INFO,
  K_INIT,
  K_STOP,
  K_TIMEOUT,
  type StopRequest,
} from "./_envelopes.ts";
import { samePid } from "./pid.ts";
import { Life, type Process } from "./_process.ts";
import type { PendingCall } from "./_pending_call.ts";
import { TimerKind } from "./_timer_service.ts";
import type { Runtime } from "./_runtime.ts";
import { replyTo } from "./_delivery.ts";
import { contain, crash, terminate } from "./_exit.ts";
import { notifyIdle, wake } from "./_scheduler.ts";
import { runInit } from "./_start.ts";
import {
  callbackException,
  callbackStart,
  callbackStop,
  callExpired,
  KIND_CALL,
  KIND_CAST,
  KIND_CONTINUE,
  KIND_INFO,
  NO_KIND,
  traced,
} from "./_instrument.ts";
import { MAX_TIMEOUT_MS } from "./options.ts";

/**
 * Handles one envelope. Returns true when a callback Promise is now in
 * flight (the process is busy until it settles).
 */
export function handle(rt: Runtime, process: Process, kind: number, payload: unknown): boolean {
  switch (kind) {
    case K_CAST:
    case K_INFO:
      if (process.life !== Life.Alive) return false;
      return invoke(rt, process, kind, payload, undefined);
    case K_CALL: {
      const call = payload as PendingCall;
      if (process.life !== Life.Alive) return false;
      if (rt.calls.get(call.from.callId) !== call) {
        // Its caller gave up (timeout) while it waited in the mailbox: the
        // server skips it rather than compute a reply nobody will read.
        callExpired(rt, process, call);
        return false;
      }
      if (call.trace !== undefined) process.traceToken = call.trace;
      return invoke(rt, process, K_CALL, call.request, call);
    }
    case K_INIT:
      return runInit(rt, process, payload);
    case K_STOP:
      if (process.life !== Life.Alive) return false;
      return terminate(rt, process, (payload as StopRequest).reason, undefined, undefined);
    case K_DOWN: {
      const down = payload as DownEnvelope;
      process.queuedDowns.delete(down.message.ref.serial);
      if (down.flushed || process.life !== Life.Alive) return false;
      return invoke(rt, process, K_INFO, down.message, undefined);
    }
    case K_EXIT: {
      if (process.life !== Life.Alive) return false;
      const exit = payload as ExitMessage;
      // gen_server: an exit signal from the parent (the startLink caller)
      // ends a trapping server through terminate, with the parent's reason.
      if (process.parent !== undefined && samePid(exit.from, process.parent)) {
        return terminate(rt, process, exit.reason, undefined, undefined);
      }
      return invoke(rt, process, K_INFO, payload, undefined);
    }
    case K_TIMEOUT:
      if (process.life !== Life.Alive) return false;
      if (rt.core.stat(process.coreId, Stat.Length) > 0) return false;
      return invoke(rt, process, K_INFO, "timeout", undefined);
  }
  return false;
}

/**
 * Runs handleCast / handleInfo / handleCall. Sync results are applied at
 * once (the fast path: no Promise, no microtask, no closure); a Promise
 * marks the process busy until it settles.
 */
export function invoke(
  rt: Runtime,
  process: Process,
  kind: number,
  message: unknown,
  call: PendingCall | undefined,
): boolean {
  const server = process.server;
  const callback = kind === K_CAST ? "handleCast" : kind === K_INFO ? "handleInfo" : "handleCall";
  process.handled++;
  process.callback = callback;
  process.message = message;
  if (process.faultAt !== 0 && process.handled === process.faultAt) {
    const reason = process.faultReason ??
      new Error(`injected crash at message ${process.faultAt}`);
    return crash(rt, process, callback, message, reason);
  }
  if (rt.timing) return invokeTimed(rt, process, kind, message, call, callback);
  let result: unknown;
  try {
    if (kind === K_CAST) {
      if (!server.handleCast) throw new TypeError("this server has no handleCast callback");
      result = server.handleCast(message, process.state, process.context);
    } else if (kind === K_INFO) {
      // Elixir's default handle_info drops what it does not expect.
      if (!server.handleInfo) return done(process);
      result = server.handleInfo(message, process.state, process.context);
    } else {
      if (!server.handleCall) throw new TypeError("this server has no handleCall callback");
      result = server.handleCall(message, call!.from, process.state, process.context);
    }
  } catch (error) {
    return crash(rt, process, callback, message, error);
  }
  return settle(rt, process, callback, message, result, call);
}

/**
 * {@linkcode invoke} when callbacks are timed (events attached or a
 * tracer): the same, between `callbackStart` and its stop or exception,
 * run through the tracer. Kept apart so the plain path stays as small.
 */
function invokeTimed(
  rt: Runtime,
  process: Process,
  kind: number,
  message: unknown,
  call: PendingCall | undefined,
  callback: string,
): boolean {
  const server = process.server;
  if (kind === K_INFO && !server.handleInfo) {
    process.traceToken = undefined;
    return done(process);
  }
  callbackStart(rt, process, kind === K_CAST ? KIND_CAST : kind === K_INFO ? KIND_INFO : KIND_CALL);
  let result: unknown;
  try {
    result = rt.tracer === undefined
      ? callServer(server, kind, message, call, process)
      : traced(rt, process, callServer, server, kind, message, call, process);
  } catch (error) {
    callbackException(rt, process, error);
    return crash(rt, process, callback, message, error);
  }
  return settle(rt, process, callback, message, result, call);
}

/** Calls handleContinue (through the tracer). */
function callContinue(
  server: GenServer<unknown, unknown>,
  value: unknown,
  process: Process,
): unknown {
  return server.handleContinue!(value, process.state, process.context);
}

/** Calls handleCast, handleInfo or handleCall (a missing one throws, as a crash). */
function callServer(
  server: GenServer<unknown, unknown>,
  kind: number,
  message: unknown,
  call: PendingCall | undefined,
  process: Process,
): unknown {
  if (kind === K_CAST) {
    if (!server.handleCast) throw new TypeError("this server has no handleCast callback");
    return server.handleCast(message, process.state, process.context);
  }
  if (kind === K_INFO) return server.handleInfo!(message, process.state, process.context);
  if (!server.handleCall) throw new TypeError("this server has no handleCall callback");
  return server.handleCall(message, call!.from, process.state, process.context);
}

/** What reading a result's `then` threw (see {@linkcode thenOf}). */
let lastThenError: unknown = undefined;

/** What reading `then` threw, the last time {@linkcode thenOf} answered THEN_THREW. */
export function thenError(): unknown {
  return lastThenError;
}
/** {@linkcode thenOf}: reading `then` threw; the error is in `thenError`. */
const THEN_THREW = Symbol("then threw");

/**
 * A result's `then` method if it is a thenable (read once: a getter runs
 * once), undefined if it is not, or THEN_THREW when reading it threw.
 */
export function thenOf(value: unknown): ((...args: unknown[]) => unknown) | undefined | symbol {
  // A Promise adopts any object or function with a `then` method: so do we.
  if ((typeof value !== "object" || value === null) && typeof value !== "function") {
    return undefined;
  }
  let then: unknown;
  try {
    then = (value as { then?: unknown }).then;
  } catch (error) {
    lastThenError = error;
    return THEN_THREW;
  }
  return typeof then === "function" ? then as (...args: unknown[]) => unknown : undefined;
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
  if (then === THEN_THREW) return badResult(rt, process, callback, message, result, lastThenError);
  return applyResult(rt, process, callback, message, result, call);
}

/** A callback had nothing to do: the process is between callbacks again. */
function done(process: Process): false {
  process.callback = undefined;
  process.message = undefined;
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
    if (!applyResult(rt, process, callback, message, result, call)) wake(rt, process);
  }, (error) => {
    callbackException(rt, process, error);
    crash(rt, process, callback, message, error);
  });
}

/**
 * A callback Promise (any thenable) is in flight: the process is busy until
 * it settles (or dies). Each park has its own token, so a thenable that
 * calls back twice, calls both callbacks, or calls back after the process
 * moved on is ignored; one that calls back synchronously (inside `then`) is
 * deferred to a microtask, so the scheduler never sees a process settle
 * before its run has ended. A `then` that throws rejects the park.
 */
export function park(
  rt: Runtime,
  process: Process,
  thenable: object,
  then: (...args: unknown[]) => unknown,
  onValue: (value: unknown) => void,
  onError: (error: unknown) => void,
): void {
  process.busy = true;
  rt.inFlight++;
  const token = ++process.parkToken;
  let inThen = true;
  const settled = (ok: boolean, value: unknown) => {
    if (inThen) {
      queueMicrotask(() => settled(ok, value));
      return;
    }
    if (!unpark(rt, process, token)) {
      notifyIdle(rt);
      return;
    }
    rt.sched.settled++;
    const previous = rt.current;
    rt.current = process;
    try {
      if (ok) onValue(value);
      else onError(value);
    } catch (error) {
      contain(rt, process, error);
    } finally {
      rt.current = previous;
    }
    notifyIdle(rt);
  };
  try {
    then.call(thenable, (value: unknown) => settled(true, value), (error: unknown) => {
      settled(false, error);
    });
  } catch (error) {
    inThen = false;
    settled(false, error);
    return;
  }
  inThen = false;
}

/**
 * Its Promise settled: false when the settlement is stale (not this park's,
 * or the process died meanwhile and `abandonPark` already let go).
 */
export function unpark(rt: Runtime, process: Process, token: number): boolean {
  if (!process.busy || process.parkToken !== token) return false;
  process.busy = false;
  rt.inFlight--;
  return process.life !== Life.Dead;
}

/** The process died with a Promise in flight: forget it (its settlement will be ignored). */
export function abandonPark(rt: Runtime, process: Process): void {
  if (!process.busy) return;
  process.busy = false;
  process.parkToken++;
  rt.inFlight--;
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
      if (callback !== "handleCall") break;
      process.state = state;
      if (call) replyTo(rt, call.from, reply);
      return afterResult(rt, process, callback, result, next, timeout, hibernate);
    case "noreply":
      process.state = state;
      return afterResult(rt, process, callback, result, next, timeout, hibernate);
    case "stop":
      process.state = state;
      if (callback === "handleCall" && hasReply && call) replyTo(rt, call.from, reply);
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

/** Runs handleContinue with `value` now, before any message. */
function runContinue(rt: Runtime, process: Process, value: unknown): boolean {
  const server = process.server;
  if (!server.handleContinue) {
    return crash(rt, process, "handleContinue", value, new TypeError("no handleContinue callback"));
  }
  process.callback = "handleContinue";
  process.message = value;
  process.queueTime = 0;
  callbackStart(rt, process, KIND_CONTINUE);
  let result: unknown;
  try {
    result = rt.tracer === undefined
      ? server.handleContinue(value, process.state, process.context)
      : traced(rt, process, callContinue, server, value, process);
  } catch (error) {
    callbackException(rt, process, error);
    return crash(rt, process, "handleContinue", value, error);
  }
  return settle(rt, process, "handleContinue", value, result, undefined);
}
