/**
 * The shape of a supervision tree, as `supervisionTree` returns it, and its options.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { Restart } from "../supervisor/child_spec.ts";
import type { Strategy } from "../supervisor/options.ts";
import type { SupervisorSettings } from "../supervisor/supervisor_settings.ts";

/**
 * One node of a supervision tree: a supervisor with its children, or a
 * worker (a leaf). A child that is not running (terminated, waiting for a
 * restart) has no pid.
 *
 * Truncation is always flagged: `depthTruncated` when `maxDepth` stopped the
 * walk at this supervisor (its children were not asked for),
 * `omittedChildren` when `maxChildren` or `maxNodes` cut its list,
 * `nodesTruncated` when `maxNodes` was reached at this supervisor (its
 * list was cut, or not asked for), `childrenUnavailable`
 * when its children could not be read — `"timeout"` (it did not answer
 * within `timeout`), `"exited"` (it exited while walked), `"unrecognized"`
 * (a child of type supervisor that is not a `Supervisor` /
 * `DynamicSupervisor`, e.g. a `TaskSupervisor`).
 *
 * @example Printing a tree
 * ```ts
 * import type { SupervisionNode } from "@beamlet/beamlet/introspection";
 *
 * function print(node: SupervisionNode, indent = ""): void {
 *   console.log(`${indent}${node.id ?? node.name ?? String(node.pid)} (${node.type})`);
 *   for (const child of node.children) print(child, indent + "  ");
 *   if (node.omittedChildren > 0) console.log(`${indent}  ... ${node.omittedChildren} more`);
 * }
 * ```
 */
export interface SupervisionNode {
  /** The process, while it runs. */
  readonly pid: Pid | undefined;
  /** Its child id under its supervisor (`undefined` for a root, or a dynamic child without one). */
  readonly id: string | undefined;
  /** Its registered name, if any. */
  readonly name: string | undefined;
  /** A supervisor (recognized as one, or declared so by its child spec) or a worker. */
  readonly type: "supervisor" | "worker";
  /** Its restart policy under its supervisor (`undefined` for a root). */
  readonly restart: Restart | undefined;
  /** Supervisors only: static or dynamic. */
  readonly kind?: SupervisorSettings["kind"];
  /** Supervisors only: the restart strategy. */
  readonly strategy?: Strategy;
  /** Supervisors only: at most `intensity` restarts within `period` ms. */
  readonly restartIntensity?: { readonly intensity: number; readonly period: number };
  /** Its children as listed (in start order), at most `maxChildren` of them. */
  readonly children: SupervisionNode[];
  /** Children left out by `maxChildren`. */
  readonly omittedChildren: number;
  /** Its children were not asked for: `maxDepth` was reached here. */
  readonly depthTruncated: boolean;
  /**
   * Present (`true`) only when `maxNodes` was reached here: its children
   * were cut (see `omittedChildren`), or not asked for at all.
   */
  readonly nodesTruncated?: boolean;
  /** Why its children are unknown, when they are. */
  readonly childrenUnavailable?: "timeout" | "exited" | "unrecognized";
}

/**
 * Bounds of `supervisionTree`.
 *
 * @example Only the top two levels, ten children each, 1 s per supervisor, 50 nodes in all
 * ```ts
 * import type { SupervisionTreeOptions } from "@beamlet/beamlet/introspection";
 *
 * const options: SupervisionTreeOptions = { maxDepth: 1, maxChildren: 10, timeout: 1000, maxNodes: 50 };
 * ```
 */
export interface SupervisionTreeOptions {
  /** Levels below the root to list (default 32; 0: the root alone). An integer >= 0 or Infinity. */
  maxDepth?: number;
  /** Children listed per supervisor (default 100). An integer >= 0 or Infinity. */
  maxChildren?: number;
  /** Ms (system clock) each supervisor gets to list its children (default 5000; Infinity allowed). */
  timeout?: number;
  /**
   * Nodes listed in all, roots included (default Infinity). An integer >= 1
   * or Infinity. Nodes are listed in level order, so the top of every tree
   * is kept; in a forest, roots beyond it are left out.
   */
  maxNodes?: number;
}
