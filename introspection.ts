/**
 * Introspection of a running system, after recon and observer: what
 * `system.processInfo` tells of one process, the top processes by an
 * attribute (`procCount`) or by its growth over a window (`procWindow`),
 * one process grouped as recon's `info/1` (`inspectProcess`), its state
 * (`getState`, like `:sys.get_state`, and `formatState`, a bounded preview
 * of what its `formatStatus` shows), the scheduler's counters, and the supervision tree as data
 * (`supervisionTree`, from `topLevelSupervisors`).
 *
 * @example The longest mailboxes, and the tree
 * ```ts
 * import { ok, Supervisor, System } from "@beamlet/beamlet";
 * import { procCount, supervisionTree, topLevelSupervisors } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const idle = { init: () => ok(null) };
 * await Supervisor.start(system, [
 *   { id: "a", start: { server: idle } },
 *   { id: "b", start: { server: idle } },
 * ], { name: "root" });
 * console.log(procCount(system, "messageQueueLength", 3).length); // 3
 * const [root] = topLevelSupervisors(system);
 * const tree = await supervisionTree(system, root);
 * console.log(tree.children?.map((child) => child.id)); // ["a", "b"]
 * system.shutdown();
 * ```
 *
 * @module
 */

export type { ProcessInfo, ProcessStatus, ProcessSummary } from "./src/process_info.ts";
export type { SchedulerStats } from "./src/scheduler_stats.ts";
export type { LongCallbackRecord, MonitorStats } from "./src/monitor_stats.ts";
export type { SystemMonitorOptions } from "./src/monitor_options.ts";
export { NotSupervisorError, UnknownAttributeError } from "./src/introspection/errors.ts";
export {
  PROCESS_ATTRIBUTES,
  type ProcessAttribute,
} from "./src/introspection/process_attribute.ts";
export type { ProcessRank } from "./src/introspection/process_rank.ts";
export { procCount } from "./src/introspection/proc_count.ts";
export { procWindow } from "./src/introspection/proc_window.ts";
export { type GroupedProcessInfo, inspectProcess } from "./src/introspection/inspect_process.ts";
export type { StatePreview, StatePreviewOptions } from "./src/introspection/state_preview.ts";
export { getState } from "./src/introspection/get_state.ts";
export { formatState } from "./src/introspection/format_state.ts";
export type {
  SupervisionNode,
  SupervisionTreeOptions,
} from "./src/introspection/supervision_node.ts";
export { supervisionTree } from "./src/introspection/supervision_tree.ts";
export { topLevelSupervisors } from "./src/introspection/top_level_supervisors.ts";
