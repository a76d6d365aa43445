/**
 * Queue-length watermarks with hysteresis (internal), for the processes
 * started with `mailbox.watermarks` (`Process.flow`): once the queue
 * reaches `high`, `beamlet.mailbox.watermark` says `level: "high"`; once it
 * has fallen back to `low` or below, `level: "low"` — once each, however
 * long the queue hovers around either mark. Checked where messages are
 * delivered and taken out; a process without flow control pays one field
 * check there.
 *
 * @module
 */

import { Stat } from "../../core/core.ts";
import { MAILBOX_WATERMARK } from "../../telemetry/catalog/mailbox_events.ts";
import { K_CAST, K_INFO } from "../state/envelopes.ts";
import { Level, type MailboxFlow } from "../state/mailbox_flow.ts";
import type { Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";

/**
 * A message of `kind` was delivered to the mailbox of a process with flow
 * control: has it reached `high`? The event's handlers are user code: a
 * cast or info is told at once (nothing is left to do for it), a call or
 * a runtime message in a microtask — its sender still has work to do with
 * it (a call is linked to its server only once delivered, and a handler
 * that killed the server then would leave it waiting).
 */
export function checkHigh(rt: Runtime, process: Process, flow: MailboxFlow, kind: number): void {
  if (flow.high === 0 || flow.level === Level.High) return;
  const length = rt.core.stat(process.coreId, Stat.Length);
  if (length < flow.high) return;
  flow.level = Level.High;
  if (kind === K_CAST || kind === K_INFO) watermark(rt, process, flow, length, "high");
  else queueMicrotask(() => watermark(rt, process, flow, length, "high"));
}

/**
 * Messages were taken out of a mailbox that reached `high`: if it is back
 * to `low`, the event is noted for {@linkcode reportLow} (the scheduler
 * emits it once the message taken out has left its slot).
 */
export function checkLow(rt: Runtime, process: Process, flow: MailboxFlow): void {
  if (flow.level !== Level.High) return;
  const length = rt.core.stat(process.coreId, Stat.Length);
  if (length > flow.low) return;
  flow.level = Level.Low;
  flow.pendingLow = length;
  flow.pending = true;
}

/** Emits the `level: "low"` event {@linkcode checkLow} noted, if any. */
export function reportLow(rt: Runtime, process: Process, flow: MailboxFlow): void {
  const length = flow.pendingLow;
  if (length < 0) return;
  flow.pendingLow = -1;
  watermark(rt, process, flow, length, "low");
}

/** `beamlet.mailbox.watermark`. */
function watermark(
  rt: Runtime,
  process: Process,
  flow: MailboxFlow,
  length: number,
  level: "high" | "low",
): void {
  rt.telemetry.execute(MAILBOX_WATERMARK, { length }, {
    pid: process.pid,
    name: process.name,
    level,
    high: flow.high,
    low: flow.low,
  });
}
