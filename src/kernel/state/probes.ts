/**
 * Which built-in events anyone listens to, and the tracer (internal): the
 * flags the kernel reads on its hot paths, so a probe with no listener costs
 * one flag read. The emitting functions are in `probes/instrument.ts`.
 *
 * @module
 */

import {
  CALLBACK_EVENTS,
  CALLBACK_KINDS,
  type CallbackExceptionMetadata,
  type CallbackKind,
  type CallbackMetadata,
  type CallbackStartMeasurements,
  type CallbackStopMeasurements,
} from "../../telemetry/catalog/callback_events.ts";
import { PROCESS_EXIT, PROCESS_START } from "../../telemetry/catalog/process_events.ts";
import {
  CALL_LATENCY,
  type CallLatencyMeasurements,
  type CallLatencyMetadata,
} from "../../telemetry/catalog/call_latency_events.ts";
import {
  CALL_EXPIRED,
  MAILBOX_DROPPED,
  MAILBOX_REFUSED,
  SCHEDULER_SLICE,
  TABLE_SIZE,
} from "../../telemetry/catalog/runtime_events.ts";
import type { Telemetry } from "../../telemetry/telemetry.ts";
import type { PreparedEvent } from "../../telemetry/types.ts";
import type { MessageTracer, TracedKind } from "../../tracing/message_tracer.ts";
import { type BatchTarget, batchTargets } from "../../telemetry/_batch.ts";
import type { Process } from "./process.ts";

/** Callback kinds by index (`Process.spanKind`): numbers keep the hot path monomorphic. */
export const KIND_INIT = 0;
export const KIND_CALL = 1;
export const KIND_CAST = 2;
export const KIND_INFO = 3;
export const KIND_CONTINUE = 4;
export const KIND_TERMINATE = 5;
/** `Runtime.timerToken` when no timer message is being delivered. */
export const NO_TOKEN: unique symbol = Symbol("no token");
/** `Process.spanKind` when no callback is being timed. */
export const NO_KIND = -1;
/** Callback kind names by index. */
export const KIND_NAMES: readonly CallbackKind[] = CALLBACK_KINDS; // same order as the indices above
/** Traced kinds by index (undefined: not traced). */
export const TRACED_KINDS: readonly (TracedKind | undefined)[] = [
  undefined,
  "call",
  "cast",
  "info",
  undefined,
  undefined,
];

const NO_TARGETS: readonly BatchTarget[] = Object.freeze([]);

/**
 * The callbacks counted since the last clock reading, all of one process and
 * kind (`probes/_callback_batch.ts` fills and delivers it).
 */
export class CallbackBatch {
  /** Whose callbacks (undefined: none open). */
  process: Process | undefined = undefined;
  kind = NO_KIND;
  /** The process's name when the batch opened (its events' `name`). */
  name: unknown = undefined;
  starts = 0;
  stops = 0;
  /** The clock reading the batch's time runs from. */
  since = 0;
  /** Stops between two clock readings now (1 … `MAX_BATCH_SPAN`), and left until the next. */
  span = 1;
  untilRead = 1;
  /** The mean duration of the last batch that was fast (ms). */
  fastMean = 0;
  startTargets: readonly BatchTarget[] = NO_TARGETS;
  stopTargets: readonly BatchTarget[] = NO_TARGETS;
}

/** Which built-in events anyone listens to now, and their prepared emitters. */
export class Probes {
  /** Any `beamlet.<kind>.start|stop|exception`. */
  callbacks = false;
  process = false;
  mailbox = false;
  scheduler = false;
  tableSize = false;
  /** `beamlet.call.expired`. */
  callExpired = false;
  /** `beamlet.call.latency`: calls read the clock when made, handled and answered. */
  callLatency = false;
  /** Callbacks need timing: events or a tracer. */
  timing = false;
  /**
   * Someone reads a callback's `queue_time`: a tracer, or a handler that is
   * not a batch handler (batch handlers never read it), or an exception event.
   */
  queueTime = false;
  readonly tracer: MessageTracer | undefined;
  /**
   * Per kind index: the kind's start and stop events have only batch
   * handlers (a `Metrics`), so callbacks run by the scheduler are counted
   * into {@linkcode Probes.batch} instead of emitted one by one.
   */
  readonly batched: boolean[] = KIND_NAMES.map(() => false);
  /** Per kind index: the batch handlers of the start / stop event. */
  readonly batchStart: (readonly BatchTarget[])[] = KIND_NAMES.map(() => NO_TARGETS);
  readonly batchStop: (readonly BatchTarget[])[] = KIND_NAMES.map(() => NO_TARGETS);
  /** The callbacks counted and not yet delivered. */
  readonly batch: CallbackBatch = new CallbackBatch();
  /** Per kind index: `beamlet.<kind>.start` / `.stop` / `.exception`. */
  readonly start: readonly PreparedEvent<CallbackStartMeasurements, CallbackMetadata>[];
  readonly stop: readonly PreparedEvent<CallbackStopMeasurements, CallbackMetadata>[];
  readonly exception: readonly PreparedEvent<CallbackStopMeasurements, CallbackExceptionMetadata>[];
  /** `beamlet.call.latency` (`calls/_latency.ts`). */
  readonly latency: PreparedEvent<CallLatencyMeasurements, CallLatencyMetadata>;
  readonly #telemetry: Telemetry;
  readonly #changed: (probes: Probes) => void;

  /** `changed` runs after every refresh (the runtime copies the hot flags). */
  constructor(
    telemetry: Telemetry,
    tracer: MessageTracer | undefined,
    changed: (probes: Probes) => void,
  ) {
    this.#telemetry = telemetry;
    this.tracer = tracer;
    this.#changed = changed;
    this.start = KIND_NAMES.map((kind) => telemetry.prepare(CALLBACK_EVENTS[kind].start));
    this.stop = KIND_NAMES.map((kind) => telemetry.prepare(CALLBACK_EVENTS[kind].stop));
    this.exception = KIND_NAMES.map((kind) => telemetry.prepare(CALLBACK_EVENTS[kind].exception));
    this.latency = telemetry.prepare(CALL_LATENCY);
    telemetry.onChange(() => this.refresh());
    this.refresh();
  }

  refresh(): void {
    const t = this.#telemetry;
    this.callbacks = [...this.start, ...this.stop, ...this.exception].some((e) => e.active);
    this.process = t.hasHandlers(PROCESS_START) ||
      t.hasHandlers(PROCESS_EXIT);
    this.mailbox = t.hasHandlers(MAILBOX_REFUSED) ||
      t.hasHandlers(MAILBOX_DROPPED);
    this.scheduler = t.hasHandlers(SCHEDULER_SLICE);
    this.tableSize = t.hasHandlers(TABLE_SIZE);
    this.callExpired = t.hasHandlers(CALL_EXPIRED);
    this.callLatency = this.latency.active;
    this.timing = this.callbacks || this.tracer !== undefined;
    for (let kind = 0; kind < KIND_NAMES.length; kind++) {
      const start = batchTargets(this.start[kind]);
      const stop = batchTargets(this.stop[kind]);
      this.batched[kind] = this.tracer === undefined && start !== undefined && stop !== undefined &&
        start.length + stop.length > 0;
      this.batchStart[kind] = start ?? NO_TARGETS;
      this.batchStop[kind] = stop ?? NO_TARGETS;
    }
    this.queueTime = this.tracer !== undefined || this.exception.some((e) => e.active) ||
      KIND_NAMES.some((_, kind) =>
        !this.batched[kind] && (this.start[kind].active || this.stop[kind].active)
      );
    this.#changed(this);
  }
}
