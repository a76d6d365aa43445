/**
 * A supervisor's events: each child started and exited, each restart, each
 * failed restart, and the moment it gives up. Each counts one occurrence.
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of every supervisor event.
 *
 * @example
 * ```ts
 * import type { SupervisorMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: SupervisorMeasurements = { count: 1 };
 * ```
 */
export type SupervisorMeasurements = {
  /** Always 1. */
  readonly count: number;
};

/**
 * Metadata of `beamlet.supervisor.child.start`.
 *
 * @example
 * ```ts
 * import type { ChildStartMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const label = (meta: ChildStartMetadata) => `${meta.childId} as ${meta.childPid}`;
 * ```
 */
export type ChildStartMetadata = {
  /** The supervisor. */
  readonly supervisor: Pid;
  /** The child's id in its spec. */
  readonly childId: string;
  /** The child's pid, when its start gave one. */
  readonly childPid: Pid | undefined;
};

/**
 * Metadata of `beamlet.supervisor.child.exit`.
 *
 * @example
 * ```ts
 * import type { ChildExitMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const clean = (meta: ChildExitMetadata) => meta.reason === "normal";
 * ```
 */
export type ChildExitMetadata = ChildStartMetadata & {
  /** Why it exited. */
  readonly reason: ExitReason;
};

/**
 * Metadata of the supervisor's reports (`restart`, `restart_failed`,
 * `intensity_exceeded`): the `SupervisorReport` it logs.
 *
 * @example
 * ```ts
 * import type { SupervisorReportMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const line = (meta: SupervisorReportMetadata) => `${meta.event} ${meta.childId}`;
 * ```
 */
export type SupervisorReportMetadata = ChildExitMetadata & {
  /** Always `"supervisor"`. */
  readonly kind: "supervisor";
  /** What happened. */
  readonly event: "restart" | "restart_failed" | "give_up";
};

const CHILD = {
  supervisor: "the supervisor",
  childId: "the child's id in its spec",
  childPid: "the child's pid, or undefined",
} as const;
const REPORT = {
  ...CHILD,
  reason: "why the child exited, or why its restart failed",
  kind: "always supervisor",
  event: "restart, restart_failed or give_up",
} as const;
const ONE = { count: "count" } as const;

/**
 * `beamlet.supervisor.child.start`: a supervisor started a child.
 *
 * @example
 * ```ts
 * import { SUPERVISOR_CHILD_START } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SUPERVISOR_CHILD_START.id); // "beamlet.supervisor.child.start"
 * ```
 */
export const SUPERVISOR_CHILD_START: EventDefinition<SupervisorMeasurements, ChildStartMetadata> =
  defineEvent(["beamlet", "supervisor", "child", "start"], {
    description: "A supervisor started a child.",
    measurements: ONE,
    metadata: CHILD,
  });

/**
 * `beamlet.supervisor.child.exit`: a supervisor's child exited.
 *
 * @example
 * ```ts
 * import { SUPERVISOR_CHILD_EXIT } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SUPERVISOR_CHILD_EXIT.id); // "beamlet.supervisor.child.exit"
 * ```
 */
export const SUPERVISOR_CHILD_EXIT: EventDefinition<SupervisorMeasurements, ChildExitMetadata> =
  defineEvent(["beamlet", "supervisor", "child", "exit"], {
    description: "A supervisor's child exited.",
    measurements: ONE,
    metadata: { ...CHILD, reason: "why it exited" },
  });

/**
 * `beamlet.supervisor.child.restart`: a child exited and is being restarted.
 *
 * @example
 * ```ts
 * import { SUPERVISOR_CHILD_RESTART } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SUPERVISOR_CHILD_RESTART.id); // "beamlet.supervisor.child.restart"
 * ```
 */
export const SUPERVISOR_CHILD_RESTART: EventDefinition<
  SupervisorMeasurements,
  SupervisorReportMetadata
> = defineEvent(["beamlet", "supervisor", "child", "restart"], {
  description: "A child exited and is being restarted.",
  measurements: ONE,
  metadata: REPORT,
});

/**
 * `beamlet.supervisor.child.restart_failed`: a restarted child's `init`
 * failed (it is retried while the intensity allows).
 *
 * @example
 * ```ts
 * import { SUPERVISOR_CHILD_RESTART_FAILED } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SUPERVISOR_CHILD_RESTART_FAILED.id); // "beamlet.supervisor.child.restart_failed"
 * ```
 */
export const SUPERVISOR_CHILD_RESTART_FAILED: EventDefinition<
  SupervisorMeasurements,
  SupervisorReportMetadata
> = defineEvent(["beamlet", "supervisor", "child", "restart_failed"], {
  description: "A restarted child's init failed (retried while the intensity allows).",
  measurements: ONE,
  metadata: REPORT,
});

/**
 * `beamlet.supervisor.intensity_exceeded`: a restart would exceed the
 * supervisor's intensity; it stops its children and exits with `"shutdown"`.
 *
 * @example
 * ```ts
 * import { SUPERVISOR_INTENSITY_EXCEEDED } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SUPERVISOR_INTENSITY_EXCEEDED.id); // "beamlet.supervisor.intensity_exceeded"
 * ```
 */
export const SUPERVISOR_INTENSITY_EXCEEDED: EventDefinition<
  SupervisorMeasurements,
  SupervisorReportMetadata
> = defineEvent(["beamlet", "supervisor", "intensity_exceeded"], {
  description: "A restart would exceed the intensity: the supervisor gives up and shuts down.",
  measurements: ONE,
  metadata: REPORT,
});
