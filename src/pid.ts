/**
 * Process identifiers.
 *
 * @module
 */

/**
 * Identifies one process of a {@linkcode System} for its whole life and after:
 * a pid is never reused, so a message to the pid of a dead process goes
 * nowhere (and a `call` fails at once with `NoProcError`).
 *
 * @example Printing a pid
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(0) });
 * console.log(String(pid)); // "#PID<0.1.0>"
 * ```
 */
export class Pid {
  /** Serial number, unique within its system (1, 2, 3, ...). */
  readonly serial: number;

  /** Made by the system only; users get pids from `start`. */
  constructor(serial: number) {
    this.serial = serial;
  }

  /** Elixir's notation: `#PID<0.serial.0>`. */
  toString(): string {
    return `#PID<0.${this.serial}.0>`;
  }

  /** Serializes as its string form (telemetry, logs). */
  toJSON(): string {
    return this.toString();
  }
}

/**
 * A reference: identifies a monitor or a timer. Unique within its system.
 *
 * @example A monitor reference
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(0) });
 * const ref = system.monitor(pid, () => {});
 * console.log(String(ref)); // "#Reference<0.1>"
 * ```
 */
export class Ref {
  /** Serial number, unique within its system. */
  readonly serial: number;

  /** Made by the system only. */
  constructor(serial: number) {
    this.serial = serial;
  }

  /** `#Reference<0.serial>`. */
  toString(): string {
    return `#Reference<0.${this.serial}>`;
  }

  /** Serializes as its string form. */
  toJSON(): string {
    return this.toString();
  }
}
