/**
 * Delivering to mailboxes (internal): resolving targets, the hot path of
 * cast, send and call, runtime messages that must not be lost to a bound,
 * and settling calls.
 *
 * @module
 */

import { ActorState, CoreCode, REUSED_SLOT, SLOT_MASK, Stat } from "./core/core.ts";
import {
  CallingSelfError,
  NoProcError,
  OverloadedError,
  ReplyRejectedError,
  SystemLimitError,
} from "./errors.ts";
import { From } from "./from.ts";
import { Pid, Ref } from "./pid.ts";
import type {
  CallOptions,
  Delivery,
  MailboxPort,
  Target,
  ViaName,
  ViaRegistry,
} from "./options.ts";
import { K_CALL, K_CAST, K_INFO, K_NOOP } from "./_envelopes.ts";
import { Life, type Process } from "./_process.ts";
import { PendingCall } from "./_pending_call.ts";
import { TimerKind } from "./_timer_service.ts";
import { lookup, type Runtime } from "./_runtime.ts";
import { checkOptionsObject, readOptions, timeoutOf } from "./_options.ts";
import { describeValue, inspect } from "./_inspect.ts";
import { kick } from "./_scheduler.ts";
import { thenError, thenOf } from "./_callbacks.ts";
import { advance } from "./_timeouts.ts";
import type { MessageTracer } from "./tracing/message_tracer.ts";
import {
  callbackFailed,
  keepToken,
  mailboxEvent,
  NO_TOKEN,
  outOfMemoryEvent,
  takeToken,
  traceSend,
} from "./_instrument.ts";

const DEFAULT_CALL_TIMEOUT = 5000;

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
  return "ok";
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
    process.overflow.push({ kind, payload, dueAfter });
    if (result !== CoreCode.Full) nudge(rt, process); // nothing queued may ever run it
    return;
  }
  store(rt, process, result, kind, payload);
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
  kick(rt);
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

/** Forgets a pending call (its caller is about to be answered) and cancels its timeout. */
export function settleCall(rt: Runtime, call: PendingCall): void {
  rt.calls.delete(call.from.callId);
  call.target.inboundCalls.delete(call);
  call.caller?.outboundCalls?.delete(call);
  if (call.timer !== 0) rt.timerService.cancel(call.timer);
}

/**
 * `call` from a process (or from outside: `sender` undefined). Everything is
 * checked before the request is delivered: a bad timeout, an unknown target,
 * a call to oneself (from a process, or from outside while that very
 * process's callback runs), a full timer table.
 */
export function callFrom(
  rt: Runtime,
  sender: Process | undefined,
  target: Target,
  request: unknown,
  options: CallOptions | undefined,
): Promise<unknown> {
  let timeout: number;
  let process: Process | undefined;
  try {
    timeout = readOptions("call: options", () => {
      if (options !== undefined) checkOptionsObject("call: options", options);
      return timeoutOf("call: timeout", options?.timeout, DEFAULT_CALL_TIMEOUT);
    });
    process = resolve(rt, target);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!process) {
    const port = rt.remote === undefined ? undefined : portOf(rt, target);
    if (port !== undefined) return callRemote(rt, port, sender, request, timeout);
    return Promise.reject(noProc(target));
  }
  if (process === sender || (sender === undefined && process === rt.current)) {
    return Promise.reject(new CallingSelfError(targetName(target)));
  }
  const found = process;
  return new Promise((settleValue, settleError) => {
    let resolve = settleValue;
    let reject = settleError;
    const tracer = rt.tracer;
    if (tracer !== undefined) {
      // The caller settles whatever the tracer does; a tracer that throws
      // is reported, and the code that settled the call goes on.
      resolve = (value) => {
        endCall(rt, tracer, call.trace, undefined);
        settleValue(value);
      };
      reject = (error) => {
        endCall(rt, tracer, call.trace, error);
        settleError(error);
      };
    }
    const from = new From(sender?.pid, rt.nextCallId++, rt.node);
    const call = new PendingCall(from, request, found, timeout, resolve, reject, sender);
    if (timeout !== Infinity) {
      try {
        call.timer = rt.timerService.schedule(timeout, {
          kind: TimerKind.CallTimeout,
          call,
          deadline: 0,
        });
      } catch (error) {
        settleError(error); // the timer table is full: nothing was delivered
        return;
      }
    }
    const outcome = deliver(rt, found, K_CALL, call);
    if (outcome !== "ok") {
      if (call.timer !== 0) rt.timerService.cancel(call.timer);
      settleError(callRefusal(rt, found, target, outcome));
      return;
    }
    if (tracer !== undefined) call.trace = traceSend(rt, "call", found);
    rt.calls.set(from.callId, call);
    found.inboundCalls.add(call);
    if (sender !== undefined) (sender.outboundCalls ??= new Set()).add(call);
  });
}

