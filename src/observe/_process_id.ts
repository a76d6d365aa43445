/**
 * The process id of the observation views (and of the HTTP process routes): a pid's serial number in decimal
 * (`#PID<0.12.0>` → `"12"`), and back.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import { MalformedObserveRequestError, ProcessNotFoundError } from "./errors.ts";

/** The route id of `pid`. */
export function idOf(pid: Pid): string {
  return String(pid.serial);
}

/**
 * The live process `id` names, found by serial in O(1).
 *
 * @throws {MalformedObserveRequestError} when `id` is not a serial number.
 * @throws {ProcessNotFoundError} when no live process has it.
 */
export function pidOf(system: System, id: string): Pid {
  if (!/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) {
    throw new MalformedObserveRequestError("malformed process id");
  }
  const pid = system.pidBySerial(Number(id));
  if (pid === undefined || !system.isAlive(pid)) throw new ProcessNotFoundError(id);
  return pid;
}
