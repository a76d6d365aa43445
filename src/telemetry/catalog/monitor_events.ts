/**
 * The system monitor's events (`erlang:system_monitor`'s `long_schedule`,
 * for a runtime that cannot pre-empt a callback): a callback that held the
 * scheduler past its budget, a scheduler slice that held the host too long,
 * and the host's event loop blocked (seen by a timer probe that fired late).
 * See `docs/system_monitor.md`.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";
import type { CallbackKind } from "./callback_events.ts";

/**
 * Measurements of `beamlet.monitor.long_callback` and
 * `beamlet.monitor.long_schedule` (milliseconds on the system's clock).
 *
 * @example
 * ```ts
 * import type { LongCallbackMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: LongCallbackMeasurements = { monotonic_time: 1234.5, duration: 12.5 };
 * ```
 */
export type LongCallbackMeasurements = {
  /** The system's clock when it was seen (the end of the measured stretch). */
  readonly monotonic_time: number;
  /** How long it held the scheduler, ms. */
  readonly duration: number;
};

/**
 * Metadata of `beamlet.monitor.long_callback`.
 *
 * @example
 * ```ts
 * import type { LongCallbackMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const line = (meta: LongCallbackMetadata) =>
 *   meta.candidates > 1
 *     ? `one of ${meta.candidates} processes, the last ${meta.name ?? String(meta.pid)}`
 *     : `${meta.name ?? String(meta.pid)} ${meta.callback}${meta.exact ? "" : " (with others)"}`;
 * ```
 */
export type LongCallbackMetadata = {
  /**
   * The process whose callback it was. When `candidates` > 1, the process
   * of the last callback measured (a fact, not a guess: the long one may
   * have been any candidate's).
   */
  readonly pid: Pid;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
  /**
   * The kind of the callback (`"cast"`, `"call"`, `"info"`, `"init"`,
   * `"terminate"`); for a run of several, the last one's.
   */
  readonly callback: CallbackKind;
  /**
   * `true`: `duration` is this one callback's (the scheduler read the clock
   * just before and just after it). `false`: it is the time of a run of
   * `callbacks` consecutive callbacks, measured together (the scheduler
   * reads the clock once per run of fast callbacks); the long one among
   * them took at most that.
   */
  readonly exact: boolean;
  /** How many callbacks `duration` covers (1 when `exact`). */
  readonly callbacks: number;
  /**
   * How many processes those callbacks were of: 1 when the long callback
   * is pinned on `pid` (always with `monitor.attribution: "run"`). More
   * (`"span"` attribution, the default): the stretch was shared by several
   * processes' callbacks, and it is counted for none of them; they are then
   * measured alone, so one that stays slow is pinned from its next callback
   * on.
   */
  readonly candidates: number;
};

/**
 * Metadata of `beamlet.monitor.long_schedule`.
 *
 * @example
 * ```ts
 * import type { LongScheduleMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: LongScheduleMetadata = { processes: 3, pid: undefined };
 * ```
 */
export type LongScheduleMetadata = {
  /** Process runs in that slice. */
  readonly processes: number;
  /** The process that held it longest, when one was measured. */
  readonly pid: Pid | undefined;
};

/**
 * Measurements of `beamlet.monitor.event_loop_stall`.
 *
 * @example
 * ```ts
 * import type { EventLoopStallMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: EventLoopStallMeasurements = { monotonic_time: 1234.5, delay: 240 };
 * ```
 */
export type EventLoopStallMeasurements = {
  /** The host's clock (`performance.now()`) when the probe fired. */
  readonly monotonic_time: number;
  /** How late the probe's timer fired, ms: how long the event loop was blocked. */
  readonly delay: number;
};

/**
 * Metadata of `beamlet.monitor.event_loop_stall`: none (the probe belongs to
 * no process).
 *
 * @example
 * ```ts
 * import type { EventLoopStallMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: EventLoopStallMetadata = {};
 * ```
 */
// deno-lint-ignore ban-types
export type EventLoopStallMetadata = {};

/**
 * `beamlet.monitor.long_callback`: a callback held the scheduler for
 * `monitor.longCallback` ms (default 1) or more. Every such callback run by
 * the scheduler is told — no sampling — either alone (`exact: true`) or
 * within the run of callbacks it was measured with (`exact: false`): of its
 * process (`candidates: 1`) or, with the default span attribution, of
 * several (`candidates` > 1). Only the synchronous part of a callback is
 * measured: an async callback holds nobody while it awaits.
 *
 * @example Printing long callbacks
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { MONITOR_LONG_CALLBACK } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("slow", MONITOR_LONG_CALLBACK, (_e, m, meta) =>
 *   console.log(`${meta.name ?? meta.pid} ${meta.callback} took ${m.duration} ms`));
 * await system.shutdown();
 * ```
 */
export const MONITOR_LONG_CALLBACK: EventDefinition<
  LongCallbackMeasurements,
  LongCallbackMetadata
> = defineEvent(["beamlet", "monitor", "long_callback"], {
  description:
    "A callback held the scheduler past the monitor's budget (monitor.longCallback, default 1 ms).",
  measurements: { monotonic_time: "millisecond", duration: "millisecond" },
  metadata: {
    pid: "the process whose callback it was",
    name: "its registered name, or undefined",
    callback: "the callback kind (cast, call, info, init, terminate; the last one's for a run)",
    exact: "true: that one callback's time; false: a run of several callbacks together",
    callbacks: "how many callbacks the duration covers",
    candidates:
      "how many processes those callbacks were of (1: pinned on pid; more: pid is the last one's)",
  },
});

/**
 * `beamlet.monitor.long_schedule`: one scheduler slice held the host for
 * `monitor.longSchedule` ms (default 50) or more without yielding — a slow
 * callback that cannot be pre-empted, or many that each stayed under budget.
 *
 * @example
 * ```ts
 * import { MONITOR_LONG_SCHEDULE } from "@beamlet/beamlet/telemetry";
 *
 * console.log(MONITOR_LONG_SCHEDULE.id); // "beamlet.monitor.long_schedule"
 * ```
 */
export const MONITOR_LONG_SCHEDULE: EventDefinition<
  LongCallbackMeasurements,
  LongScheduleMetadata
> = defineEvent(["beamlet", "monitor", "long_schedule"], {
  description:
    "A scheduler slice held the host past monitor.longSchedule (default 50 ms) without yielding.",
  measurements: { monotonic_time: "millisecond", duration: "millisecond" },
  metadata: {
    processes: "process runs in that slice",
    pid: "the process that held it longest, or undefined",
  },
});

/**
 * `beamlet.monitor.event_loop_stall`: the monitor's timer probe fired
 * `monitor.eventLoopStall` ms (default 100) or more late: something — a
 * callback, a continuation after an `await`, code outside any process — held
 * the host's event loop that long.
 *
 * @example
 * ```ts
 * import { MONITOR_EVENT_LOOP_STALL } from "@beamlet/beamlet/telemetry";
 *
 * console.log(MONITOR_EVENT_LOOP_STALL.id); // "beamlet.monitor.event_loop_stall"
 * ```
 */
export const MONITOR_EVENT_LOOP_STALL: EventDefinition<
  EventLoopStallMeasurements,
  EventLoopStallMetadata
> = defineEvent(["beamlet", "monitor", "event_loop_stall"], {
  description:
    "The host's event loop was blocked past monitor.eventLoopStall (default 100 ms): a timer probe fired that late.",
  measurements: { monotonic_time: "millisecond", delay: "millisecond" },
  metadata: {},
});
