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
  CALL_EXPIRED,
  MAILBOX_DROPPED,
  MAILBOX_REFUSED,
  SCHEDULER_SLICE,
  TABLE_SIZE,
} from "../../telemetry/catalog/runtime_events.ts";
import type { Telemetry } from "../../telemetry/telemetry.ts";
import type { PreparedEvent } from "../../telemetry/types.ts";
import type { MessageTracer, TracedKind } from "../../tracing/message_tracer.ts";

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
  /** Callbacks need timing: events or a tracer. */
  timing = false;
  readonly tracer: MessageTracer | undefined;
  /** Per kind index: `beamlet.<kind>.start` / `.stop` / `.exception`. */
  readonly start: readonly PreparedEvent<CallbackStartMeasurements, CallbackMetadata>[];
  readonly stop: readonly PreparedEvent<CallbackStopMeasurements, CallbackMetadata>[];
  readonly exception: readonly PreparedEvent<CallbackStopMeasurements, CallbackExceptionMetadata>[];
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
    this.timing = this.callbacks || this.tracer !== undefined;
    this.#changed(this);
  }
}
