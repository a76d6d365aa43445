/**
 * The events the runtime itself executes on `system.telemetry`. Names are
 * arrays, most general part first. Times are milliseconds on the system's
 * clock (`performance.now()` unless a clock is given); `queue_time` is read
 * off the core clock, at its 1 ms resolution. An event nobody is attached
 * to costs one boolean check: the runtime caches which of these have
 * handlers.
 *
 * | event | measurements | metadata |
 * | --- | --- | --- |
 * | `beamlet.process.start` | `monotonic_time`, `system_time` | `pid`, `name`, `parent` |
 * | `beamlet.process.exit` | `monotonic_time`, `lifetime` | `pid`, `name`, `reason` |
 * | `beamlet.<kind>.start` | `monotonic_time`, `queue_time` | `pid`, `name`, `kind` |
 * | `beamlet.<kind>.stop` | `monotonic_time`, `duration`, `queue_time` | `pid`, `name`, `kind` |
 * | `beamlet.<kind>.exception` | `monotonic_time`, `duration`, `queue_time` | `pid`, `name`, `kind`, `reason`, `stacktrace` |
 * | `beamlet.mailbox.refused` | `count` (1), `queue_length` | `pid`, `name`, `policy` (`"reject"`, or `"out_of_memory"` when the system had no room), `message_kind` |
 * | `beamlet.mailbox.dropped` | `count` (1), `queue_length` | `pid`, `name`, `policy` (`"drop_newest"` / `"drop_oldest"`), `message_kind` |
 * | `beamlet.call.expired` | `count` (1), `timeout` | `pid`, `name` (the server that skipped it) |
 * | `beamlet.scheduler.slice` | `duration`, `utilization`, `run_queue_length`, `processes`, `messages` | `reason` (`"idle"` / `"yield"`) |
 * | `beamlet.system.table_size` | `processes`, `names`, `calls`, `timers`, `slots_in_use` | (none) |
 * | `beamlet.task.start` | `monotonic_time`, `system_time` | `pid` |
 * | `beamlet.task.stop` | `monotonic_time`, `duration` | `pid` |
 * | `beamlet.task.exception` | `monotonic_time`, `duration` | `pid`, `kind`, `reason`, `stacktrace` |
 * | `beamlet.supervisor.child.start` / `.exit` / `.restart` / `.restart_failed` | `count` (1) | `supervisor`, `child` id, `pid`, `reason`, ... |
 * | `beamlet.supervisor.intensity_exceeded` | `count` (1) | `supervisor`, `reason`, ... |
 * | `beamlet.telemetry.handler_failure` | `monotonic_time`, `system_time` | `handlerId`, `event`, `config`, `error` |
 *
 * `<kind>` is the callback: `init`, `call`, `cast`, `info`, `continue` or
 * `terminate`. A callback that returns a Promise stops when it settles.
 * Reading the clock is the largest cost of timing a callback, so a
 * callback that follows another in the same run starts at the time the
 * previous one stopped (its `duration` includes the scheduler's few
 * nanoseconds between the two); callback events carry no `system_time`.
 * `queue_time` is 0 for `continue` and `terminate`.
 * `exception` means the callback threw (or its Promise rejected); a bad
 * return value stops the callback normally and then exits the process
 * (see `beamlet.process.exit`). `duration` of a slice is the time the
 * scheduler held the host; `utilization` is that time over the time since
 * the previous slice ended (0..1); `run_queue_length` is what is left to
 * run. `beamlet.system.table_size` is executed at the end of a slice, at
 * most once a second.
 *
 * @module
 */

import type { TelemetryEvent } from "./types.ts";

/** The callback kinds that have `start` / `stop` / `exception` events. */
export type CallbackKind = "init" | "call" | "cast" | "info" | "continue" | "terminate";

