/**
 * Shedding by waiting time (internal) — CoDel (K. Nichols and V. Jacobson,
 * "Controlling Queue Delay"; RFC 8289), run at dequeue for the processes
 * started with `mailbox.shed` — and the dequeue of every process with flow
 * control (`Process.flow`: watermarks, shedding or both).
 *
 * Queue length alone cannot tell a busy queue from a stuck one: a thousand
 * messages handled in a millisecond are no trouble, ten that wait seconds
 * each are. CoDel looks at how long the message about to be handled waited
 * (its *sojourn*): only when that stays above `target` for a whole
 * `interval` — a standing queue, not a burst — does it enter its dropping
 * state and shed the message; then one more each time the control law says
 * (`interval / sqrt(count)` after the last, shedding faster while the wait
 * stays long), and it leaves that state as soon as a message waited less
 * than `target`. A message alone in the queue is never judged (RFC 8289's
 * "less than a packet queued"): a slow handler is no standing queue.
 *
 * A shed message is not handled: a cast or info is counted (`flow.shed`,
 * `processInfo().mailbox.shed`) and reported (`beamlet.mailbox.shed`) as a
 * refusal is, and a shed call fails its caller with an `OverloadedError`
 * (`outcome: "shed"`). Runtime messages (init, exit signals, DOWN, stop,
 * timeouts) are never shed: one due for shedding is handled, and shedding
 * goes on with the next.
 *
 * Only processes started with `mailbox.watermarks` or `mailbox.shed` come
 * here (`Process.flow`); the clock is read once per dequeue, and only with
 * `shed`. Enqueue times are the core's stamps (its clock, which the
 * scheduler advances at each check: at most a time slice behind).
 *
 * @module
 */

import { Stat } from "../../core/core.ts";
import { OverloadedError } from "../../errors.ts";
import { MAILBOX_SHED } from "../../telemetry/catalog/mailbox_events.ts";
import { K_CALL, K_CAST, K_INFO } from "../state/envelopes.ts";
import type { MailboxFlow } from "../state/mailbox_flow.ts";
import type { PendingCall } from "../state/pending_call.ts";
import type { Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";
import { takeToken } from "../probes/instrument.ts";
import { settleCall } from "./delivery.ts";
import { checkLow, reportLow } from "./watermarks.ts";

/**
 * Takes the next message out of the mailbox of a process with flow
 * control: its slot, or a negative number when none is left. Messages shed
 * on the way are settled and counted here; the one returned is counted
 * taken by the caller, which then calls {@linkcode flowReport} when
 * `flow.pending` says there are events to emit.
 */
export function flowDequeue(rt: Runtime, process: Process, flow: MailboxFlow): number {
  const slot = flow.target === 0 ? rt.core.dequeue(process.coreId) : codel(rt, process, flow);
  checkLow(rt, process, flow);
  return slot;
}

/** RFC 8289's `dequeue`, over the process's ring. */
function codel(rt: Runtime, process: Process, flow: MailboxFlow): number {
  const now = rt.now();
  let slot = judged(rt, process, flow, now);
  if (slot < 0) {
    flow.dropping = false;
    return slot;
  }
  let shedCount = 0;
  let longest = 0;
  if (flow.dropping) {
    if (!flow.okToDrop) flow.dropping = false; // the wait fell below target: leave
    while (flow.dropping && now >= flow.dropNext && sheddable(rt, slot)) {
      shed(rt, process, flow, slot);
      shedCount++;
      if (flow.sojourn > longest) longest = flow.sojourn;
      flow.count++;
      slot = judged(rt, process, flow, now);
      if (slot < 0 || !flow.okToDrop) flow.dropping = false;
      else flow.dropNext = controlLaw(flow, flow.dropNext, flow.count);
    }
  } else if (flow.okToDrop && sheddable(rt, slot)) {
    shed(rt, process, flow, slot);
    shedCount = 1;
    longest = flow.sojourn;
    slot = judged(rt, process, flow, now);
    flow.dropping = true;
    // Dropping again soon after the last dropping state: resume near its pace.
    const delta = flow.count - flow.lastCount;
    flow.count = delta > 1 && now - flow.dropNext < 16 * flow.interval ? delta : 1;
    flow.dropNext = controlLaw(flow, now, flow.count);
    flow.lastCount = flow.count;
  }
  if (shedCount > 0) {
    // The wait measured before them was a shed message's: report this one's.
    if (rt.probes.queueTime && slot >= 0) process.queueTime = flow.sojourn;
    flow.pendingShed = shedCount;
    flow.pendingLongest = longest;
    flow.pending = true;
  }
  return slot;
}

/**
 * RFC 8289's `dodequeue`: takes the head message out and judges its wait
 * (`flow.okToDrop`, `flow.sojourn`).
 */
function judged(rt: Runtime, process: Process, flow: MailboxFlow, now: number): number {
  const core = rt.core;
  const id = process.coreId;
  const enqueuedAt = core.stat(id, Stat.OldestEnqueuedAt);
  const slot = core.dequeue(id);
  flow.okToDrop = false;
  if (slot < 0) {
    flow.firstAboveTime = 0;
    return slot;
  }
  const sojourn = now - enqueuedAt;
  flow.sojourn = sojourn > 0 ? sojourn : 0;
  if (sojourn < flow.target || core.stat(id, Stat.Length) === 0) {
    flow.firstAboveTime = 0;
  } else if (flow.firstAboveTime === 0) {
    flow.firstAboveTime = now + flow.interval;
  } else if (now >= flow.firstAboveTime) {
    flow.okToDrop = true;
  }
  return slot;
}

/** The control law: the next shedding time, `interval / sqrt(count)` after `t`. */
function controlLaw(flow: MailboxFlow, t: number, count: number): number {
  return t + flow.interval / Math.sqrt(count);
}

/** Calls, casts and infos may be shed; runtime messages never are. */
function sheddable(rt: Runtime, slot: number): boolean {
  const kind = rt.kinds[slot];
  return kind === K_CALL || kind === K_CAST || kind === K_INFO;
}

/** Sheds the message at `slot` (already out of the ring): counted, and a call's caller told. */
function shed(rt: Runtime, process: Process, flow: MailboxFlow, slot: number): void {
  process.taken++;
  flow.shed++;
  rt.sched.shed++;
  const kind = rt.kinds[slot];
  const payload = rt.payloads[slot];
  rt.payloads[slot] = undefined;
  if (kind !== K_CALL) {
    if (rt.tracer !== undefined) takeToken(rt, slot);
    return;
  }
  const call = payload as PendingCall;
  if (call.settled) return; // its caller gave up already
  settleCall(rt, call);
  call.reject(new OverloadedError(String(process.pid), "shed"));
}

/**
 * Emits the events the last {@linkcode flowDequeue} noted (`flow.pending`):
 * `beamlet.mailbox.shed`, and the low watermark. Called by the scheduler
 * once the message taken out has left its slot: the handlers are user code,
 * and a send from one could take that slot over.
 */
export function flowReport(rt: Runtime, process: Process, flow: MailboxFlow): void {
  flow.pending = false;
  const count = flow.pendingShed;
  if (count > 0) {
    flow.pendingShed = 0;
    rt.telemetry.execute(MAILBOX_SHED, { count, sojourn: flow.pendingLongest }, {
      pid: process.pid,
      name: process.name,
    });
  }
  reportLow(rt, process, flow);
}
