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
 * import type { SupervisorSettings } from "@beamlet/beamlet";
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

// Pids are never reused and unique across systems, so a pid identifies one
// supervisor for good; a WeakMap lets an entry go with its Pid object.
const settings = new WeakMap<Pid, SupervisorSettings>();

/** @internal Called by the supervisor process at the start of its `init`. */
export function rememberSupervisor(pid: Pid, config: Config): void {
  settings.set(pid, {
    kind: config.dynamic ? "dynamic_supervisor" : "supervisor",
    strategy: config.strategy,
    intensity: config.intensity,
    period: config.period,
    maxChildren: config.maxChildren,
  });
}

/**
 * The settings of `pid` if it is a live supervisor of `system` (started by
 * `Supervisor`, `DynamicSupervisor` or `PartitionSupervisor`), else
 * `undefined`. Sends no message: safe on any pid, cheap on every pid.
 * (`TaskSupervisor` processes are not recognized.)
 *
 * @example Which processes are supervisors
 * ```ts
 * import { ok, Supervisor, supervisorSettings, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const sup = await Supervisor.start(system, [{ id: "w", start: { server: { init: () => ok(0) } } }]);
 * const supervisors = system.processes().filter((pid) => supervisorSettings(system, pid));
 * console.log(supervisors.length, supervisorSettings(system, sup)?.strategy); // 1 "one_for_one"
 * ```
 */
export function supervisorSettings(system: System, pid: Pid): SupervisorSettings | undefined {
  const found = settings.get(pid);
  return found !== undefined && system.isAlive(pid) ? found : undefined;
}
