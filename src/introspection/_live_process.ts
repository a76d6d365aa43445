/**
 * The live process record behind a target, for state inspection (internal):
 * reached through the runtime seam (`src/_runtime_access.ts`), so `System`
 * grows no method for it.
 *
 * @module
 */

import { runtimeOf } from "../_runtime_access.ts";
import { NoProcError } from "../errors.ts";
import { isPid, resolve, targetName } from "../kernel/mailbox/delivery.ts";
import { Life, type Process } from "../kernel/state/process.ts";
import type { System, Target } from "../system.ts";

/**
 * The process `target` names (a pid, a registered name or `{ via, key }`).
 * Throws a {@linkcode NoProcError} when none is alive, a `TypeError` for
 * anything that is not a target or a `system` that is not a `System`.
 */
export function liveProcess(system: System, target: Target): Process {
  const process = resolve(runtimeOf(system), target);
  if (process === undefined || process.life === Life.Dead) {
    throw new NoProcError(targetName(target), { pid: isPid(target) ? target : undefined });
  }
  return process;
}

/** Whether `init` has returned: before that, a process has no state to show. */
export function hasState(process: Process): boolean {
  return process.life === Life.Alive || process.life === Life.Exiting;
}
