/**
 * Running `init` inside a new process and applying what it returned
 * (internal): ok (alive, `start` resolves), ignore, stop, or a bad value.
 *
 * @module
 */

import { BadReturnValueError } from "../../errors.ts";
import { Life, type Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";
import { callbackException, callbackStart, callbackStop, traced } from "../probes/instrument.ts";
import { KIND_INIT } from "../state/probes.ts";
import { afterResult, badTimeout } from "./results.ts";
import { park } from "../lifecycle/park.ts";
import { thenOf } from "../../_thenable.ts";
import { cleanStart, initFailed } from "../lifecycle/exit.ts";

/** Runs `init` inside the new process (the first envelope of its mailbox). */
export function runInit(rt: Runtime, process: Process, arg: unknown): boolean {
  process.callback = process.behaviour.callbackNames.init;
  callbackStart(rt, process, KIND_INIT);
  let result: unknown;
  try {
    result = rt.tracer === undefined
      ? process.behaviour.init(arg, process.context)
      : traced(rt, process, callInit, process, arg);
  } catch (error) {
    callbackException(rt, process, error);
    initFailed(rt, process, error);
    return false;
  }
  const then = thenOf(result);
  if (typeof then === "function") {
    park(rt, process, result as object, then, (value) => {
      callbackStop(rt, process);
      if (process.life === Life.Starting && !initResult(rt, process, value)) {
        rt.ports.wake(rt, process);
      }
    }, (error) => {
      callbackException(rt, process, error);
      if (process.life === Life.Starting) initFailed(rt, process, error);
    });
    return true;
  }
  callbackStop(rt, process);
  if (typeof then === "symbol") {
    initFailed(rt, process, new BadReturnValueError("init", result));
    return false;
  }
  return initResult(rt, process, result);
}

/** Calls init (through the tracer). */
function callInit(process: Process, arg: unknown): unknown {
  return process.behaviour.init(arg, process.context);
}

/** Applies what `init` returned: ok (alive, start resolves), ignore, stop, or a bad value. */
export function initResult(rt: Runtime, process: Process, result: unknown): boolean {
  process.callback = undefined;
  if (typeof result !== "object" || result === null) {
    initFailed(rt, process, new BadReturnValueError("init", result));
    return false;
  }
  const r = result as {
    type?: unknown;
    state?: unknown;
    reason?: unknown;
    continue?: unknown;
    hibernate?: unknown;
    timeout?: unknown;
  };
  let type: unknown, state: unknown, reason: unknown;
  let next: unknown, hibernate: unknown, timeout: unknown;
  try {
    type = r.type;
    if (type === "ok") {
      state = r.state;
      next = r.continue;
      hibernate = r.hibernate;
      timeout = r.timeout;
    } else if (type === "stop") {
      reason = r.reason;
    }
  } catch (error) {
    initFailed(rt, process, new BadReturnValueError("init", result, { cause: error }));
    return false;
  }
  if (type === "ignore") {
    const resolve = process.startResolve!;
    cleanStart(rt, process, "normal");
    resolve(undefined);
    return false;
  }
  if (type === "stop") {
    // A deliberate refusal: the start caller gets the reason, no crash report.
    initFailed(rt, process, reason, false);
    return false;
  }
  if (type !== "ok") {
    initFailed(rt, process, new BadReturnValueError("init", result));
    return false;
  }
  const problem = badTimeout(timeout);
  if (problem !== undefined) {
    // A bad option is a bad result: the start fails, as for any other.
    initFailed(rt, process, new BadReturnValueError("init", result, { detail: problem }));
    return false;
  }
  process.state = state;
  process.life = Life.Alive;
  if (process.initTimer !== 0) rt.timerService.cancel(process.initTimer);
  process.initTimer = 0;
  const resolve = process.startResolve!;
  process.startResolve = undefined;
  process.startReject = undefined;
  resolve(process.pid);
  return afterResult(rt, process, "init", result, next, timeout, hibernate);
}
