/**
 * Whether a pid that is not a process of this scheduler can still be
 * reached (internal): a pid of another running scheduler of this system,
 * or of a node the routing seam knows. For subsystems (Registry) that
 * accept pids they cannot check synchronously: a monitor on such a pid
 * tells them when it is gone (at once, `noproc`, if it already is).
 *
 * @module
 */

import type { Pid } from "./pid.ts";
import { runtimeOf } from "./_runtime_access.ts";
import { portOf } from "./kernel/mailbox/delivery.ts";
import { isHere } from "./kernel/state/runtime.ts";

/** Whether `pid` lives across the routing seam, where a port can reach it. */
export function reachableElsewhere(system: object, pid: Pid): boolean {
  const rt = runtimeOf(system);
  return !isHere(rt, pid) && portOf(rt, pid) !== undefined;
}
