/**
 * Starting a process (internal): spawn, link, `init` and its results.
 *
 * Everything is checked before anything is registered (options, timeouts,
 * the name, the table's room), and a registry that throws or refuses while
 * the name is registered leaves nothing behind.
 *
 * @module
 */

import { CoreCode } from "../../core/core.ts";
import {
  AlreadyStartedError,
  NoConnectionError,
  SchedulerDownError,
  SystemLimitError,
} from "../../errors.ts";
import { checkPlacement, pinnedScheduler, placedNode } from "../../_placement.ts";
import type { Behaviour } from "../state/behaviour.ts";
import { Pid, setPidSlot } from "../../pid.ts";
import type { Placement, StartOptions, ViaName } from "../../options.ts";
import {
  checkOptionsObject,
  handlesExpiredCalls,
  readOptions,
  type SpawnArguments,
  spawnArguments,
  timeoutOf,
} from "../../_options.ts";
import { K_INIT } from "../state/envelopes.ts";
import { Life, Process } from "../state/process.ts";
import { TimerKind } from "../state/timers.ts";
import { INDEX_MASK, type Runtime } from "../state/runtime.ts";
import type { ExitHook } from "../state/ports.ts";
import { SPAWN_REDUCTIONS } from "../state/reductions.ts";
import { cleanStart, finalize } from "./exit.ts";
import { addLink } from "./links.ts";
import { deliverSystem, isPid, isViaName, targetName } from "../mailbox/delivery.ts";
import { describeValue } from "../../_inspect.ts";
import { markHandled, refuseStart } from "./start_refusal.ts";
import { park } from "./park.ts";
import { THEN_THREW, thenError, thenOf } from "../../_thenable.ts";
import { callbackFailed, processStarted } from "../probes/instrument.ts";
import { flowOf } from "../mailbox/flow_options.ts";
import type { MailboxFlow } from "../state/mailbox_flow.ts";

/** What `start` was asked for, checked. */
interface Checked {
  readonly spawn: SpawnArguments;
  readonly initTimeout: number;
  readonly name: string | undefined;
  readonly via: ViaName | undefined;
  /** Watermarks and shedding, if asked for (`mailbox/flow_options.ts`). */
  readonly flow: MailboxFlow | undefined;
  /** `expiredCalls: "handle"` (deadlines, issue 15). */
  readonly handleExpiredCalls: boolean;
  /** Which scheduler, when the system runs several (`_placement.ts`). */
  readonly placement: Placement | undefined;
}

/** Reads and checks `start`'s arguments: TypeError / RangeError / AlreadyStartedError. */
function check(rt: Runtime, server: unknown, options: unknown): Checked {
  const { spawn, initTimeout, name, flow, handleExpiredCalls, placement } = readOptions(
    "start: server or options",
    () => {
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
        flow: flowOf(opts),
        handleExpiredCalls: handlesExpiredCalls(opts),
        initTimeout: timeoutOf("start: initTimeout", opts.initTimeout, Infinity),
        name: opts.name as unknown,
        placement: checkPlacement(opts.placement),
      };
    },
  );
  if (name === undefined) {
    return {
      spawn,
      initTimeout,
      name: undefined,
      via: undefined,
      flow,
      handleExpiredCalls,
      placement,
    };
  }
  if (typeof name === "string") {
    if (name.length === 0) throw new TypeError("start: name must be a non-empty string");
    const holder = rt.names.get(name);
    if (holder) throw new AlreadyStartedError(name, holder.pid);
    const far = rt.directory?.whereis(name);
    if (far !== undefined) throw new AlreadyStartedError(name, far);
    return { spawn, initTimeout, name, via: undefined, flow, handleExpiredCalls, placement };
  }
  if (!isViaName(name)) {
    throw new TypeError(
      `start: name must be a non-empty string or { via, key }, got ${describeValue(name)}`,
    );
  }
  const holder = name.via.whereisName(name.key);
  if (isPid(holder)) throw new AlreadyStartedError(targetName(name), holder);
  return { spawn, initTimeout, name: undefined, via: name, flow, handleExpiredCalls, placement };
}

