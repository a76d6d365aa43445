/**
 * Running GenServer callbacks and applying their results (internal):
 * synchronous results on the fast path, Promises parked until they settle.
 *
 * @module
 */

import { Stat } from "./core/core.ts";
import { BadReturnValueError } from "./errors.ts";
import type { ExitMessage } from "./gen_server.ts";
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
import { Life, type Process } from "./_process.ts";
import type { PendingCall } from "./_pending_call.ts";
import { TimerKind } from "./_timer_service.ts";
import type { Runtime } from "./_runtime.ts";
import { replyTo } from "./_delivery.ts";
import { crash, terminate } from "./_exit.ts";
import { notifyIdle, wake } from "./_scheduler.ts";
import { runInit } from "./_start.ts";
import {
  callbackException,
  callbackStart,
  callbackStop,
  KIND_CALL,
  KIND_CAST,
  KIND_CONTINUE,
  KIND_INFO,
  NO_KIND,
  traced,
} from "./_instrument.ts";
import type { GenServer } from "./gen_server.ts";

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
      if (rt.calls.get(call.from.callId) !== call) return false; // timed out while queued
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
      process.queuedDowns.delete(down.message.ref);
      if (down.flushed || process.life !== Life.Alive) return false;
      return invoke(rt, process, K_INFO, down.message, undefined);
    }
    case K_EXIT: {
      if (process.life !== Life.Alive) return false;
      const exit = payload as ExitMessage;
      // gen_server: an exit signal from the parent (the startLink caller)
      // ends a trapping server through terminate, with the parent's reason.
      if (process.parent !== undefined && exit.from === process.parent) {
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
    crash(rt, process, callback, message, reason);
    return false;
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
    crash(rt, process, callback, message, error);
    return false;
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
    crash(rt, process, callback, message, error);
    return false;
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
  if (isPromise(result)) {
    awaitResult(rt, process, callback, message, result, call);
    return true;
  }
  if (process.spanKind !== NO_KIND) callbackStop(rt, process);
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
  promise: PromiseLike<unknown>,
  call: PendingCall | undefined,
): void {
  park(rt, process, promise, (result) => {
    callbackStop(rt, process);
    if (!applyResult(rt, process, callback, message, result, call)) wake(rt, process);
  }, (error) => {
    callbackException(rt, process, error);
    crash(rt, process, callback, message, error);
  });
}

/** A callback Promise is in flight: the process is busy until it settles (or dies). */
export function park(
  rt: Runtime,
  process: Process,
  promise: PromiseLike<unknown>,
  onValue: (value: unknown) => void,
  onError: (error: unknown) => void,
): void {
  process.busy = true;
  rt.inFlight++;
  promise.then(
    (value) => {
      if (unpark(rt, process)) onValue(value);
      notifyIdle(rt);
    },
    (error) => {
      if (unpark(rt, process)) onError(error);
      notifyIdle(rt);
    },
  );
}

/** Its Promise settled: false when the process died meanwhile (#finalize unparked it). */
export function unpark(rt: Runtime, process: Process): boolean {
  if (!process.busy) return false;
  process.busy = false;
  rt.inFlight--;
  return process.life !== Life.Dead;
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
    crash(rt, process, callback, message, new BadReturnValueError(callback, result));
    return false;
  }
  const r = result as {
    type?: unknown;
    state?: unknown;
    reply?: unknown;
    reason?: unknown;
    hasReply?: boolean;
    continue?: unknown;
    hibernate?: boolean;
    timeout?: number;
  };
  switch (r.type) {
    case "reply":
      if (callback !== "handleCall") break;
      process.state = r.state;
      if (call) replyTo(rt, call.from, r.reply);
      return afterResult(rt, process, r);
    case "noreply":
      process.state = r.state;
      return afterResult(rt, process, r);
    case "stop":
      process.state = r.state;
      if (callback === "handleCall" && r.hasReply && call) replyTo(rt, call.from, r.reply);
      return terminate(rt, process, r.reason, callback, message);
  }
  crash(rt, process, callback, message, new BadReturnValueError(callback, result));
  return false;
}

/** Acts on a result's options: `continue` (runs handleContinue now), `timeout`, `hibernate`. */
export function afterResult(
  rt: Runtime,
  process: Process,
  r: { continue?: unknown; hibernate?: boolean; timeout?: number },
): boolean {
  if ("continue" in r && r.continue !== undefined) {
    const server = process.server;
    if (!server.handleContinue) {
      crash(rt, process, "handleContinue", r.continue, new TypeError("no handleContinue callback"));
      return false;
    }
    const value = r.continue;
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
      crash(rt, process, "handleContinue", value, error);
      return false;
    }
    return settle(rt, process, "handleContinue", value, result, undefined);
  }
  if (r.timeout !== undefined && Number.isFinite(r.timeout) && r.timeout >= 0) {
    rt.timerService.schedule(r.timeout, {
      kind: TimerKind.Idle,
      process,
      message: process.handled,
      deadline: 0,
    });
  }
  if (r.hibernate) process.hibernateWhenIdle = true;
  return false;
}

/** Whether a callback returned a Promise (any thenable). */
export function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}
