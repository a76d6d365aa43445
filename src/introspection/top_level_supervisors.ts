/**
 * The roots of a system's supervision forest, found without scanning the
 * process table.
 *
 * @module
 */

import { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import { liveSupervisors, supervisorSettings } from "../supervisor/supervisor_settings.ts";

// A process's parent never changes, and pids are never reused: one lookup
// per supervisor for good (`processInfo` builds its links list, which is
// long for a supervisor of many children). Keyed per system by the pid's
// string form (pids are values), pruned of exited supervisors as it grows.
const parentsBySystem = new WeakMap<System, Map<string, Pid | null>>();

function parentOf(system: System, pid: Pid, live: number): Pid | undefined {
  let parents = parentsBySystem.get(system);
  if (parents === undefined) parentsBySystem.set(system, parents = new Map());
  if (parents.size > 2 * live + 64) {
    for (const key of parents.keys()) {
      if (!system.isAlive(Pid.parse(key))) parents.delete(key);
    }
  }
  const key = String(pid);
  let parent = parents.get(key);
  if (parent === undefined) {
    parent = system.processInfo(pid)?.parent ?? null;
    parents.set(key, parent);
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
  const live = liveSupervisors(system);
  return live.filter((pid) => {
    const parent = parentOf(system, pid, live.length);
    return parent === undefined || supervisorSettings(system, parent) === undefined;
  });
}
