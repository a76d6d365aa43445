/**
 * Delivering to mailboxes (internal): resolving targets, the hot path of
 * cast, send and call, runtime messages that must not be lost to a bound,
 * and settling calls.
 *
 * @module
 */

import { ActorState, CoreCode, REUSED_SLOT, SLOT_MASK, Stat } from "../../core/core.ts";
import { NoProcError, OverloadedError } from "../../errors.ts";
import { Pid, Ref } from "../../pid.ts";
import type { Delivery, MailboxPort, Target, ViaName, ViaRegistry } from "../../options.ts";
import { K_CALL, K_CAST, K_INFO, K_NOOP } from "../state/envelopes.ts";
import { Life, type Process } from "../state/process.ts";
import { type PendingCall, unlinkCall } from "../state/pending_call.ts";
import { leaveQueue } from "../state/call_deadlines.ts";
import { INDEX_MASK, lookup, type Runtime } from "../state/runtime.ts";
import type { ExitHook } from "../state/ports.ts";
import { describeValue, inspect } from "../../_inspect.ts";
import {
  callbackFailed,
  keepToken,
  mailboxEvent,
  outOfMemoryEvent,
  takeToken,
  traceSend,
} from "../probes/instrument.ts";
import { NO_TOKEN } from "../state/probes.ts";
import { LONG_QUEUE_SEND_REDUCTIONS, PUNISH_EVERY, SEND_REDUCTIONS } from "../state/reductions.ts";
import { checkHigh } from "./watermarks.ts";

/** Whether a value is a Pid (false for a Proxy whose prototype trap throws). Never throws. */
export function isPid(value: unknown): value is Pid {
  if (typeof value !== "object" || value === null) return false;
  try {
    return value instanceof Pid;
  } catch {
    return false;
  }
}

/** Whether a value is a Ref (false for a Proxy whose prototype trap throws). Never throws. */
export function isRef(value: unknown): value is Ref {
  if (typeof value !== "object" || value === null) return false;
  try {
    return value instanceof Ref;
  } catch {
    return false;
  }
}

/** The live process a target names, if any; a TypeError for anything but a Pid, a name or `{ via, key }`. */
export function resolve(rt: Runtime, target: Target): Process | undefined {
  if (isPid(target)) return lookup(rt, target);
  if (typeof target === "string") return rt.names.get(target);
  if (isViaName(target)) {
    const pid = target.via.whereisName(target.key);
    return isPid(pid) ? lookup(rt, pid) : undefined;
  }
  throw new TypeError(
    `expected a Pid, a registered name or { via, key }, got ${describeValue(target)}`,
  );
}

/** Whether a value is a `{ via, key }` name (false for anything that cannot be read). */
export function isViaName(value: unknown): value is ViaName {
  if (typeof value !== "object" || value === null) return false;
  try {
    if (!("via" in value)) return false;
    const via = (value as { via: unknown }).via as Partial<ViaRegistry> | null;
    return typeof via === "object" && via !== null && typeof via.whereisName === "function" &&
      typeof via.registerName === "function" && typeof via.unregisterName === "function";
  } catch {
    return false;
  }
}

/** A target as text, for errors: a pid, a name, or `via(key)`. Never throws. */
export function targetName(target: Target): string {
  if (isPid(target) || typeof target === "string") return String(target);
  if (!isViaName(target)) return inspect(target, 80);
  const key = target.key;
  return `via(${typeof key === "string" ? JSON.stringify(key) : inspect(key, 80)})`;
}

/** The process a target names, or a NoProcError. */
export function resolveOrThrow(rt: Runtime, target: Target): Process {
  const process = resolve(rt, target);
  if (!process) throw new NoProcError(targetName(target));
  return process;
}

