/**
 * Declaring an event once: its name, when it fires, the unit of each
 * measurement and the meaning of each metadata key — and, at the type
 * level, the shapes its emitters must produce and its handlers receive.
 *
 * @module
 */

import type { EventName, Measurements, Metadata } from "./types.ts";

/**
 * The unit of a measurement. `"millisecond"`: a duration or a reading of the
 * system's monotonic clock; `"epoch_millisecond"`: `Date.now()`;
 * `"count"`: a number of things; `"ratio"`: a fraction in 0..1;
 * `"number"`: a plain number whose meaning the event's doc gives.
 *
 * @example
 * ```ts
 * import type { MeasurementUnit } from "@beamlet/beamlet/telemetry";
 *
 * const unit: MeasurementUnit = "millisecond";
 * ```
 */
export type MeasurementUnit = "millisecond" | "epoch_millisecond" | "count" | "ratio" | "number";

/**
 * What {@linkcode defineEvent} needs besides the name: when the event fires,
 * the unit of every measurement and a short description of every metadata
 * key (each required, none extra).
 *
 * @example
 * ```ts
 * import type { EventSpec } from "@beamlet/beamlet/telemetry";
 *
 * const spec: EventSpec<{ duration: number }, { job: string }> = {
 *   description: "A job finished.",
 *   measurements: { duration: "millisecond" },
 *   metadata: { job: "the job's id" },
 * };
 * ```
 */
export interface EventSpec<M extends Measurements, Meta extends Metadata> {
  /** When the event fires. */
  readonly description: string;
  /** The unit of each measurement. */
  readonly measurements: { readonly [K in keyof M]-?: MeasurementUnit };
  /** What each metadata key holds. */
  readonly metadata: { readonly [K in keyof Meta]-?: string };
}

/**
 * A declared event: its name (a frozen array of strings, usable wherever an
 * event name is) that also carries its declaration, as non-enumerable
 * fields: `id` (the name joined with dots), `description`, the unit of
 * every measurement and the meaning of every metadata key.
 *
 * @example
 * ```ts
 * import { BEAMLET_EVENTS, type EventDefinition } from "@beamlet/beamlet/telemetry";
 *
 * const exit: EventDefinition = BEAMLET_EVENTS.processExit;
 * console.log(exit.id, exit.measurements.lifetime); // "beamlet.process.exit" "millisecond"
 * ```
 */
export interface EventDefinition<
  M extends Measurements = Measurements,
  Meta extends Metadata = Metadata,
> extends EventName<M, Meta> {
  /** The name joined with dots: `"beamlet.process.exit"`. */
  readonly id: string;
  /** When the event fires. */
  readonly description: string;
  /** The unit of each measurement. */
  readonly measurements: { readonly [K in keyof M]-?: MeasurementUnit };
  /** What each metadata key holds. */
  readonly metadata: { readonly [K in keyof Meta]-?: string };
}

/**
 * Declares an event: give its measurements and metadata as type arguments
 * and describe them in `spec`. The result is the event's name, typed, for
 * `attach`, `execute` and `prepare`.
 *
 * @throws {TypeError} if `name` is not a non-empty array of non-empty strings.
 *
 * @example A typed event of your own
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { defineEvent } from "@beamlet/beamlet/telemetry";
 *
 * const JOB_DONE = defineEvent<{ duration: number }, { job: string }>(["app", "job", "done"], {
 *   description: "A job finished.",
 *   measurements: { duration: "millisecond" },
 *   metadata: { job: "the job's id" },
 * });
 * const telemetry = new Telemetry();
 * telemetry.attach("log", JOB_DONE, (_e, m, meta) => console.log(meta.job, m.duration));
 * telemetry.execute(JOB_DONE, { duration: 12 }, { job: "j1" }); // logs j1 12
 * ```
 */
export function defineEvent<M extends Measurements, Meta extends Metadata>(
  name: readonly string[],
  spec: EventSpec<NoInfer<M>, NoInfer<Meta>>,
): EventDefinition<M, Meta> {
  if (
    !Array.isArray(name) || name.length === 0 ||
    !name.every((segment) => typeof segment === "string" && segment.length > 0)
  ) {
    throw new TypeError("defineEvent: name must be a non-empty array of non-empty strings");
  }
  const event: string[] = [...name];
  Object.defineProperties(event, {
    id: { value: name.join(".") },
    description: { value: String(spec.description) },
    measurements: { value: Object.freeze({ ...spec.measurements }) },
    metadata: { value: Object.freeze({ ...spec.metadata }) },
  });
  return Object.freeze(event) as unknown as EventDefinition<M, Meta>;
}
