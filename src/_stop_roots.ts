/**
 * Stopping a scheduler's top-level processes (internal): `System.stopAll`
 * on every scheduler of a system.
 *
 * @module
 */

import type { ExitReason } from "./exit_reason.ts";
import type { Pid } from "./pid.ts";
import { runtimeOf } from "./_runtime_access.ts";
import { Life } from "./kernel/state/process.ts";
import { isHere, lookup } from "./kernel/state/runtime.ts";

/**
 * Stops, newest first, each process of `system`'s scheduler that no live
 * local process started with `startLink` (a process whose parent lives on
 * another scheduler is left to its parent), waiting up to `timeout` ms
 * for each.
 */
export async function stopRoots(
  system: { stop(pid: Pid, reason: ExitReason, timeout: number): Promise<void> },
  reason: ExitReason,
  timeout: number,
): Promise<void> {
  const rt = runtimeOf(system);
  const roots = [...rt.bySerial.values()].filter((process) =>
    process.parent === undefined ||
    (isHere(rt, process.parent) && lookup(rt, process.parent) === undefined)
  ).reverse();
  for (const process of roots) {
    if (process.life === Life.Dead) continue;
    // An ExitError (another reason, a timeout) still means it is gone.
    await system.stop(process.pid, reason, timeout).catch(() => {});
  }
}
