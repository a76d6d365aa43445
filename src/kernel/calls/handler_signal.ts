/**
 * The server side of a call's deadline (internal): the `AbortSignal` its
 * handler sees (`ctx.signal`), created only when the handler asks for it,
 * and aborted when the call fails — its deadline passed, its caller's signal
 * aborted, its caller exited, or the server itself exited — with the error
 * the caller got as its reason. A call answered normally never aborts it.
 *
 * @module
 */

import type { PendingCall } from "../state/pending_call.ts";

let neverAborted: AbortSignal | undefined;

/** A signal nothing can abort: what `ctx.signal` is outside `handleCall`. */
export function signalNeverAborted(): AbortSignal {
  return neverAborted ??= new AbortController().signal;
}

/**
 * The handler's signal for `call`, created on first use: already aborted
 * when the call failed before (a call handled after its caller gave up).
 */
export function handlerSignal(call: PendingCall): AbortSignal {
  let controller = call.controller;
  if (controller === undefined) {
    controller = call.controller = new AbortController();
    if (call.failure !== undefined) controller.abort(call.failure);
  }
  return controller.signal;
}

/**
 * `call` failed with `error` (its caller was or is about to be rejected
 * with it): remembered for a signal created later, and the signal already
 * handed out, if any, aborts — in a microtask, so the listeners (user code)
 * never run inside the kernel's own bookkeeping (a sweep, an exit).
 */
export function callFailed(call: PendingCall, error: unknown): void {
  call.failure = error;
  const controller = call.controller;
  if (controller === undefined) return;
  queueMicrotask(() => controller.abort(error));
}
