/**
 * Batched delivery of the runtime's callback events (internal).
 *
 * A `beamlet.<kind>.start` / `.stop` event per callback costs two objects, a
 * dispatch and a clock read; at millions of callbacks a second that is most
 * of a cast's time. A handler that only aggregates (a `Metrics` reporter)
 * can take many such events at once instead: it carries a
 * {@linkcode BatchHandler} under {@linkcode BATCH}, and while every handler
 * of an event has one, the kernel counts the event's callbacks itself and
 * hands them over in batches (`kernel/probes/_callback_batch.ts`). Any other
 * handler attached to the event turns batching off for it: that handler gets
 * each event as before.
 *
 * @module
 */

import type { Metadata, PreparedEvent, TelemetryEvent } from "./types.ts";

/** Where a handler function keeps its batched form. */
export const BATCH: unique symbol = Symbol("beamlet.telemetry.batch");

/** Where a prepared event keeps the lookup of its batch targets. */
export const BATCH_TARGETS: unique symbol = Symbol("beamlet.telemetry.batch_targets");

/** The batched form of a handler. Neither method may throw. */
export interface BatchHandler {
  /**
   * Whether {@linkcode BatchHandler.add} can stand for every event of
   * `event` whose only measurement that matters is `duration`.
   */
  accepts(event: TelemetryEvent): boolean;
  /**
   * `count` events of `event`, all with `metadata`; each measured `duration`
   * (milliseconds; NaN for an event without one, such as a `start`).
   */
  add(event: TelemetryEvent, metadata: Metadata, count: number, duration: number): void;
}

/** A handler that takes batches, and the event name it is attached under. */
export interface BatchTarget {
  readonly handler: BatchHandler;
  readonly event: TelemetryEvent;
}

/**
 * The batch targets of a prepared event now: `[]` when nothing is attached,
 * `undefined` when some handler wants each event.
 */
export function batchTargets(prepared: PreparedEvent): readonly BatchTarget[] | undefined {
  const lookup = (prepared as unknown as {
    [BATCH_TARGETS]?: () => readonly BatchTarget[] | undefined;
  })[BATCH_TARGETS];
  return lookup === undefined ? undefined : lookup();
}

/** The batched form of `handler`, if it has one. */
export function batchHandlerOf(handler: unknown): BatchHandler | undefined {
  if (typeof handler !== "function") return undefined;
  const batch = (handler as { [BATCH]?: unknown })[BATCH];
  return typeof batch === "object" && batch !== null ? batch as BatchHandler : undefined;
}
