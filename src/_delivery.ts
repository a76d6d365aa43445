/**
 * Delivering to mailboxes (internal): resolving targets, the hot path of
 * cast, send and call, runtime messages that must not be lost to a bound,
 * and settling calls.
 *
 * @module
 */

import { CoreCode, REUSED_SLOT, SLOT_MASK, Stat } from "./core/core.ts";
import { CallingSelfError, NoProcError, OverloadedError } from "./errors.ts";
import { From } from "./from.ts";
import { Pid } from "./pid.ts";
import type { CallOptions, Delivery, Target, ViaName, ViaRegistry } from "./options.ts";
import { K_CALL, K_CAST, K_INFO } from "./_envelopes.ts";
import { Life, type Process } from "./_process.ts";
import { PendingCall } from "./_pending_call.ts";
import { TimerKind } from "./_timer_service.ts";
import { lookup, type Runtime } from "./_runtime.ts";

const DEFAULT_CALL_TIMEOUT = 5000;
import { kick } from "./_scheduler.ts";
import { advance } from "./_timeouts.ts";
import { keepToken, mailboxEvent, NO_TOKEN, takeToken, traceSend } from "./_instrument.ts";

/** The live process a target names, if any; a TypeError for anything but a Pid or a string. */
export function resolve(rt: Runtime, target: Target): Process | undefined {
  if (target instanceof Pid) return lookup(rt, target);
  if (typeof target === "string") return rt.names.get(target);
  if (isViaName(target)) {
    const pid = target.via.whereisName(target.key);
    return pid instanceof Pid ? lookup(rt, pid) : undefined;
  }
  throw new TypeError(
    `expected a Pid, a registered name or { via, key }, got ${describe(target)}`,
  );
}

/** Whether a value is a `{ via, key }` name. */
export function isViaName(value: unknown): value is ViaName {
  if (typeof value !== "object" || value === null || !("via" in value)) return false;
  const via = (value as { via: unknown }).via as Partial<ViaRegistry> | null;
  return typeof via === "object" && via !== null && typeof via.whereisName === "function" &&
    typeof via.registerName === "function" && typeof via.unregisterName === "function";
}

