/**
 * The runtime's events about messages and the scheduler: a mailbox refused
 * or dropped a message, a call expired in a mailbox, a scheduler slice
 * ended, and (at most once a second) the sizes of the runtime's tables.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.mailbox.refused` and `beamlet.mailbox.dropped`.
 *
 * @example
 * ```ts
 * import type { MailboxMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: MailboxMeasurements = { count: 1, queue_length: 1000 };
 * ```
 */
export type MailboxMeasurements = {
  /** Always 1: one message. */
  readonly count: number;
  /** The mailbox's length then. */
  readonly queue_length: number;
};

/**
 * Metadata of `beamlet.mailbox.refused` and `beamlet.mailbox.dropped`.
 *
 * @example
 * ```ts
 * import type { MailboxMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const full = (meta: MailboxMetadata) => meta.policy !== "out_of_memory";
 * ```
 */
export type MailboxMetadata = {
  /** The process whose mailbox it was. */
  readonly pid: Pid;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
  /**
   * The overflow policy that applied: `"reject"` (or `"out_of_memory"` when
   * the system had no room) for a refusal, `"drop_newest"` / `"drop_oldest"`
   * for a drop.
   */
  readonly policy: "reject" | "drop_newest" | "drop_oldest" | "out_of_memory";
  /** The kind of the message (`"call"`, `"cast"`, `"info"`, ...). */
  readonly message_kind: string;
};

const MAILBOX_METADATA = {
  pid: "the process whose mailbox it was",
  name: "its registered name, or undefined",
  policy: "the overflow policy that applied (or out_of_memory)",
  message_kind: "the kind of the message (call, cast, info, ...)",
} as const;

/**
 * `beamlet.mailbox.refused`: a full mailbox (policy `"reject"`), or a system
 * with no room left, refused a message; its sender was told.
 *
 * @example
 * ```ts
 * import { MAILBOX_REFUSED } from "@beamlet/beamlet/telemetry";
 *
 * console.log(MAILBOX_REFUSED.id); // "beamlet.mailbox.refused"
 * ```
 */
export const MAILBOX_REFUSED: EventDefinition<MailboxMeasurements, MailboxMetadata> = defineEvent(
  ["beamlet", "mailbox", "refused"],
  {
    description: "A full mailbox (or a system with no room left) refused a message.",
    measurements: { count: "count", queue_length: "count" },
    metadata: MAILBOX_METADATA,
  },
);

/**
 * `beamlet.mailbox.dropped`: a full mailbox dropped a message by its policy
 * (`"drop_newest"` or `"drop_oldest"`).
 *
 * @example
 * ```ts
 * import { MAILBOX_DROPPED } from "@beamlet/beamlet/telemetry";
 *
 * console.log(MAILBOX_DROPPED.id); // "beamlet.mailbox.dropped"
 * ```
 */
export const MAILBOX_DROPPED: EventDefinition<MailboxMeasurements, MailboxMetadata> = defineEvent(
  ["beamlet", "mailbox", "dropped"],
  {
    description: "A full mailbox dropped a message by its overflow policy.",
    measurements: { count: "count", queue_length: "count" },
    metadata: MAILBOX_METADATA,
  },
);

/**
 * Measurements of `beamlet.call.expired`.
 *
 * @example
 * ```ts
 * import type { CallExpiredMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: CallExpiredMeasurements = { count: 1, timeout: 5000 };
 * ```
 */
export type CallExpiredMeasurements = {
  /** Always 1: one call. */
  readonly count: number;
  /** The call's timeout (ms). */
  readonly timeout: number;
};

/**
 * Metadata of `beamlet.call.expired`.
 *
 * @example
 * ```ts
 * import type { CallExpiredMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const who = (meta: CallExpiredMetadata) =>
 *   `${meta.name ?? String(meta.pid)} ${meta.handled ? "handled" : "skipped"} it`;
 * ```
 */
export type CallExpiredMetadata = {
  /** The server the call reached. */
  readonly pid: Pid;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
  /**
   * Whether the server ran `handleCall` anyway (`expiredCalls: "handle"`,
   * the reply dropped) rather than skip the call (the default). Absent in
   * events emitted before this field existed: read it as `false`.
   */
  readonly handled?: boolean;
};

