/**
 * Supervision, every part of it: `Supervisor` (static children restarted
 * one_for_one, one_for_all or rest_for_one, within a restart intensity),
 * `DynamicSupervisor` (children started on demand), `PartitionSupervisor`
 * (one child per partition, keys routed by a keyed hash), their child
 * specs, what they tell of their children, the reports they log, and the
 * settings a running supervisor shows to introspection. The root entry
 * re-exports the parts you reach for first.
 *
 * @example Counting children, and hearing of restarts
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { type SupervisorReport, Supervisor } from "@beamlet/beamlet/supervisor";
 *
 * const restarts: SupervisorReport[] = [];
 * const system = new System({
 *   logger: {
 *     report: (report) => {
 *       if (report.kind === "supervisor") restarts.push(report);
 *     },
 *   },
 * });
 * const idle = { init: () => ok(null) };
 * const sup = await Supervisor.start(system, [
 *   { id: "a", start: { server: idle } },
 *   { id: "b", start: { server: idle } },
 * ]);
 * console.log(await Supervisor.countChildren(system, sup)); // { specs: 2, active: 2, supervisors: 0, workers: 2 }
 * system.shutdown();
 * ```
 *
 * @module
 */

export { Supervisor } from "./src/supervisor/supervisor.ts";
export { type DynamicChildSpec, DynamicSupervisor } from "./src/supervisor/dynamic_supervisor.ts";
export {
  type PartitionChild,
  PartitionSupervisor,
  type PartitionSupervisorOptions,
} from "./src/supervisor/partition_supervisor.ts";
export type { ChildSpec, ChildType, Restart, Shutdown } from "./src/supervisor/child_spec.ts";
export type { ChildCounts, ChildInfo } from "./src/supervisor/child_info.ts";
export type {
  DynamicSupervisorOptions,
  Strategy,
  SupervisorOptions,
} from "./src/supervisor/options.ts";
export type { SupervisorLogger, SupervisorReport } from "./src/supervisor/report.ts";
export type { SupervisorSettings } from "./src/supervisor/supervisor_settings.ts";
export {
  ChildNotFoundError,
  ChildRunningError,
  ChildStartError,
  DuplicateChildError,
  MaxChildrenError,
} from "./src/supervisor/errors.ts";