/**
 * Every callback kind, in the order a process meets them.
 *
 * @example
 * ```ts
 * import { CALLBACK_KINDS } from "@beamlet/beamlet";
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

function event(...names: string[]): TelemetryEvent {
  return Object.freeze(names);
}

/**
 * The shape of {@linkcode BEAMLET_EVENTS}: one frozen name per event, and a
 * function for the callback events.
 *
 * @example
 * ```ts
 * import { BEAMLET_EVENTS, type BeamletEvents } from "@beamlet/beamlet";
 *
 * const events: BeamletEvents = BEAMLET_EVENTS;
 * console.log(events.processExit.join(".")); // "beamlet.process.exit"
 * ```
 */
export interface BeamletEvents {
  /** `["beamlet", "process", "start"]` */
  readonly processStart: TelemetryEvent;
  /** `["beamlet", "process", "exit"]` */
  readonly processExit: TelemetryEvent;
  /** `["beamlet", "mailbox", "refused"]` */
  readonly mailboxRefused: TelemetryEvent;
  /** `["beamlet", "mailbox", "dropped"]` */
  readonly mailboxDropped: TelemetryEvent;
  /** `["beamlet", "call", "expired"]`: a call whose caller gave up while it was queued was skipped. */
  readonly callExpired: TelemetryEvent;
  /** `["beamlet", "scheduler", "slice"]` */
  readonly schedulerSlice: TelemetryEvent;
  /** `["beamlet", "system", "table_size"]` */
  readonly tableSize: TelemetryEvent;
  /** `["beamlet", "task", "start"]` */
  readonly taskStart: TelemetryEvent;
  /** `["beamlet", "task", "stop"]` */
  readonly taskStop: TelemetryEvent;
  /** `["beamlet", "task", "exception"]` */
  readonly taskException: TelemetryEvent;
  /** `["beamlet", kind, phase]` for a callback kind. */
  callback(kind: CallbackKind, phase: "start" | "stop" | "exception"): TelemetryEvent;
}

/**
 * The names of the runtime's own events (see the module doc for their
 * measurements and metadata), for attaching without typos.
 *
 * @example Logging every crash of a callback
 * ```ts
 * import { BEAMLET_EVENTS, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * system.telemetry.attach("crashes", BEAMLET_EVENTS.callback("call", "exception"),
 *   (_e, m, meta) => console.log(meta.pid, meta.reason, m.duration));
 * await system.shutdown();
 * ```
 */
export const BEAMLET_EVENTS: BeamletEvents = Object.freeze({
  processStart: event("beamlet", "process", "start"),
  processExit: event("beamlet", "process", "exit"),
  mailboxRefused: event("beamlet", "mailbox", "refused"),
  mailboxDropped: event("beamlet", "mailbox", "dropped"),
  callExpired: event("beamlet", "call", "expired"),
  schedulerSlice: event("beamlet", "scheduler", "slice"),
  tableSize: event("beamlet", "system", "table_size"),
  taskStart: event("beamlet", "task", "start"),
  taskStop: event("beamlet", "task", "stop"),
  taskException: event("beamlet", "task", "exception"),
  /** `["beamlet", kind, phase]` for a callback kind. */
  callback(kind: CallbackKind, phase: "start" | "stop" | "exception"): TelemetryEvent {
    return CALLBACK_EVENTS[kind][phase];
  },
});

/** Frozen names per (kind, phase), shared so the hot path allocates none. */
export const CALLBACK_EVENTS: Readonly<
  Record<CallbackKind, Readonly<Record<"start" | "stop" | "exception", TelemetryEvent>>>
> = Object.freeze(
  Object.fromEntries(CALLBACK_KINDS.map((kind) => [
    kind,
    Object.freeze({
      start: event("beamlet", kind, "start"),
      stop: event("beamlet", kind, "stop"),
      exception: event("beamlet", kind, "exception"),
    }),
  ])) as Record<CallbackKind, Record<"start" | "stop" | "exception", TelemetryEvent>>,
);
