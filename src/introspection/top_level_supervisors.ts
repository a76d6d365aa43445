/**
 * The roots of a system's supervision forest, found without scanning the
 * process table.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import { liveSupervisors, supervisorSettings } from "../supervisor/supervisor_settings.ts";

// A process's parent never changes, and pids are never reused: one lookup
// per supervisor for good (`processInfo` builds its links list, which is
// long for a supervisor of many children).
const parents = new WeakMap<Pid, Pid | null>();

function parentOf(system: System, pid: Pid): Pid | undefined {
  let parent = parents.get(pid);
  if (parent === undefined) {
    parent = system.processInfo(pid)?.parent ?? null;
    parents.set(pid, parent);
  }
  return parent ?? undefined;
}

/**
 * Every live supervisor of `system` (`Supervisor`, `DynamicSupervisor`,
 * `PartitionSupervisor`) whose parent — the process that started it with
 * `startLink`, see `ProcessInfo.parent` — is not a live supervisor: the
 * roots of its supervision trees, oldest first. It reads the supervisors
 * only, never the whole process table.
 *
 * A supervisor started by a worker (itself under a supervisor) is a root
 * here: its tree is listed on its own.
 *
 * @example
 * ```ts
 * import { ok, Supervisor, System } from "@beamlet/beamlet";
 * import { topLevelSupervisors } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const root = await Supervisor.start(system, [
 *   Supervisor.childSpec("inner", [{ id: "w", start: { server: { init: () => ok(0) } } }]),
 * ]);
 * console.log(topLevelSupervisors(system).length, topLevelSupervisors(system)[0] === root); // 1 true
 * ```
 */
export function topLevelSupervisors(system: System): Pid[] {
  return liveSupervisors(system).filter((pid) => {
    const parent = parentOf(system, pid);
    return parent === undefined || supervisorSettings(system, parent) === undefined;
  });
}
