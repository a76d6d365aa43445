/**
 * Callback events in batches (internal): when the only handlers of a
 * callback kind's `start` and `stop` events are aggregators (a `Metrics`
 * reporter, see `telemetry/_batch.ts`), the callbacks the scheduler runs are
 * counted here and handed over in batches, without an event object, a
 * dispatch or a clock read per callback.
 *
 * Counts are exact: every callback is counted once in its `start` and once
 * in its `stop`. Durations are amortised: a batch holds the consecutive
 * callbacks of one process, one kind and one name, and the clock is read
 * when the batch changes (another process, kind or name), after `span` of
 * its callbacks have stopped, when a callback is told one by one (another
 * kind with other handlers, an exception), and when the scheduler's run
 * ends. Each stop between two readings is recorded with their mean
 * duration, except that when those readings are 1 ms or more apart (a slow
 * callback among fast ones) all but one of them get the mean of the last
 * fast batch and one the rest — so a slow callback is measured to within
 * the fast callbacks' time around it, and the sum of durations stays the
 * time measured. `span` adapts as the scheduler's slice check does: it
 * starts at 1 in each scheduler run, doubles (up to
 * {@linkcode MAX_BATCH_SPAN}) while a batch takes under
 * {@linkcode FAST_BATCH_MS}, and drops to 1 (a reading per callback) as
 * soon as one does not.
 *
 * A callback that outlives its run (a Promise) or throws is told to its
 * handlers one by one, as without batches, with a duration measured from
 * the clock reading its batch began at.
 *
 * @module
 */

import type { Metadata } from "../../telemetry/types.ts";
import type { BatchTarget } from "../../telemetry/_batch.ts";
import { type CallbackBatch, KIND_NAMES, NO_KIND, type Probes } from "../state/probes.ts";
import type { Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";

/** Most callbacks between two clock readings. */
export const MAX_BATCH_SPAN = 32;

/** A batch that took less than this (ms) lets the next span double. */
export const FAST_BATCH_MS = 0.1;

/** Readings this far apart (ms) or more mean a slow callback among the batch. */
export const SLOW_CALLBACK_MS = 1;

/** A callback of kind index `kind` of the running `process` begins: count it. */
export function batchStart(rt: Runtime, probes: Probes, process: Process, kind: number): void {
  const batch = probes.batch;
  if (batch.process !== process || batch.kind !== kind || batch.name !== process.name) {
    openBatch(rt, probes, batch, process, kind);
  }
  batch.starts++;
  // Where an async stop or an exception, told one by one, measures from.
  process.spanStart = batch.since;
  // A callback told one by one after this one must not start at the stop
  // before it: read the clock then.
  rt.stamp = -1;
}

/** The callback counted last by {@linkcode batchStart} returned. */
export function batchStop(rt: Runtime, batch: CallbackBatch): void {
  batch.stops++;
  if (--batch.untilRead > 0) return;
  const now = rt.clock.now();
  deliver(batch, now);
  batch.since = now;
  batch.untilRead = batch.span;
}

/**
 * The scheduler's run ended at clock reading `now` (or a callback is told
 * one by one): deliver what the batch holds, and close it.
 */
export function closeBatch(probes: Probes, now: number): void {
  const batch = probes.batch;
  if (batch.process === undefined) return;
  deliver(batch, now);
  batch.span = 1; // each run starts reading the clock after every callback, as each burst does
  batch.process = undefined;
  batch.kind = NO_KIND;
  batch.name = undefined;
}

function openBatch(
  rt: Runtime,
  probes: Probes,
  batch: CallbackBatch,
  process: Process,
  kind: number,
): void {
  const now = rt.clock.now();
  if (batch.process !== undefined) deliver(batch, now);
  batch.process = process;
  batch.kind = kind;
  batch.name = process.name;
  batch.since = now;
  batch.untilRead = batch.span;
  batch.startTargets = probes.batchStart[kind];
  batch.stopTargets = probes.batchStop[kind];
}

/** Hands the counted callbacks over (time measured up to `now`) and adapts the span. */
function deliver(batch: CallbackBatch, now: number): void {
  const starts = batch.starts;
  const stops = batch.stops;
  batch.starts = 0;
  batch.stops = 0;
  const elapsed = now > batch.since ? now - batch.since : 0;
  if (stops > 0) {
    if (elapsed < FAST_BATCH_MS) {
      batch.fastMean = elapsed / stops;
      batch.span = batch.span < MAX_BATCH_SPAN ? batch.span * 2 : MAX_BATCH_SPAN;
    } else {
      batch.span = 1;
    }
  }
  if (starts === 0 && stops === 0) return;
  const process = batch.process!;
  const metadata: Metadata = { pid: process.pid, name: batch.name, kind: KIND_NAMES[batch.kind] };
  if (starts > 0) add(batch.startTargets, metadata, starts, NaN);
  if (stops === 0) return;
  const mean = elapsed / stops;
  if (stops === 1 || elapsed < SLOW_CALLBACK_MS) {
    add(batch.stopTargets, metadata, stops, mean);
    return;
  }
  // A slow callback among fast ones: the fast ones as fast as they were.
  const fast = batch.fastMean < mean ? batch.fastMean : mean;
  add(batch.stopTargets, metadata, stops - 1, fast);
  add(batch.stopTargets, metadata, 1, elapsed - fast * (stops - 1));
}

function add(
  targets: readonly BatchTarget[],
  metadata: Metadata,
  count: number,
  duration: number,
): void {
  for (let i = 0; i < targets.length; i++) {
    const { handler, event } = targets[i];
    try {
      handler.add(event, metadata, count, duration);
    } catch {
      // A batch handler never throws; if one did, it must not reach the scheduler.
    }
  }
}
