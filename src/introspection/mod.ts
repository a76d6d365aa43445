/**
 * Introspection of a running system, after recon and observer: the top
 * processes by an attribute (`procCount`) or by its growth over a window
 * (`procWindow`), one process grouped as recon's `info/1` (`inspectProcess`), its state
 * (`getState`, and `formatState` as a bounded preview), and the
 * supervision tree as data (`supervisionTree`, from `topLevelSupervisors`).
 *
 * @module
 */

export * from "./errors.ts";
export * from "./process_attribute.ts";
export * from "./process_rank.ts";
export * from "./proc_count.ts";
export * from "./proc_window.ts";
export * from "./inspect_process.ts";
export * from "./state_preview.ts";
export * from "./get_state.ts";
export * from "./format_state.ts";
export * from "./supervision_node.ts";
export * from "./supervision_tree.ts";
export * from "./top_level_supervisors.ts";