/** Queues one envelope: the hot path of cast, send and call. */
export function deliver(
  rt: Runtime,
  process: Process | undefined,
  kind: number,
  payload: unknown,
): Delivery {
  if (process === undefined || process.life >= Life.Exiting) return "noproc";
  if (!rt.scheduled && !rt.running) wakeUp(rt);
  // Charged to the running process, if any (reset when a run begins).
  if (((rt.charged += SEND_REDUCTIONS) & (PUNISH_EVERY - 1)) === 0) punish(rt, process);
  const result = rt.core.enqueue(process.coreId);
  if (result < 0) return refused(rt, process, result, kind);
  store(rt, process, result, kind, payload);
  if (rt.tracer !== undefined && kind !== K_CALL) {
    const timed = rt.timerToken;
    keepToken(
      rt,
      result & SLOT_MASK,
      timed !== NO_TOKEN ? timed : traceSend(rt, kind === K_CAST ? "cast" : "info", process),
    );
  }
  // Watermarks (`watermarks.ts`): last, as their handlers are user code.
  if (process.flow !== undefined) checkHigh(rt, process, process.flow, kind);
  return "ok";
}

/**
 * The sampled look at a send's target (`state/reductions.ts`): a target
 * with a budget's worth of messages queued makes the sends since the last
 * look cost {@linkcode LONG_QUEUE_SEND_REDUCTIONS} each.
 */
function punish(rt: Runtime, process: Process): void {
  if (rt.current === undefined || process === rt.current) return;
  const core = rt.core;
  if (core.stat(process.coreId, Stat.Length) < core.reductionBudget) return;
  rt.charged += PUNISH_EVERY * (LONG_QUEUE_SEND_REDUCTIONS - SEND_REDUCTIONS);
}

/** `enqueue` refused a message with `code`: what the sender learns, counted. */
function refused(rt: Runtime, process: Process, code: number, kind: number): Delivery {
  switch (code) {
    case CoreCode.Full:
      if (rt.probes.mailbox) mailboxEvent(rt, process, true, "reject", kind);
      return "overloaded";
    case CoreCode.Dropped:
      if (rt.probes.mailbox) mailboxEvent(rt, process, false, "drop_newest", kind);
      return "dropped";
    case CoreCode.Limit:
    case CoreCode.OutOfMemory:
      rt.sched.outOfMemory++;
      if (rt.probes.mailbox) outOfMemoryEvent(rt, process, kind);
      return "out_of_memory";
  }
  return "noproc";
}

/** A `sendAfter` message: delivered with the tracer token taken when the timer was set. */
export function deliverTimed(
  rt: Runtime,
  process: Process,
  payload: unknown,
  token: unknown,
): void {
  if (rt.tracer === undefined) {
    deliver(rt, process, K_INFO, payload);
    return;
  }
  rt.timerToken = token;
  try {
    deliver(rt, process, K_INFO, payload);
  } finally {
    rt.timerToken = NO_TOKEN;
  }
}

/**
 * Runtime messages (init, stop, DOWN, EXIT, timeouts) must not be lost to a
 * bound, nor to the system's queued-message limit: when the mailbox cannot
 * take one, it is held back, due after everything queued before it.
 */
export function deliverSystem(rt: Runtime, process: Process, kind: number, payload: unknown): void {
  if (!rt.scheduled && !rt.running) wakeUp(rt);
  const result = rt.core.enqueue(process.coreId);
  if (result < 0) {
    if (result === CoreCode.Stale) return;
    const dueAfter = process.taken + rt.core.stat(process.coreId, Stat.Length);
    (process.overflow ??= []).push({ kind, payload, dueAfter });
    if (result !== CoreCode.Full) nudge(rt, process); // nothing queued may ever run it
    return;
  }
  store(rt, process, result, kind, payload);
  if (process.flow !== undefined) checkHigh(rt, process, process.flow, kind);
}

/**
 * A stop request or the parent's exit for a suspended process: handled even
 * while it is suspended (it handles nothing else until `resume`).
 */
