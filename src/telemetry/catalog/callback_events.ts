/**
 * The events around every callback a process runs:
 * `beamlet.<kind>.start`, `.stop` and `.exception`, for each callback kind.
 * A callback that returns a Promise stops when it settles. Reading the clock
 * is the largest cost of timing a callback, so a callback that follows
 * another in the same run starts at the time the previous one stopped (its
 * `duration` includes the scheduler's few nanoseconds between the two).
 * `queue_time` is read off the core clock, at its 1 ms resolution, and is 0
 * for `continue` and `terminate`. `exception` means the callback threw (or
 * its Promise rejected); a bad return value stops the callback normally and
 * then exits the process.
 *
 * When every handler of a kind's `start` and `stop` events is a `Metrics`
 * reporter whose definitions are counters, or read only `duration`, with
 * no `keepIf` / `dropIf` (a counter and a latency distribution per kind, the
 * usual dashboard), the runtime does not build these events one by one for
 * the callbacks its scheduler runs: it counts them and hands them to the
 * reporter in batches. Counts stay exact (every callback in its `start` and
 * `stop` counters, and in the distribution's count); durations are
 * amortised, one clock reading per batch of up to 32 callbacks of one
 * process and kind (fewer while callbacks are slow, one each from the first
 * slow batch on), each callback recorded with the batch's mean — except a
 * slow callback among fast ones (its batch took 1 ms or more), which gets
 * the batch's time beyond the fast ones'. The sum of durations stays the
 * time measured. A batch is delivered when the scheduler's run ends (before
 * any caller sees a reply of that run), a `tagValues` callback is called
 * once per batch, and `queue_time` is not read at all. Attaching any other
 * handler to the event brings back one event per callback. See
 * `docs/callback_metrics.md`.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * The callback kinds that have `start` / `stop` / `exception` events.
 *
 * @example
 * ```ts
 * import type { CallbackKind } from "@beamlet/beamlet/telemetry";
 *
 * const kind: CallbackKind = "call";
 * ```
 */
export type CallbackKind = "init" | "call" | "cast" | "info" | "continue" | "terminate";

/**
 * The phases of a callback that have events.
 *
 * @example
 * ```ts
 * import type { CallbackPhase } from "@beamlet/beamlet/telemetry";
 *
 * const phase: CallbackPhase = "stop";
 * ```
 */
export type CallbackPhase = "start" | "stop" | "exception";

/**
 * Every callback kind, in the order a process meets them.
 *
 * @example
 * ```ts
 * import { CALLBACK_KINDS } from "@beamlet/beamlet/telemetry";
 *
 * const stops = CALLBACK_KINDS.map((kind) => ["beamlet", kind, "stop"]);
 * console.log(stops.length); // 6
 * ```
 */
export const CALLBACK_KINDS: readonly CallbackKind[] = Object.freeze([
  "init",
  "call",
  "cast",
  "info",
  "continue",
  "terminate",
]);

/**
 * Measurements of `beamlet.<kind>.start`.
 *
 * @example
 * ```ts
 * import type { CallbackStartMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: CallbackStartMeasurements = { monotonic_time: 3, queue_time: 0 };
 * ```
 */
export type CallbackStartMeasurements = {
  /** When it began, on the system's clock (ms). */
  readonly monotonic_time: number;
  /** How long its message waited in the mailbox (ms, 1 ms resolution). */
  readonly queue_time: number;
};

/**
 * Measurements of `beamlet.<kind>.stop` and `beamlet.<kind>.exception`.
 *
 * @example
 * ```ts
 * import type { CallbackStopMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: CallbackStopMeasurements = { monotonic_time: 5, duration: 2, queue_time: 0 };
 * ```
 */
export type CallbackStopMeasurements = {
  /** When it ended, on the system's clock (ms). */
  readonly monotonic_time: number;
  /** How long it ran (ms). */
  readonly duration: number;
  /** How long its message waited in the mailbox (ms, 1 ms resolution). */
  readonly queue_time: number;
};

