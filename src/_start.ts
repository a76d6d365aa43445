/**
 * Starting a process (internal): spawn, link, `init` and its results.
 *
 * Everything is checked before anything is registered (options, timeouts,
 * the name, the table's room), and a registry that throws or refuses while
 * the name is registered leaves nothing behind.
 *
 * @module
 */

import { CoreCode } from "./core/core.ts";
import { AlreadyStartedError, BadReturnValueError, ExitError, SystemLimitError } from "./errors.ts";
import { type ExitReason, isCleanExit } from "./exit_reason.ts";
import type { GenServer } from "./gen_server.ts";
import { Pid, samePid } from "./pid.ts";
import type { StartOptions, ViaName } from "./options.ts";
import { checkOptionsObject, readOptions, spawnArguments, timeoutOf } from "./_options.ts";
import { K_INIT } from "./_envelopes.ts";
import { Life, Process } from "./_process.ts";
import { ProcessContext } from "./_process_context.ts";
import { TimerKind } from "./_timer_service.ts";
import { INDEX_MASK, type Runtime } from "./_runtime.ts";
import { afterResult, badTimeout, park, thenOf } from "./_callbacks.ts";
import { deliverSystem, isPid, isViaName, targetName } from "./_delivery.ts";
import { finalize, report, usableReason } from "./_exit.ts";
import { wake } from "./_scheduler.ts";
import { addLink, removeLink } from "./_signals.ts";
import { describeValue } from "./_inspect.ts";
import {
  callbackException,
  callbackStart,
  callbackStop,
  KIND_INIT,
  processStarted,
  traced,
} from "./_instrument.ts";

/** What `start` was asked for, checked. */
interface Checked {
  readonly spawn: [number, number, number, number];
  readonly initTimeout: number;
  readonly name: string | undefined;
  readonly via: ViaName | undefined;
}

/** Reads and checks `start`'s arguments: TypeError / RangeError / AlreadyStartedError. */
function check(rt: Runtime, server: unknown, options: unknown): Checked {
  const { spawn, initTimeout, name } = readOptions("start: server or options", () => {
    const init = typeof server === "object" && server !== null
      ? (server as { init?: unknown }).init
      : undefined;
    if (typeof init !== "function") {
      throw new TypeError("start: server must be an object with an init(arg, ctx) function");
    }
    checkOptionsObject("start: options", options);
    const opts = options as StartOptions;
    return {
      spawn: spawnArguments(opts),
      initTimeout: timeoutOf("start: initTimeout", opts.initTimeout, Infinity),
      name: opts.name as unknown,
    };
  });
  if (name === undefined) return { spawn, initTimeout, name: undefined, via: undefined };
  if (typeof name === "string") {
    if (name.length === 0) throw new TypeError("start: name must be a non-empty string");
    const holder = rt.names.get(name);
    if (holder) throw new AlreadyStartedError(name, holder.pid);
    return { spawn, initTimeout, name, via: undefined };
  }
  if (!isViaName(name)) {
    throw new TypeError(
      `start: name must be a non-empty string or { via, key }, got ${describeValue(name)}`,
    );
  }
  const holder = name.via.whereisName(name.key);
  if (isPid(holder)) throw new AlreadyStartedError(targetName(name), holder);
  return { spawn, initTimeout, name: undefined, via: name };
}

/** `start` from a process (or from outside), linked to it if asked. */
export function startFrom<S, A>(
  rt: Runtime,
  parent: Process | undefined,
  link: boolean,
  server: GenServer<S, A>,
  arg: A | undefined,
  options: StartOptions,
): Promise<Pid | undefined> {
  let checked: Checked;
  try {
    checked = check(rt, server, options);
  } catch (error) {
    return Promise.reject(error); // nothing was registered
  }
  const coreId = rt.core.spawn(...checked.spawn);
  if (coreId < 0) {
    return Promise.reject(
      coreId === CoreCode.Limit
        ? new SystemLimitError(
          "processes",
          `start: the process table is full (${rt.core.actorCount()} live processes, its limit)`,
        )
        : new SystemLimitError("memory", "start: the scheduler core is out of memory"),
    );
  }
  const pid = new Pid(rt.nextSerial++, rt.node);
  const process = new Process(
    pid,
    coreId,
    server as GenServer<unknown, unknown>,
    checked.name,
    rt.now(),
  );
  process.context = new ProcessContext(rt, process);
  rt.byIndex[coreId & INDEX_MASK] = process;
  rt.bySerial.set(pid.serial, process);
  if (checked.name !== undefined) rt.names.set(checked.name, process);
  const via = checked.via;
  if (via) {
    // Registered before init runs, as OTP does, so init can be addressed by name.
    let registered: unknown;
    try {
      registered = via.via.registerName(via.key, pid);
    } catch (error) {
      finalize(rt, process, "normal");
      return Promise.reject(error);
    }
    if (registered === false) {
      // The registry refused: someone took the key since `whereisName` said it was free.
      finalize(rt, process, "normal");
      return Promise.reject(new AlreadyStartedError(targetName(via), holderOf(via)));
    }
    process.via = via;
  }
  if (link && parent) {
    addLink(rt, parent, process);
    process.parent = parent.pid;
  }
  const started = new Promise<Pid | undefined>((resolve, reject) => {
    process.startResolve = resolve;
    process.startReject = reject;
  });
  processStarted(rt, process);
  if (checked.initTimeout !== Infinity) {
    try {
      process.initTimer = rt.timerService.schedule(checked.initTimeout, {
        kind: TimerKind.Init,
        process,
        deadline: 0,
      });
    } catch (error) {
      cleanStart(rt, process, "normal");
      return Promise.reject(error); // the timer table is full: nothing left behind
    }
  }
  deliverSystem(rt, process, K_INIT, arg);
  return started;
}

/** Who holds a `{ via, key }` name, as far as the registry says (`#PID<0.0.0>` if it cannot). */
function holderOf(via: ViaName): Pid {
  try {
    const holder = via.via.whereisName(via.key);
    return isPid(holder) ? holder : new Pid(0);
  } catch {
    return new Pid(0);
  }
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
  const then = thenOf(result);
  if (typeof then === "function") {
    park(rt, process, result as object, then, (value) => {
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
  if (typeof then === "symbol") {
    initFailed(rt, process, new BadReturnValueError("init", result));
    return false;
  }
  return initResult(rt, process, result);
}

/** Calls init (through the tracer). */
function callInit(process: Process, arg: unknown): unknown {
  return process.server.init(arg, process.context);
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
  finalize(rt, process, reason);
}
