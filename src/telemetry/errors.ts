/**
 * Named errors of the telemetry core.
 *
 * @module
 */

/**
 * A handler id is already attached: ids are unique across a `Telemetry`, as
 * `:telemetry` answers `{error, already_exists}`. Detach the old handler
 * first, or pick another id.
 *
 * @example Attaching the same id twice
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { AlreadyAttachedError } from "@beamlet/beamlet/telemetry";
 *
 * const telemetry = new Telemetry();
 * telemetry.attach("logger", ["beamlet", "call", "stop"], () => {});
 * try {
 *   telemetry.attach("logger", ["beamlet", "cast"], () => {});
 * } catch (error) {
 *   if (error instanceof AlreadyAttachedError) console.log(error.handlerId); // "logger"
 * }
 * ```
 */
export class AlreadyAttachedError extends Error {
  /** The id that is already taken. */
  readonly handlerId: string | symbol;

  /** Built by `Telemetry.attach` / `attachMany` when the id is taken. */
  constructor(handlerId: string | symbol, options?: ErrorOptions) {
    super(`telemetry: a handler with id ${String(handlerId)} is already attached`, options);
    this.name = "AlreadyAttachedError";
    this.handlerId = handlerId;
  }
}