/** `start` from a process (or from outside), linked to it if asked. */
export function startFrom(
  rt: Runtime,
  parent: Process | undefined,
  link: boolean,
  definition: unknown,
  behaviourOf: (definition: unknown) => Behaviour,
  arg: unknown,
  options: StartOptions,
): Promise<Pid | undefined> {
  let checked: Checked;
  let behaviour: Behaviour;
  try {
    checked = check(rt, definition, options);
    behaviour = behaviourOf(definition);
    const pinned = pinnedScheduler(checked.placement);
    // One scheduler: every placement is this one, and another is not running.
    if (rt.spawner === undefined && pinned !== undefined && pinned !== rt.scheduler) {
      throw new SchedulerDownError(pinned);
    }
    // Not in a cluster: no other node is up.
    const node = placedNode(checked.placement);
    if (rt.spawner === undefined && node !== undefined && node !== rt.node) {
      throw new NoConnectionError(`node ${node}`);
    }
  } catch (error) {
    return refused(rt, parent, error); // nothing was registered
  }
  const placement = checked.placement;
  const spawner = rt.spawner;
  if (spawner !== undefined && placement !== undefined && placement !== "local") {
    // Placed on another scheduler: started there, by the behaviour's name.
    let elsewhere: Promise<Pid | undefined> | undefined;
    try {
      elsewhere = spawner(parent, link, definition, behaviourOf, arg, options, placement);
    } catch (error) {
      return refused(rt, parent, error);
    }
    if (elsewhere !== undefined) {
      if (parent !== undefined) markHandled(elsewhere); // as a local child's failed init
      return elsewhere;
    }
  }
  const spawn = checked.spawn;
  const coreId = rt.core.spawn(spawn[0], spawn[1], spawn[2], spawn[3]);
  if (coreId < 0) {
    return refused(
      rt,
      parent,
      coreId === CoreCode.Limit
        ? new SystemLimitError(
          "processes",
          `start: the process table is full (${rt.core.actorCount()} live processes, maxProcesses ${rt.core.actorLimit})`,
        )
        : new SystemLimitError("memory", "start: the scheduler core is out of memory"),
    );
  }
  rt.charged += SPAWN_REDUCTIONS; // to the running process, if any
  const pid = new Pid(rt.nextSerial++, rt.node, rt.scheduler);
  setPidSlot(pid, coreId & INDEX_MASK);
  const process = new Process(
    pid,
    coreId,
    behaviour,
    checked.name,
    rt.now(),
  );
  process.flow = checked.flow;
  process.handleExpiredCalls = checked.handleExpiredCalls;
  process.context = rt.ports.newContext(rt, process);
  rt.byIndex[coreId & INDEX_MASK] = process;
  rt.bySerial.set(pid.serial, process);
  if (checked.name !== undefined) {
    rt.names.set(checked.name, process);
    rt.directory?.registered(checked.name, pid);
  }
  const via = checked.via;
  let registering: ((...args: unknown[]) => unknown) | undefined;
  let registration: unknown;
  if (via) {
    // Registered before init runs, as OTP does, so init can be addressed by name.
    let registered: unknown;
    try {
      registered = via.via.registerName(via.key, pid);
    } catch (error) {
      finalize(rt, process, "normal");
      return refused(rt, parent, error);
    }
    if (registered === false) {
      // The registry refused: someone took the key since `whereisName` said it was free.
      finalize(rt, process, "normal");
      return refused(rt, parent, new AlreadyStartedError(targetName(via), holderOf(via)));
    }
    if (registered !== true) {
      // A registry that must ask elsewhere (a cluster's) answers with a Promise.
      const then = thenOf(registered);
      if (then === THEN_THREW) {
        finalize(rt, process, "normal");
        return refused(rt, parent, thenError());
      }
      if (typeof then === "function") {
        registering = then as (...args: unknown[]) => unknown;
        registration = registered;
      }
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
  // Started by a process: a child whose init fails (or stops, or times out)
  // rejects this Promise, which the caller may not be holding any more
  // (`void ctx.start(...)`). As OTP's `start` returns `{error, Reason}` to a
  // caller free to ignore it, that rejection must not end the host: it is
  // marked handled here, and a caller that awaits it still gets it.
  if (parent !== undefined) markHandled(started);
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
      return refused(rt, parent, error); // the timer table is full: nothing left behind
    }
  }
  if (registering !== undefined) {
    // init waits for the registry's answer: K_INIT is queued first (so that
    // nothing sent meanwhile overtakes it) but the process does not run.
    process.suspended = true;
    deliverSystem(rt, process, K_INIT, arg);
    awaitRegistration(rt, process, via!, registration as object, registering);
    return started;
  }
  deliverSystem(rt, process, K_INIT, arg);
  return started;
}