/**
 * `beamlet.call.expired`: a call whose caller gave up (its timeout passed,
 * its signal aborted, it exited) while the call was queued reached its
 * server, which skipped it (the default) or, with `expiredCalls: "handle"`,
 * ran `handleCall` anyway and dropped the reply (`handled: true`).
 *
 * @example
 * ```ts
 * import { CALL_EXPIRED } from "@beamlet/beamlet/telemetry";
 *
 * console.log(CALL_EXPIRED.measurements.timeout); // "millisecond"
 * ```
 */
export const CALL_EXPIRED: EventDefinition<CallExpiredMeasurements, CallExpiredMetadata> =
  defineEvent(["beamlet", "call", "expired"], {
    description:
      "A call whose caller gave up while it was queued reached its server: skipped, or handled with its reply dropped.",
    measurements: { count: "count", timeout: "millisecond" },
    metadata: {
      pid: "the server the call reached",
      name: "its registered name, or undefined",
      handled: 'true if handleCall ran anyway (expiredCalls: "handle"), false if it was skipped',
    },
  });

/**
 * Measurements of `beamlet.scheduler.slice`.
 *
 * @example
 * ```ts
 * import type { SchedulerSliceMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const busy = (m: SchedulerSliceMeasurements) => m.utilization > 0.9;
 * ```
 */
export type SchedulerSliceMeasurements = {
  /** How long the scheduler held the host (ms). */
  readonly duration: number;
  /** That time over the time since the previous slice ended (0..1). */
  readonly utilization: number;
  /** Processes left to run. */
  readonly run_queue_length: number;
  /** Process runs in the slice. */
  readonly processes: number;
  /** Messages handled in the slice. */
  readonly messages: number;
};

/**
 * Metadata of `beamlet.scheduler.slice`.
 *
 * @example
 * ```ts
 * import type { SchedulerSliceMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: SchedulerSliceMetadata = { reason: "idle" };
 * ```
 */
export type SchedulerSliceMetadata = {
  /** `"idle"`: nothing was left to run; `"yield"`: the slice was used up. */
  readonly reason: "idle" | "yield";
};

/**
 * `beamlet.scheduler.slice`: a scheduler run ended.
 *
 * @example
 * ```ts
 * import { SCHEDULER_SLICE } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SCHEDULER_SLICE.measurements.utilization); // "ratio"
 * ```
 */
export const SCHEDULER_SLICE: EventDefinition<
  SchedulerSliceMeasurements,
  SchedulerSliceMetadata
> = defineEvent(["beamlet", "scheduler", "slice"], {
  description: "A scheduler run ended (nothing left to run, or its slice was used up).",
  measurements: {
    duration: "millisecond",
    utilization: "ratio",
    run_queue_length: "count",
    processes: "count",
    messages: "count",
  },
  metadata: { reason: "idle (nothing left) or yield (the slice was used up)" },
});

/**
 * Measurements of `beamlet.system.table_size`.
 *
 * @example
 * ```ts
 * import type { TableSizeMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const total = (m: TableSizeMeasurements) => m.processes + m.names;
 * ```
 */
export type TableSizeMeasurements = {
  /** Live processes. */
  readonly processes: number;
  /** Registered names. */
  readonly names: number;
  /** Pending calls. */
  readonly calls: number;
  /** Armed timers. */
  readonly timers: number;
  /** Mailbox slots in use. */
  readonly slots_in_use: number;
};

/**
 * Metadata of `beamlet.system.table_size`: none.
 *
 * @example
 * ```ts
 * import type { TableSizeMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: TableSizeMetadata = {};
 * ```
 */
// deno-lint-ignore ban-types
export type TableSizeMetadata = {};

/**
 * `beamlet.system.table_size`: the sizes of the runtime's tables, executed
 * at the end of a slice, at most once a second.
 *
 * @example
 * ```ts
 * import { TABLE_SIZE } from "@beamlet/beamlet/telemetry";
 *
 * console.log(Object.keys(TABLE_SIZE.measurements).length); // 5
 * ```
 */
export const TABLE_SIZE: EventDefinition<TableSizeMeasurements, TableSizeMetadata> = defineEvent(
  ["beamlet", "system", "table_size"],
  {
    description: "The sizes of the runtime's tables, at the end of a slice, at most once a second.",
    measurements: {
      processes: "count",
      names: "count",
      calls: "count",
      timers: "count",
      slots_in_use: "count",
    },
    metadata: {},
  },
);
