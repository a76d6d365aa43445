/**
 * The events of a Task: a span (`Telemetry.span`) around its work, under
 * the prefix `["beamlet", "task"]`. Every metadata holds
 * `telemetry_span_context`, shared by the events of one task.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";
import type { TelemetryEvent } from "../types.ts";

/**
 * The span prefix of a task's events, as given to `Telemetry.span`.
 *
 * @example
 * ```ts
 * import { TASK_SPAN } from "@beamlet/beamlet/telemetry";
 *
 * console.log([...TASK_SPAN, "stop"].join(".")); // "beamlet.task.stop"
 * ```
 */
export const TASK_SPAN: TelemetryEvent = Object.freeze(["beamlet", "task"]);

/**
 * Measurements of `beamlet.task.start`.
 *
 * @example
 * ```ts
 * import type { TaskStartMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: TaskStartMeasurements = { monotonic_time: 1, system_time: Date.now() };
 * ```
 */
export type TaskStartMeasurements = {
  /** When, as `performance.now()` (ms). */
  readonly monotonic_time: number;
  /** When, as `Date.now()` (ms since the epoch). */
  readonly system_time: number;
};

/**
 * Measurements of `beamlet.task.stop` and `beamlet.task.exception`.
 *
 * @example
 * ```ts
 * import type { TaskStopMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: TaskStopMeasurements = { duration: 4, monotonic_time: 5 };
 * ```
 */
export type TaskStopMeasurements = {
  /** How long the work took (ms). */
  readonly duration: number;
  /** When it ended, as `performance.now()` (ms). */
  readonly monotonic_time: number;
};

/**
 * Metadata of `beamlet.task.start` and `beamlet.task.stop`.
 *
 * @example
 * ```ts
 * import type { TaskMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const who = (meta: TaskMetadata) => String(meta.pid);
 * ```
 */
export type TaskMetadata = {
  /** The task's process. */
  readonly pid: Pid;
  /** Shared by the events of one task. */
  readonly telemetry_span_context: number;
};

/**
 * Metadata of `beamlet.task.exception`.
 *
 * @example
 * ```ts
 * import type { TaskExceptionMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const why = (meta: TaskExceptionMetadata) => meta.stacktrace ?? String(meta.reason);
 * ```
 */
export type TaskExceptionMetadata = TaskMetadata & {
  /** Always `"error"`. */
  readonly kind: "error";
  /** What the work threw (or its Promise rejected with). */
  readonly reason: unknown;
  /** The stack of `reason`, when it is an Error. */
  readonly stacktrace: string | undefined;
};

const TASK_METADATA = {
  pid: "the task's process",
  telemetry_span_context: "shared by the events of one task",
} as const;

/**
 * `beamlet.task.start`: a task's work began.
 *
 * @example
 * ```ts
 * import { TASK_START } from "@beamlet/beamlet/telemetry";
 *
 * console.log(TASK_START.id); // "beamlet.task.start"
 * ```
 */
export const TASK_START: EventDefinition<TaskStartMeasurements, TaskMetadata> = defineEvent(
  [...TASK_SPAN, "start"],
  {
    description: "A task's work began.",
    measurements: { monotonic_time: "millisecond", system_time: "epoch_millisecond" },
    metadata: TASK_METADATA,
  },
);

/**
 * `beamlet.task.stop`: a task's work returned (or its Promise resolved).
 *
 * @example
 * ```ts
 * import { TASK_STOP } from "@beamlet/beamlet/telemetry";
 *
 * console.log(TASK_STOP.measurements.duration); // "millisecond"
 * ```
 */
export const TASK_STOP: EventDefinition<TaskStopMeasurements, TaskMetadata> = defineEvent(
  [...TASK_SPAN, "stop"],
  {
    description: "A task's work returned (or its Promise resolved).",
    measurements: { duration: "millisecond", monotonic_time: "millisecond" },
    metadata: TASK_METADATA,
  },
);

/**
 * `beamlet.task.exception`: a task's work threw (or its Promise rejected).
 *
 * @example
 * ```ts
 * import { TASK_EXCEPTION } from "@beamlet/beamlet/telemetry";
 *
 * console.log(TASK_EXCEPTION.id); // "beamlet.task.exception"
 * ```
 */
export const TASK_EXCEPTION: EventDefinition<TaskStopMeasurements, TaskExceptionMetadata> =
  defineEvent([...TASK_SPAN, "exception"], {
    description: "A task's work threw (or its Promise rejected).",
    measurements: { duration: "millisecond", monotonic_time: "millisecond" },
    metadata: {
      ...TASK_METADATA,
      kind: "always error",
      reason: "what the work threw",
      stacktrace: "the stack of reason, when it is an Error",
    },
  });