export function deliverUrgent(rt: Runtime, process: Process, kind: number, payload: unknown): void {
  (process.urgent ??= []).push({ kind, payload });
  nudge(rt, process);
}

/**
 * Gets a process run that has held-back or urgent work its ring does not
 * show (the core schedules an actor only on enqueue): a suspended one is
 * woken, and an idle one gets a no-op message. When even that finds no room
 * (the system's queued-message limit), it is retried after each scheduler
 * run, as handled messages free slots.
 */
export function nudge(rt: Runtime, process: Process): void {
  if (process.life === Life.Dead || process.busy) return; // settling its callback wakes it
  const core = rt.core;
  const id = process.coreId;
  if (core.stat(id, Stat.State) === ActorState.Blocked) core.wake(id);
  if (core.stat(id, Stat.State) === ActorState.Waiting) {
    if (!rt.scheduled && !rt.running) wakeUp(rt);
    const result = core.enqueue(id);
    if (result >= 0) store(rt, process, result, K_NOOP, undefined);
    else rt.nudged.push(process);
  }
  rt.ports.kick(rt);
}

/** Puts an accepted envelope in the slot `enqueue` returned (after a DropOldest eviction, if any). */
export function store(
  rt: Runtime,
  process: Process,
  result: number,
  kind: number,
  payload: unknown,
): void {
  let slot = result;
  if (result & REUSED_SLOT) {
    slot = result & SLOT_MASK;
    evicted(rt, process, slot);
  }
  if (slot >= rt.kinds.length) growSlots(rt, slot);
  rt.payloads[slot] = payload;
  rt.kinds[slot] = kind;
}

/**
 * The first message after the system went idle: schedule a run, and let the
 * core clock catch up so the message's enqueue time (its age) is right.
 */
export function wakeUp(rt: Runtime): void {
  wakeUpAt(rt, rt.now());
}

/**
 * {@linkcode wakeUp} with a clock reading (runtime clock) the caller already
 * took. The run it queues starts from that reading too (`wakeReading`): it
 * is at most as old as the synchronous code between the two, and an older
 * reading only makes that slice end sooner and its timers fire at the next
 * check — one clock reading less for a message that wakes an idle system.
 */
export function wakeUpAt(rt: Runtime, now: number): void {
  rt.wakeReading = now + rt.origin;
  rt.ports.kick(rt);
  rt.timerService.advanceTo(now);
}

/** DropOldest evicted the envelope at `slot`: a call there fails as overloaded. */
export function evicted(rt: Runtime, process: Process, slot: number): void {
  const kind = rt.kinds[slot];
  const payload = rt.payloads[slot];
  if (rt.probes.mailbox) mailboxEvent(rt, process, false, "drop_oldest", kind);
  if (rt.tracer !== undefined) takeToken(rt, slot); // the slot's next message brings its own
  // The ring lost its head without a dequeue: held-back messages are due one sooner.
  const overflow = process.overflow;
  if (overflow !== undefined) { for (const held of overflow) held.dueAfter--; }
  if (kind === K_CALL) {
    const call = payload as PendingCall;
    if (!call.settled) {
      settleCall(rt, call);
      call.reject(new OverloadedError(String(call.target.pid), "dropped"));
    }
  } else if (kind !== K_CAST && kind !== K_INFO) {
    // A runtime message was evicted: hold it back, due now (it was the oldest).
    (process.overflow ??= []).unshift({ kind, payload, dueAfter: process.taken });
  }
}

/**
 * Grows the kind and payload tables to hold `slot`, doubling (payloads in
 * place: the run loop holds the array). The core's slot limit bounds them.
 */
export function growSlots(rt: Runtime, slot: number): void {
  let size = rt.kinds.length;
  while (size <= slot) size *= 2;
  const kinds = new Uint8Array(size);
  kinds.set(rt.kinds);
  rt.kinds = kinds;
  const payloads = rt.payloads;
  for (let i = payloads.length; i < size; i++) payloads.push(undefined);
}

