/**
 * Recognizing a supervisor process from its pid, and reading its settings,
 * without a message to it (for introspection: supervision trees, dashboards).
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import type { Config } from "./_config.ts";
import type { Strategy } from "./options.ts";

/**
 * The settings of a running supervisor, as it was started with them.
 *
 * @example Reading them
 * ```ts
 * import type { SupervisorSettings } from "@beamlet/beamlet/supervisor";
 *
 * const describe = (s: SupervisorSettings) => `${s.kind} ${s.strategy} ${s.intensity}/${s.period}ms`;
 * ```
 */
export interface SupervisorSettings {
  /** Started by `Supervisor` (a `PartitionSupervisor` runs one) or by `DynamicSupervisor`. */
  readonly kind: "supervisor" | "dynamic_supervisor";
  /** Its restart strategy. */
  readonly strategy: Strategy;
  /** Most restarts within `period`. */
  readonly intensity: number;
  /** The window of `intensity`, ms. */
  readonly period: number;
  /** Most children at once (`Infinity` for a static supervisor). */
  readonly maxChildren: number;
}

// Pids are values, never reused, and name their system's node: keyed by
// the pid's string form, per system, so an equal pid (parsed, cloned) finds
// its entry. Every supervisor a system has started, oldest first; exited
// ones are dropped lazily, when the list is next read.
const bySystem = new WeakMap<System, Map<string, { pid: Pid; settings: SupervisorSettings }>>();
/** @internal Called by the supervisor process at the start of its `init`. */
export function rememberSupervisor(system: System, pid: Pid, config: Config): void {
  let known = bySystem.get(system);
  if (known === undefined) bySystem.set(system, known = new Map());
  // Amortized clean-up, so supervisor churn never grows the table without bound.
  if (known.size >= 64 && (known.size & (known.size - 1)) === 0) liveSupervisors(system);
  known.set(String(pid), {
    pid,
    settings: {
      kind: config.dynamic ? "dynamic_supervisor" : "supervisor",
      strategy: config.strategy,
      intensity: config.intensity,
      period: config.period,
      maxChildren: config.maxChildren,
    },
  });
}

/**
 * The settings of `pid` if it is a live supervisor of `system` (started by
 * `Supervisor`, `DynamicSupervisor` or `PartitionSupervisor`), else
 * `undefined`. Sends no message: safe on any pid, cheap on every pid.
 * (`TaskSupervisor` processes are not recognized.)
 *
 * Internal (no entry exports it): users reach it through `supervisionTree`
 * and `topLevelSupervisors` of `@beamlet/beamlet/introspection`.
 */
export function supervisorSettings(system: System, pid: Pid): SupervisorSettings | undefined {
  const found = bySystem.get(system)?.get(String(pid));
  return found !== undefined && system.isAlive(pid) ? found.settings : undefined;
}

/**
 * Every live supervisor of `system` (started by `Supervisor`,
 * `DynamicSupervisor` or `PartitionSupervisor`), oldest first, without
 * scanning the process table: what a supervision-tree view starts from.
 *
 * Internal (no entry exports it): users reach it through
 * `topLevelSupervisors` of `@beamlet/beamlet/introspection`.
 */
export function liveSupervisors(system: System): Pid[] {
  const known = bySystem.get(system);
  if (known === undefined) return [];
  const live: Pid[] = [];
  for (const [key, { pid }] of known) {
    if (system.isAlive(pid)) live.push(pid);
    else known.delete(key);
  }
  return live;
}
