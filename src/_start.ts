/**
 * Starting a process (internal): spawn, link, `init` and its results.
 *
 * @module
 */

import { AlreadyStartedError, BadReturnValueError, ExitError } from "./errors.ts";
import { type ExitReason, isCleanExit } from "./exit_reason.ts";
import type { GenServer } from "./gen_server.ts";
import { Pid } from "./pid.ts";
import type { StartOptions } from "./options.ts";
import { checkTimeout, spawnArguments } from "./_options.ts";
import { K_INIT } from "./_envelopes.ts";
import { Life, Process } from "./_process.ts";
import { ProcessContext } from "./_process_context.ts";
import { TimerKind } from "./_timer_service.ts";
import { INDEX_MASK, type Runtime } from "./_runtime.ts";
import { afterResult, isPromise, park } from "./_callbacks.ts";
import { deliverSystem, isViaName, targetName } from "./_delivery.ts";
import { finalize, report } from "./_exit.ts";
import { wake } from "./_scheduler.ts";
import {
  callbackException,
  callbackStart,
  callbackStop,
  KIND_INIT,
  processStarted,
  traced,
} from "./_instrument.ts";

/** `start` from a process (or from outside), linked to it if asked. */
export function startFrom<S, A>(
  rt: Runtime,
  parent: Process | undefined,
  link: boolean,
  server: GenServer<S, A>,
  arg: A | undefined,
  options: StartOptions,
): Promise<Pid | undefined> {
  if (typeof server !== "object" || server === null || typeof server.init !== "function") {
    return Promise.reject(
      new TypeError("start: server must be an object with an init(arg, ctx) function"),
    );
  }
  let spawnArgs: [number, number, number, number];
  const initTimeout = options.initTimeout ?? Infinity;
  try {
    spawnArgs = spawnArguments(options);
    checkTimeout("start: initTimeout", initTimeout);
  } catch (error) {
    return Promise.reject(error);
  }
  const name = options.name;
  const via = isViaName(name) ? name : undefined;
  if (via) {
    let holder: Pid | undefined;
    try {
      holder = via.via.whereisName(via.key);
    } catch (error) {
      return Promise.reject(error); // e.g. a registry that cannot hold { via } names
    }
    if (holder) return Promise.reject(new AlreadyStartedError(targetName(via), holder));
  } else if (name !== undefined) {
    if (typeof name !== "string" || name.length === 0) {
      return Promise.reject(
        new TypeError("start: name must be a non-empty string or { via, key }"),
      );
    }
    const holder = rt.names.get(name);
    if (holder) return Promise.reject(new AlreadyStartedError(name, holder.pid));
  }
  const coreId = rt.core.spawn(...spawnArgs);
  if (coreId < 0) {
    return Promise.reject(
      new RangeError(`start: the scheduler core refused a new process (code ${coreId})`),
    );
  }
  const pid = new Pid(rt.nextSerial++);
  const process = new Process(
    pid,
    coreId,
    server as GenServer<unknown, unknown>,
    typeof name === "string" ? name : undefined,
    rt.now(),
  );
  process.context = new ProcessContext(rt, process);
  rt.byIndex[coreId & INDEX_MASK] = process;
  rt.bySerial.set(pid.serial, process);
  if (typeof name === "string") rt.names.set(name, process);
  if (via) {
    // Registered before init runs, as OTP does, so init can be addressed by name.
    via.via.registerName(via.key, pid);
    process.via = via;
  }
  if (link && parent) {
    parent.links.add(process);
    process.links.add(parent);
    process.parent = parent.pid;
  }
  processStarted(rt, process);
  const started = new Promise<Pid | undefined>((resolve, reject) => {
    process.startResolve = resolve;
    process.startReject = reject;
  });
  if (Number.isFinite(initTimeout)) {
    process.initTimer = rt.timerService.schedule(initTimeout, {
      kind: TimerKind.Init,
      process,
      deadline: 0,
    });
  }
  deliverSystem(rt, process, K_INIT, arg);
  return started;
}

/** Runs `init` inside the new process (the first envelope of its mailbox). */
export function runInit(rt: Runtime, process: Process, arg: unknown): boolean {
  process.callback = "init";
  callbackStart(rt, process, KIND_INIT);
  let result: unknown;
  try {
    result = rt.tracer === undefined
      ? process.server.init(arg, process.context)
      : traced(rt, process, callInit, process, arg);
  } catch (error) {
    callbackException(rt, process, error);
    initFailed(rt, process, error);
    return false;
  }
  if (isPromise(result)) {
    park(rt, process, result, (value) => {
      callbackStop(rt, process);
      if (process.life === Life.Starting && !initResult(rt, process, value)) {
        wake(rt, process);
      }
    }, (error) => {
      callbackException(rt, process, error);
      if (process.life === Life.Starting) initFailed(rt, process, error);
    });
    return true;
  }
  callbackStop(rt, process);
  return initResult(rt, process, result);
}

/** Calls init (through the tracer). */
function callInit(process: Process, arg: unknown): unknown {
  return process.server.init(arg, process.context);
}

/** Applies what `init` returned: ok (alive, start resolves), ignore, stop, or a bad value. */
export function initResult(rt: Runtime, process: Process, result: unknown): boolean {
  process.callback = undefined;
  const r = result as { type?: unknown; state?: unknown; reason?: unknown } | null;
  if (typeof r !== "object" || r === null) {
    initFailed(rt, process, new BadReturnValueError("init", result));
    return false;
  }
  if (r.type === "ignore") {
    const resolve = process.startResolve!;
    cleanStart(rt, process, "normal");
    resolve(undefined);
    return false;
  }
  if (r.type === "stop") {
    // A deliberate refusal: the start caller gets the reason, no crash report.
    initFailed(rt, process, r.reason, false);
    return false;
  }
  if (r.type !== "ok") {
    initFailed(rt, process, new BadReturnValueError("init", result));
    return false;
  }
  process.state = r.state;
  process.life = Life.Alive;
  if (process.initTimer !== 0) rt.timerService.cancel(process.initTimer);
  process.initTimer = 0;
  const resolve = process.startResolve!;
  process.startResolve = undefined;
  process.startReject = undefined;
  resolve(process.pid);
  return afterResult(rt, process, r as { continue?: unknown });
}

/**
 * init failed: the start rejects, the process leaves nothing behind and
 * signals no link. A crash (throw, rejection, bad value) is reported, unless
 * its reason is clean; a deliberate `stop(reason)` passes `reported = false`.
 */
export function initFailed(rt: Runtime, process: Process, reason: unknown, reported = true): void {
  const reject = process.startReject!;
  if (reported && !isCleanExit(reason)) report(rt, process, "init", undefined, reason);
  cleanStart(rt, process, reason);
  reject(new ExitError(String(process.pid), reason, "failed to start"));
}

/** Removes a process whose start failed, without signalling its links. */
export function cleanStart(rt: Runtime, process: Process, reason: ExitReason): void {
  process.startResolve = undefined;
  process.startReject = undefined;
  // A failed start is not a crash of the parent: unlink before exiting (OTP's init_fail).
  for (const other of process.links) other.links.delete(process);
  process.links.clear();
  finalize(rt, process, reason);
}