/**
 * Forgets a pending call (its caller is about to be answered): out of the
 * call table and both lists, its deadline no longer counted (the deadline
 * queue drops it when swept).
 */
export function settleCall(rt: Runtime, call: PendingCall): void {
  call.settled = true;
  rt.settledCalls = true; // its caller's continuation is a microtask: let it run soon
  rt.calls.remove(call);
  unlinkCall(call);
  // No call left to time out: the sweep timer stays set (setting it again per
  // call would cost more) but no longer holds the host open.
  if (leaveQueue(call)) rt.timerService.setWeak(rt.deadlines.timer, true);
}

/**
 * `cast` / `send` (`info`), from a process or from outside (the sender
 * changes nothing): the routing seam of the hot path. A local target is
 * delivered to its mailbox; a pid of another node goes to the port
 * `SystemOptions.remote` finds for it, if any.
 */
export function deliverFrom(
  rt: Runtime,
  target: Target,
  info: boolean,
  message: unknown,
): Delivery {
  const process = resolve(rt, target);
  if (process !== undefined || rt.remote === undefined) {
    return deliver(rt, process, info ? K_INFO : K_CAST, message);
  }
  const port = portOf(rt, target);
  if (port === undefined) return "noproc";
  try {
    return port.deliver(info ? "info" : "cast", message);
  } catch (error) {
    // A payload the port cannot carry (a TypeError such as an unencodable
    // value) is the sender's mistake: it gets the error, as a bad argument.
    if (error instanceof TypeError) throw error;
    callbackFailed(rt, "remote deliver", error);
    return "noproc";
  }
}

/** The NoProcError for a target (with the pid, when it is one). */
export function noProc(target: Target): NoProcError {
  return new NoProcError(targetName(target), isPid(target) ? { pid: target } : undefined);
}

/**
 * The routing seam for targets that are not local: the port of the node a
 * pid (or the pid a `{ via, key }` name resolves to) belongs to, as
 * `SystemOptions.remote` says, or `undefined` (no such process anywhere this
 * system can reach). A resolver that throws is reported and reaches nothing.
 */
export function portOf(rt: Runtime, target: Target): MailboxPort | undefined {
  const remote = rt.remote;
  if (remote === undefined) return undefined;
  let pid: unknown = target;
  try {
    if (isViaName(target)) pid = target.via.whereisName(target.key);
    else if (typeof target === "string") pid = rt.directory?.whereis(target);
    if (!isPid(pid) || (pid.node === rt.node && pid.scheduler === rt.scheduler)) return undefined;
    const port = remote(pid);
    return typeof port === "object" && port !== null ? port : undefined;
  } catch (error) {
    callbackFailed(rt, "remote resolver", error);
    return undefined;
  }
}

/** Drops its queued messages, frees its core actor and its names. */
function freeMailbox(rt: Runtime, process: Process): void {
  const core = rt.core;
  const id = process.coreId;
  const tracing = rt.tracer !== undefined;
  for (let slot = core.dequeue(id); slot >= 0; slot = core.dequeue(id)) {
    rt.payloads[slot] = undefined;
    if (tracing) takeToken(rt, slot);
  }
  core.free(id);
  rt.byIndex[id & INDEX_MASK] = undefined;
  rt.bySerial.delete(process.pid.serial);
  if (process.name !== undefined && rt.names.get(process.name) === process) {
    rt.names.delete(process.name);
    rt.directory?.unregistered(process.name, process.pid);
  }
  process.overflow = undefined;
  process.urgent = undefined;
}

/** Exit hook: the mailbox is dropped, the core actor freed, the pid and name forgotten. */
export const MAILBOX_EXIT_HOOK: ExitHook = {
  step: "mailbox",
  run(rt, process) {
    freeMailbox(rt, process);
  },
};
