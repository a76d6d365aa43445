/**
 * The events telemetry executes about itself.
 *
 * @module
 */

import { defineEvent, type EventDefinition } from "../define_event.ts";
import type { HandlerId, TelemetryEvent } from "../types.ts";

/**
 * Measurements of `beamlet.telemetry.handler_failure`.
 *
 * @example
 * ```ts
 * import type { HandlerFailureMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: HandlerFailureMeasurements = { monotonic_time: 1, system_time: Date.now() };
 * ```
 */
export type HandlerFailureMeasurements = {
  /** When, as `performance.now()` (ms). */
  readonly monotonic_time: number;
  /** When, as `Date.now()` (ms since the epoch). */
  readonly system_time: number;
};

/**
 * Metadata of `beamlet.telemetry.handler_failure`.
 *
 * @example
 * ```ts
 * import type { HandlerFailureMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const line = (meta: HandlerFailureMetadata) => `${String(meta.handlerId)} on ${meta.event.join(".")}`;
 * ```
 */
export type HandlerFailureMetadata = {
  /** The detached handler's id. */
  readonly handlerId: HandlerId;
  /** The event it failed on. */
  readonly event: TelemetryEvent;
  /** Its config. */
  readonly config: unknown;
  /** What it threw (or its Promise rejected with). */
  readonly error: unknown;
};

/**
 * `beamlet.telemetry.handler_failure`: a handler threw (or its Promise
 * rejected) and was detached, every event of its id.
 *
 * @example Hearing of failed handlers
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { HANDLER_FAILURE_EVENT } from "@beamlet/beamlet/telemetry";
 *
 * const telemetry = new Telemetry();
 * telemetry.attach("failures", HANDLER_FAILURE_EVENT, (_e, _m, meta) => {
 *   console.log(`handler ${String(meta.handlerId)} detached`);
 * });
 * ```
 */
export const HANDLER_FAILURE_EVENT: EventDefinition<
  HandlerFailureMeasurements,
  HandlerFailureMetadata
> = defineEvent(["beamlet", "telemetry", "handler_failure"], {
  description: "A handler threw (or its Promise rejected) and was detached.",
  measurements: { monotonic_time: "millisecond", system_time: "epoch_millisecond" },
  metadata: {
    handlerId: "the detached handler's id",
    event: "the event it failed on",
    config: "its config",
    error: "what it threw",
  },
});
