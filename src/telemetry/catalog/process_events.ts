/**
 * The events of a process's life: it started, it is gone.
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.process.start`.
 *
 * @example
 * ```ts
 * import type { ProcessStartMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: ProcessStartMeasurements = { monotonic_time: 12.5, system_time: Date.now() };
 * ```
 */
export type ProcessStartMeasurements = {
  /** When, on the system's clock (ms). */
  readonly monotonic_time: number;
  /** When, as `Date.now()` (ms since the epoch). */
  readonly system_time: number;
};

/**
 * Metadata of `beamlet.process.start`.
 *
 * @example
 * ```ts
 * import type { ProcessStartMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const describe = (meta: ProcessStartMetadata) => `${meta.pid} under ${meta.parent}`;
 * ```
 */
export type ProcessStartMetadata = {
  /** The new process. */
  readonly pid: Pid;
  /** Its registered name, if it was started under one. */
  readonly name: string | undefined;
  /** The process that started it, if one did. */
  readonly parent: Pid | undefined;
};

/**
 * `beamlet.process.start`: a process record was created (before its `init` runs).
 *
 * @example
 * ```ts
 * import { PROCESS_START } from "@beamlet/beamlet/telemetry";
 *
 * console.log(PROCESS_START.id); // "beamlet.process.start"
 * ```
 */
export const PROCESS_START: EventDefinition<ProcessStartMeasurements, ProcessStartMetadata> =
  defineEvent(["beamlet", "process", "start"], {
    description: "A process record was created (before its init runs).",
    measurements: { monotonic_time: "millisecond", system_time: "epoch_millisecond" },
    metadata: {
      pid: "the new process",
      name: "its registered name, or undefined",
      parent: "the process that started it, or undefined",
    },
  });

/**
 * Measurements of `beamlet.process.exit`.
 *
 * @example
 * ```ts
 * import type { ProcessExitMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: ProcessExitMeasurements = { monotonic_time: 40, lifetime: 27.5 };
 * ```
 */
export type ProcessExitMeasurements = {
  /** When, on the system's clock (ms). */
  readonly monotonic_time: number;
  /** How long the process lived (ms). */
  readonly lifetime: number;
};

/**
 * Metadata of `beamlet.process.exit`.
 *
 * @example
 * ```ts
 * import type { ProcessExitMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const crashed = (meta: ProcessExitMetadata) => meta.reason !== "normal";
 * ```
 */
export type ProcessExitMetadata = {
  /** The process. */
  readonly pid: Pid;
  /** Its registered name, if it had one. */
  readonly name: string | undefined;
  /** Why it exited. */
  readonly reason: ExitReason;
};

/**
 * `beamlet.process.exit`: a process is gone (its exit clean-up ran).
 *
 * @example
 * ```ts
 * import { PROCESS_EXIT } from "@beamlet/beamlet/telemetry";
 *
 * console.log(PROCESS_EXIT.measurements.lifetime); // "millisecond"
 * ```
 */
export const PROCESS_EXIT: EventDefinition<ProcessExitMeasurements, ProcessExitMetadata> =
  defineEvent(["beamlet", "process", "exit"], {
    description: "A process is gone (its exit clean-up ran).",
    measurements: { monotonic_time: "millisecond", lifetime: "millisecond" },
    metadata: {
      pid: "the process",
      name: "its registered name, or undefined",
      reason: "its exit reason",
    },
  });
