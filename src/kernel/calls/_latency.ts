/**
 * `beamlet.call.latency` (internal): a measured call (`PendingCall.madeAt`
 * set when it was made, because the event had a handler then) is stamped
 * when its `handleCall` starts and told when its caller is answered.
 *
 * A call not measured costs nothing here beyond the `madeAt` check.
 *
 * @module
 */

import type { PendingCall } from "../state/pending_call.ts";
import type { Runtime } from "../state/runtime.ts";

/** A measured call's `handleCall` starts now (the caller checked `call.madeAt >= 0`). */
export function callHandlingStarts(rt: Runtime, call: PendingCall): void {
  call.startedAt = rt.now();
}

/**
 * Tells `beamlet.call.latency` that a measured call's caller was just
 * answered (`deferred`: through `reply(from, …)`; the caller checked
 * `call.madeAt >= 0`). A reply given before its
 * `handleCall` started (a `From` passed on to another process, answered
 * first) counts all its time as queued.
 */
export function callAnswered(rt: Runtime, call: PendingCall, deferred: boolean): void {
  const now = rt.now();
  const made = call.madeAt;
  const started = call.startedAt >= made ? call.startedAt : now;
  const target = call.target;
  const queued = started - made;
  const handling = now - started;
  rt.probes.latency.emit({
    monotonic_time: now + rt.origin,
    queued: queued > 0 ? queued : 0,
    handling: handling > 0 ? handling : 0,
    round_trip: now > made ? now - made : 0,
  }, {
    pid: target.pid,
    name: target.name,
    caller: call.from.pid,
    deferred,
  });
}
