/**
 * One call waiting for its reply (internal).
 *
 * @module
 */

import type { From } from "../../from.ts";
import type { Process } from "./process.ts";
import type { DeadlineQueue } from "./call_deadlines.ts";

/**
 * A caller's promise, its deadline and where it waits. A pending call is
 * threaded on two intrusive lists — the calls its target owes a reply
 * (`Process.inbound`) and the calls its caller waits on
 * (`Process.outbound`) — so that making and settling a call allocate no
 * collection entry (V8 reallocates a Set's table when it empties).
 */
export class PendingCall {
  readonly from: From;
  readonly request: unknown;
  readonly target: Process;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly timeout: number;
  /** The calling process (undefined: a call from outside any process). */
  readonly caller: Process | undefined;
  /** Runtime-clock ms at which it times out (Infinity: never). */
  deadline = Infinity;
  /** The deadline queue it waits in (`state/call_deadlines.ts`), if it has a deadline. */
  queue: DeadlineQueue | undefined = undefined;
  /** Answered, timed out, refused or released: nothing settles it again. */
  settled = false;
  /** The tracer's token for this call (only with a tracer). */
  trace: unknown = undefined;
  /** Its reply is a thenable being awaited: no other reply answers it (the server's exit still does). */
  answered = false;
  /**
   * The error its caller was rejected with, when it failed (timed out, its
   * signal aborted, its caller or server exited): the reason of its
   * handler's signal (`calls/handler_signal.ts`).
   */
  failure: unknown = undefined;
  /**
   * Runtime-clock ms at which it was made, when `beamlet.call.latency` had a
   * handler then (-1: it is not measured, and no clock is read for it).
   */
  madeAt = -1;
  /** Runtime-clock ms at which its `handleCall` started (-1: not yet, or not measured). */
  startedAt = -1;
  /** Behind its handler's `ctx.signal`, created only if the handler reads it. */
  controller: AbortController | undefined = undefined;
  /** Neighbours in its target's list of calls owed a reply. */
  inPrev: PendingCall | undefined = undefined;
  inNext: PendingCall | undefined = undefined;
  /** Neighbours in its caller's list of calls waited on. */
  outPrev: PendingCall | undefined = undefined;
  outNext: PendingCall | undefined = undefined;

  constructor(
    from: From,
    request: unknown,
    target: Process,
    timeout: number,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
    caller: Process | undefined = undefined,
  ) {
    this.from = from;
    this.request = request;
    this.target = target;
    this.timeout = timeout;
    this.resolve = resolve;
    this.reject = reject;
    this.caller = caller;
  }
}

/** Threads a call on its target's list of calls owed a reply (and its caller's, if any). */
export function linkCall(call: PendingCall): void {
  const target = call.target;
  const first = target.inbound;
  call.inNext = first;
  if (first !== undefined) first.inPrev = call;
  target.inbound = call;
  const caller = call.caller;
  if (caller === undefined) return;
  const out = caller.outbound;
  call.outNext = out;
  if (out !== undefined) out.outPrev = call;
  caller.outbound = call;
}

/** Takes a call off both lists it is threaded on (a call not on them is left alone). */
export function unlinkCall(call: PendingCall): void {
  const prev = call.inPrev;
  const next = call.inNext;
  if (prev !== undefined) prev.inNext = next;
  else if (call.target.inbound === call) call.target.inbound = next;
  if (next !== undefined) next.inPrev = prev;
  call.inPrev = call.inNext = undefined;
  const caller = call.caller;
  if (caller === undefined) return;
  const before = call.outPrev;
  const after = call.outNext;
  if (before !== undefined) before.outNext = after;
  else if (caller.outbound === call) caller.outbound = after;
  if (after !== undefined) after.outPrev = before;
  call.outPrev = call.outNext = undefined;
}