/**
 * Metadata of `beamlet.<kind>.start` and `beamlet.<kind>.stop`.
 *
 * @example
 * ```ts
 * import type { CallbackMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const label = (meta: CallbackMetadata) => `${meta.name ?? meta.pid} ${meta.kind}`;
 * ```
 */
export type CallbackMetadata = {
  /** The process running the callback. */
  readonly pid: Pid;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
  /** The callback kind. */
  readonly kind: CallbackKind;
};

/**
 * Metadata of `beamlet.<kind>.exception`.
 *
 * @example
 * ```ts
 * import type { CallbackExceptionMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const report = (meta: CallbackExceptionMetadata) => meta.stacktrace ?? String(meta.reason);
 * ```
 */
export type CallbackExceptionMetadata = CallbackMetadata & {
  /** What it threw (or its Promise rejected with). */
  readonly reason: unknown;
  /** The stack of `reason`, when it is an Error. */
  readonly stacktrace: string | undefined;
};

/**
 * The three events of one callback kind.
 *
 * @example
 * ```ts
 * import { CALLBACK_EVENTS, type CallbackEvents } from "@beamlet/beamlet/telemetry";
 *
 * const calls: CallbackEvents = CALLBACK_EVENTS.call;
 * console.log(calls.stop.id); // "beamlet.call.stop"
 * ```
 */
export interface CallbackEvents {
  /** `beamlet.<kind>.start`: the callback began. */
  readonly start: EventDefinition<CallbackStartMeasurements, CallbackMetadata>;
  /** `beamlet.<kind>.stop`: the callback returned (or its Promise resolved). */
  readonly stop: EventDefinition<CallbackStopMeasurements, CallbackMetadata>;
  /** `beamlet.<kind>.exception`: the callback threw (or its Promise rejected). */
  readonly exception: EventDefinition<CallbackStopMeasurements, CallbackExceptionMetadata>;
}

const PROCESS = { pid: "the process", name: "its registered name, or undefined" } as const;

function callbackEvents(kind: CallbackKind): CallbackEvents {
  return Object.freeze({
    start: defineEvent<CallbackStartMeasurements, CallbackMetadata>(["beamlet", kind, "start"], {
      description: `A ${kind} callback began.`,
      measurements: { monotonic_time: "millisecond", queue_time: "millisecond" },
      metadata: { ...PROCESS, kind: "the callback kind" },
    }),
    stop: defineEvent<CallbackStopMeasurements, CallbackMetadata>(["beamlet", kind, "stop"], {
      description: `A ${kind} callback returned (or its Promise resolved).`,
      measurements: {
        monotonic_time: "millisecond",
        duration: "millisecond",
        queue_time: "millisecond",
      },
      metadata: { ...PROCESS, kind: "the callback kind" },
    }),
    exception: defineEvent<CallbackStopMeasurements, CallbackExceptionMetadata>(
      ["beamlet", kind, "exception"],
      {
        description: `A ${kind} callback threw (or its Promise rejected).`,
        measurements: {
          monotonic_time: "millisecond",
          duration: "millisecond",
          queue_time: "millisecond",
        },
        metadata: {
          ...PROCESS,
          kind: "the callback kind",
          reason: "what it threw",
          stacktrace: "the stack of reason, when it is an Error",
        },
      },
    ),
  });
}

/**
 * The callback events by kind and phase, shared so the hot path allocates
 * none.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { CALLBACK_EVENTS } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("slow-calls", CALLBACK_EVENTS.call.stop, (_e, m, meta) => {
 *   if (m.duration > 100) console.log(String(meta.pid), m.duration);
 * });
 * await system.shutdown();
 * ```
 */
export const CALLBACK_EVENTS: Readonly<Record<CallbackKind, CallbackEvents>> = Object.freeze(
  Object.fromEntries(CALLBACK_KINDS.map((kind) => [kind, callbackEvents(kind)])) as Record<
    CallbackKind,
    CallbackEvents
  >,
);