/**
 * A `{ via, key }` registry answered with a Promise: the process exists
 * (addressable, its messages queue) but stays parked — suspended and busy,
 * so that neither its mailbox nor a stop request runs — until the answer.
 * true (or any value but false): it resumes and its init runs; false: the
 * start is refused with AlreadyStartedError and nothing is left behind; a
 * rejection: refused with that error. Killed meanwhile (an exit signal, its
 * parent's exit, the init timeout): nothing runs later, and a registration
 * that succeeds after its death is undone.
 */
function awaitRegistration(
  rt: Runtime,
  process: Process,
  via: ViaName,
  registration: object,
  then: (...args: unknown[]) => unknown,
): void {
  const pid = process.pid;
  // Sees the answer even when the process died first (`park` then drops it).
  const answered = function (this: unknown, ...args: unknown[]): unknown {
    const onValue = args[0] as (value: unknown) => void;
    return then.call(this, (value: unknown) => {
      if (value !== false && process.life === Life.Dead) {
        try {
          via.via.unregisterName(via.key, pid);
        } catch (error) {
          callbackFailed(rt, "unregisterName", error);
        }
      }
      onValue(value);
    }, args[1]);
  };
  park(rt, process, registration, answered, (value) => {
    if (value === false) {
      refuseRegistration(rt, process, new AlreadyStartedError(targetName(via), holderOf(via)));
      return;
    }
    process.suspended = false;
    const urgent = process.urgent;
    if (urgent !== undefined) {
      // A stop or its parent's exit that came meanwhile: after init, in order.
      process.urgent = undefined;
      for (const { kind, payload } of urgent) deliverSystem(rt, process, kind, payload);
    }
    rt.ports.wake(rt, process);
  }, (error) => refuseRegistration(rt, process, error));
}

/** The registry said no (or failed): the start rejects with `error`, nothing is left behind. */
function refuseRegistration(rt: Runtime, process: Process, error: unknown): void {
  if (process.life !== Life.Starting) return;
  const reject = process.startReject;
  process.via = undefined; // the name is not its own: nothing to unregister
  process.urgent = undefined;
  cleanStart(rt, process, "normal");
  reject?.(error);
}

/**
 * A refused start: from outside, the caller's own rejected Promise; from a
 * process, one that crashes it unless it handles the rejection
 * (`start_refusal.ts`).
 */
function refused(rt: Runtime, parent: Process | undefined, error: unknown): Promise<never> {
  return parent === undefined ? Promise.reject(error) : refuseStart(rt, parent, error);
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

/** Exit hook: a `{ via, key }` name the process was started under is unregistered. */
export const NAMES_EXIT_HOOK: ExitHook = {
  step: "unregisterName",
  run(_rt, process) {
    const via = process.via;
    if (via === undefined) return;
    process.via = undefined;
    via.via.unregisterName(via.key, process.pid);
  },
};
