/**
 * The `:id` of the process routes: a pid's serial number in decimal
 * (`#PID<0.12.0>` → `"12"`), and back.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import { HttpError } from "./_http_error.ts";

/** The route id of `pid`. */
export function idOf(pid: Pid): string {
  return String(pid.serial);
}

/**
 * The live process `id` names, found by serial in O(1).
 *
 * @throws {HttpError} 400 when `id` is not a serial number, 404 when no live process has it.
 */
export function pidOf(system: System, id: string): Pid {
  if (!/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) {
    throw new HttpError(400, "malformed process id");
  }
  const pid = system.pidBySerial(Number(id));
  if (pid === undefined || !system.isAlive(pid)) throw new HttpError(404, "no such process");
  return pid;
}
