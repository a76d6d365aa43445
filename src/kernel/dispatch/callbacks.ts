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
import type { ExitMessage } from "../../system_messages.ts";
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
import type { Behaviour, HandleKind } from "../state/behaviour.ts";
import { crash, terminate } from "../lifecycle/exit.ts";
import { runInit } from "./init.ts";
import { callbackException, callbackStart, callExpired, traced } from "../probes/instrument.ts";
import { KIND_CALL, KIND_CAST, KIND_INFO } from "../state/probes.ts";
import { done, settle } from "./results.ts";
import { callHandlingStarts } from "../calls/_latency.ts";

/**
 * Handles one envelope. Returns true when a callback Promise is now in
 * flight (the process is busy until it settles).
 */
export function handle(rt: Runtime, process: Process, kind: number, payload: unknown): boolean {
  switch (kind) {
    case K_CAST:
    case K_INFO:
      if (process.life !== Life.Alive) return false;
      return invoke(rt, process, kind === K_CAST ? "cast" : "info", payload, undefined);
    case K_CALL: {
      const call = payload as PendingCall;
      if (process.life !== Life.Alive) return false;
      if (call.settled) {
        // Its caller gave up (timeout, signal, exit) while it waited in the
        // mailbox: the server skips it rather than compute a reply nobody
        // will read — or, with `expiredCalls: "handle"`, runs it as OTP
        // does (its signal already aborted) and the reply is dropped.
        callExpired(rt, process, call, process.handleExpiredCalls);
        if (!process.handleExpiredCalls) return false;
      }
      if (call.trace !== undefined) process.traceToken = call.trace;
      if (call.madeAt >= 0) callHandlingStarts(rt, call); // `beamlet.call.latency`
      return invoke(rt, process, "call", call.request, call);
    }
    case K_INIT:
      return runInit(rt, process, payload);
    case K_STOP:
      if (process.life !== Life.Alive) return false;
      return terminate(rt, process, (payload as StopRequest).reason, undefined, undefined);
    case K_DOWN: {
      const down = payload as DownEnvelope;
      process.queuedDowns?.delete(down.message.ref.serial);
      if (down.flushed || process.life !== Life.Alive) return false;
      return invoke(rt, process, "info", down.message, undefined);
    }
    case K_EXIT: {
      if (process.life !== Life.Alive) return false;
      const exit = payload as ExitMessage;
      // gen_server: an exit signal from the parent (the startLink caller)
      // ends a trapping server through terminate, with the parent's reason.
      if (process.parent !== undefined && samePid(exit.from, process.parent)) {
        return terminate(rt, process, exit.reason, undefined, undefined);
      }
      return invoke(rt, process, "info", payload, undefined);
    }
    case K_TIMEOUT:
      if (process.life !== Life.Alive) return false;
      if (rt.core.stat(process.coreId, Stat.Length) > 0) return false;
      return invoke(rt, process, "timeout", "timeout", undefined);
  }
  return false;
}

/**
 * Runs the behaviour's `handle` for one message of `kind` and applies its
 * outcome. Returns true when a callback Promise is now in flight.
 */
export function invoke(
  rt: Runtime,
  process: Process,
  kind: HandleKind,
  message: unknown,
  call: PendingCall | undefined,
): boolean {
  const behaviour = process.behaviour;
  const callback = callbackName(behaviour, kind);
  process.activeCall = call;
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
    if ((kind === "info" || kind === "timeout") && !behaviour.handles(kind)) return done(process);
    result = behaviour.handle(kind, message, call?.from, process.state, process.context);
  } catch (error) {
    return crash(rt, process, callback, message, error);
  }
  return settle(rt, process, callback, message, result, call);
}

/** {@linkcode invoke} with telemetry spans or a tracer. */
function invokeTimed(
  rt: Runtime,
  process: Process,
  kind: HandleKind,
  message: unknown,
  call: PendingCall | undefined,
  callback: string,
): boolean {
  const behaviour = process.behaviour;
  if ((kind === "info" || kind === "timeout") && !behaviour.handles(kind)) {
    process.traceToken = undefined;
    return done(process);
  }
  callbackStart(rt, process, kind === "cast" ? KIND_CAST : kind === "call" ? KIND_CALL : KIND_INFO);
  let result: unknown;
  try {
    result = rt.tracer === undefined
      ? behaviour.handle(kind, message, call?.from, process.state, process.context)
      : traced(rt, process, callHandle, kind, message, call, process);
  } catch (error) {
    callbackException(rt, process, error);
    return crash(rt, process, callback, message, error);
  }
  return settle(rt, process, callback, message, result, call);
}

/** Calls the behaviour's handle (through the tracer). */
function callHandle(
  kind: HandleKind,
  message: unknown,
  call: PendingCall | undefined,
  process: Process,
): unknown {
  return process.behaviour.handle(kind, message, call?.from, process.state, process.context);
}

/** The name of the callback that handles `kind` (constant-key reads: this runs per message). */
function callbackName(behaviour: Behaviour, kind: HandleKind): string {
  const names = behaviour.callbackNames;
  switch (kind) {
    case "call":
      return names.call;
    case "cast":
      return names.cast;
    case "info":
      return names.info;
    case "timeout":
      return names.timeout;
    case "continue":
      return names.continue;
  }
}
