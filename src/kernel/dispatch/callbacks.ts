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

import { Stat } from "../../core/core.ts";
import type { ExitMessage, GenServer } from "../../gen_server.ts";
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
} from "../state/envelopes.ts";
import { samePid } from "../../pid.ts";
import { Life, type Process } from "../state/process.ts";
import type { PendingCall } from "../state/pending_call.ts";
import type { Runtime } from "../state/runtime.ts";
import { crash, terminate } from "../lifecycle/exit.ts";
import { runInit } from "./init.ts";
import { callbackException, callbackStart, callExpired, traced } from "../probes/instrument.ts";
import { KIND_CALL, KIND_CAST, KIND_INFO } from "../state/probes.ts";
import { done, settle } from "./results.ts";

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
