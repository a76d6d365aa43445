/**
 * Named errors of SLO declarations: a monitor refuses a bad declaration when
 * it is built, never later while events flow.
 *
 * @module
 */

/**
 * An SLO declaration (or a monitor option) is malformed: a quantile outside
 * (0, 1), a threshold or window that is not a positive number, a malformed
 * event name, an unknown kind, ... `field` names what is wrong, `slo` the
 * declaration's name when it has a usable one.
 *
 * @example A quantile of 95 instead of 0.95
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { InvalidSloError, SloMonitor } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * try {
 *   new SloMonitor(system, {
 *     slos: [{
 *       name: "fast-calls",
 *       kind: "latency",
 *       event: ["beamlet", "call", "stop"],
 *       quantile: 95,
 *       threshold: 5,
 *       window: 300_000,
 *     }],
 *   });
 * } catch (error) {
 *   if (error instanceof InvalidSloError) console.log(error.slo, error.field); // "fast-calls" "quantile"
 * }
 * ```
 */
export class InvalidSloError extends Error {
  /** The declaration's name, or `undefined` when the name itself is bad (or for monitor options). */
  readonly slo: string | undefined;
  /** The offending field (`"quantile"`, `"threshold"`, `"event"`, `"evaluationInterval"`, ...). */
  readonly field: string;
  /** The value that was refused. */
  readonly value: unknown;

  /** Built by `SloMonitor` when it checks its declarations and options. */
  constructor(
    slo: string | undefined,
    field: string,
    expected: string,
    value: unknown,
    options?: ErrorOptions,
  ) {
    const where = slo === undefined ? "SloMonitor" : `SloMonitor: slo ${JSON.stringify(slo)}`;
    super(`${where}: ${field} must be ${expected}, got ${describe(value)}`, options);
    this.name = "InvalidSloError";
    this.slo = slo;
    this.field = field;
    this.value = value;
  }
}

/**
 * Two SLOs of one monitor share a name: names identify SLOs in `status()`,
 * in alert records and in telemetry metadata, so they must be unique.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { DuplicateSloError, SloMonitor } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * const slo = { name: "cache", kind: "mailbox_age", target: "cache", threshold: 1000, window: 60_000 } as const;
 * try {
 *   new SloMonitor(system, { slos: [slo, slo] });
 * } catch (error) {
 *   if (error instanceof DuplicateSloError) console.log(error.slo); // "cache"
 * }
 * ```
 */
export class DuplicateSloError extends Error {
  /** The name declared twice. */
  readonly slo: string;

  /** Built by `SloMonitor` when two declarations share a name. */
  constructor(slo: string, options?: ErrorOptions) {
    super(`SloMonitor: two SLOs are named ${JSON.stringify(slo)}; names must be unique`, options);
    this.name = "DuplicateSloError";
    this.slo = slo;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null) return "null";
  return typeof value;
}