/** A target as text, for errors: a pid, a name, or `via(key)`. */
export function targetName(target: Target): string {
  if (!isViaName(target)) return String(target);
  const key = target.key;
  return `via(${typeof key === "string" ? JSON.stringify(key) : describe(key)})`;
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
  const result = rt.core.enqueue(process.coreId);
  if (result < 0) {
    if (result === CoreCode.Full) {
      if (rt.probes.mailbox) mailboxEvent(rt, process, true, "reject", kind);
      return "overloaded";
    }
    if (result === CoreCode.Dropped) {
      if (rt.probes.mailbox) mailboxEvent(rt, process, false, "drop_newest", kind);
      return "dropped";
    }
    return "noproc";
  }
  store(rt, process, result, kind, payload);
  if (rt.tracer !== undefined && kind !== K_CALL) {
    const timed = rt.timerToken;
    keepToken(
      rt,
      result & SLOT_MASK,
      timed !== NO_TOKEN ? timed : traceSend(rt, kind === K_CAST ? "cast" : "info", process),
    );
  }
  return "ok";
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

/** Runtime messages (init, stop, DOWN, EXIT, timeouts) must not be lost to a bound. */
export function deliverSystem(rt: Runtime, process: Process, kind: number, payload: unknown): void {
  if (!rt.scheduled && !rt.running) wakeUp(rt);
  const result = rt.core.enqueue(process.coreId);
  if (result < 0) {
    if (result === CoreCode.Stale) return;
    // The bounded mailbox is full (so the actor is runnable or busy): hold the
    // message back, due after everything queued before it.
    const dueAfter = process.taken + rt.core.stat(process.coreId, Stat.Length);
    process.overflow.push({ kind, payload, dueAfter });
    return;
  }
  store(rt, process, result, kind, payload);
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
  kick(rt);
  advance(rt);
}

/** DropOldest evicted the envelope at `slot`: a call there fails as overloaded. */
export function evicted(rt: Runtime, process: Process, slot: number): void {
  const kind = rt.kinds[slot];
  const payload = rt.payloads[slot];
  if (rt.probes.mailbox) mailboxEvent(rt, process, false, "drop_oldest", kind);
  if (rt.tracer !== undefined) takeToken(rt, slot); // the slot's next message brings its own
  // The ring lost its head without a dequeue: held-back messages are due one sooner.
  for (const held of process.overflow) held.dueAfter--;
  if (kind === K_CALL) {
    const call = payload as PendingCall;
    if (rt.calls.get(call.from.callId) === call) {
      settleCall(rt, call);
      call.reject(new OverloadedError(String(call.target.pid), "dropped"));
    }
  } else if (kind !== K_CAST && kind !== K_INFO) {
    // A runtime message was evicted: hold it back, due now (it was the oldest).
    process.overflow.unshift({ kind, payload, dueAfter: process.taken });
  }
}

/** Grows the kind and payload tables to hold `slot` (payloads in place). */
export function growSlots(rt: Runtime, slot: number): void {
  let size = rt.kinds.length;
  while (size <= slot) size *= 2;
  const kinds = new Uint8Array(size);
  kinds.set(rt.kinds);
  rt.kinds = kinds;
  // In place: the run loop holds this array across handlers that may grow it.
  const payloads = rt.payloads;
  for (let i = payloads.length; i < size; i++) payloads.push(undefined);
}

/** Forgets a pending call (its caller is about to be answered) and cancels its timeout. */
export function settleCall(rt: Runtime, call: PendingCall): void {
  rt.calls.delete(call.from.callId);
  call.target.inboundCalls.delete(call);
  if (call.timer !== 0) rt.timerService.cancel(call.timer);
}

/** `call` from a process (or from outside: `sender` undefined). */
export function callFrom(
  rt: Runtime,
  sender: Process | undefined,
  target: Target,
  request: unknown,
  options: CallOptions | undefined,
): Promise<unknown> {
  const timeout = options?.timeout ?? DEFAULT_CALL_TIMEOUT;
  if (!(timeout >= 0)) {
    return Promise.reject(
      new RangeError(`call: timeout must be a number >= 0 ms or Infinity, got ${timeout}`),
    );
  }
  const process = resolve(rt, target);
  if (!process) return Promise.reject(new NoProcError(targetName(target)));
  if (process === sender) return Promise.reject(new CallingSelfError(targetName(target)));
  return new Promise((settleValue, settleError) => {
    let resolve = settleValue;
    let reject = settleError;
    const tracer = rt.tracer;
    if (tracer !== undefined) {
      resolve = (value) => {
        tracer.callEnd(call.trace, undefined);
        settleValue(value);
      };
      reject = (error) => {
        tracer.callEnd(call.trace, error);
        settleError(error);
      };
    }
    const from = new From(sender?.pid, rt.nextCallId++);
    const call = new PendingCall(from, request, process, timeout, resolve, reject);
    const outcome = deliver(rt, process, K_CALL, call);
    if (outcome !== "ok") {
      settleError(
        outcome === "noproc" ? new NoProcError(targetName(target)) : new OverloadedError(
          String(process.pid),
          outcome === "dropped" ? "dropped" : "refused",
        ),
      );
      return;
    }
    if (tracer !== undefined) call.trace = tracer.send("call", process);
    rt.calls.set(from.callId, call);
    process.inboundCalls.add(call);
    if (Number.isFinite(timeout)) {
      call.timer = rt.timerService.schedule(timeout, {
        kind: TimerKind.CallTimeout,
        call,
        deadline: 0,
      });
    }
  });
}

/** `cast` / `send` from a process: the same as from outside (the sender changes nothing). */
export function deliverFrom(
  rt: Runtime,
  target: Target,
  info: boolean,
  message: unknown,
): Delivery {
  return deliver(rt, resolve(rt, target), info ? K_INFO : K_CAST, message);
}

/**
 * Replies to the caller `from` identifies; a reply to a call that is already
 * settled (answered, timed out, its server gone) is dropped.
 */
export function replyTo(rt: Runtime, from: From, value: unknown): void {
  const call = rt.calls.get(from.callId);
  if (!call) return;
  settleCall(rt, call);
  call.resolve(value);
}

/** Names a value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return `${typeof value} ${String(value)}`;
}