/** Tells the tracer a call ended (a tracer that throws is reported, not thrown). */
function endCall(rt: Runtime, tracer: MessageTracer, token: unknown, error: unknown): void {
  try {
    tracer.callEnd(token, error);
  } catch (thrown) {
    callbackFailed(rt, "tracer callEnd", thrown);
  }
}

/** Why a call's request was not delivered, as the error its caller gets. */
function callRefusal(rt: Runtime, process: Process, target: Target, outcome: Delivery): Error {
  switch (outcome) {
    case "noproc":
      return noProc(target);
    case "out_of_memory":
      return new SystemLimitError(
        "queued_messages",
        `call to ${process.pid}: the system has no room for another queued message (${rt.core.slotsInUse()} queued, maxQueuedMessages ${rt.core.slotLimit})`,
      );
  }
  return new OverloadedError(String(process.pid), outcome === "dropped" ? "dropped" : "refused");
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
    if (!isPid(pid) || pid.node === rt.node) return undefined;
    const port = remote(pid);
    return typeof port === "object" && port !== null ? port : undefined;
  } catch (error) {
    callbackFailed(rt, "remote resolver", error);
    return undefined;
  }
}

/** A call to a pid of another node, through its port; a port that throws rejects the call. */
function callRemote(
  rt: Runtime,
  port: MailboxPort,
  sender: Process | undefined,
  request: unknown,
  timeout: number,
): Promise<unknown> {
  try {
    return Promise.resolve(
      port.call(request, new From(sender?.pid, rt.nextCallId++, rt.node), timeout),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Whether a value is a From (never throws). */
function isFrom(value: unknown): value is From {
  if (typeof value !== "object" || value === null) return false;
  try {
    return value instanceof From;
  } catch {
    return false;
  }
}

/**
 * Replies to the caller `from` identifies; a reply to a call that is already
 * settled (answered, timed out, its server gone) is dropped. Anything but a
 * `From` given to `handleCall` is a TypeError.
 */
export function replyTo(rt: Runtime, from: From, value: unknown): void {
  if (!isFrom(from)) {
    throw new TypeError(
      `reply: from must be the From that handleCall received, got ${describeValue(from)}`,
    );
  }
  // Calls are found by value (node and call id, never reused), not by the From object.
  if (from.node !== rt.node) return;
  const call = rt.calls.get(from.callId);
  if (!call || call.answered) return;
  answer(rt, call, value);
}

/**
 * Hands `value` to the caller. A Promise (any thenable) is awaited first, as
 * the caller's own `await` would, but as a deferred reply is in OTP: under
 * the call's deadline (a thenable that never settles ends in a
 * `CallTimeoutError`, not a caller waiting forever) and while the server
 * lives (its exit rejects the caller with an `ExitError`, as for any reply
 * still owed). No second reply answers it meanwhile; a rejection reaches the
 * caller as a `ReplyRejectedError`.
 */
function answer(rt: Runtime, call: PendingCall, value: unknown): void {
  const then = thenOf(value);
  if (then === undefined) {
    settleCall(rt, call);
    call.resolve(value);
    return;
  }
  call.answered = true;
  const pending = () => rt.calls.get(call.from.callId) === call;
  const fail = (error: unknown) => {
    if (!pending()) return;
    settleCall(rt, call);
    call.reject(new ReplyRejectedError(String(call.target.pid), error));
  };
  if (typeof then !== "function") {
    fail(thenError());
    return;
  }
  try {
    then.call(value, (resolved: unknown) => {
      if (pending()) answer(rt, call, resolved);
    }, fail);
  } catch (error) {
    fail(error);
  }
}
