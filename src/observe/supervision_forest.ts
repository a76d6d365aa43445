/**
 * The supervision forest as a view: walked at most once per interval,
 * bounded in nodes, one walk shared by every concurrent reader.
 *
 * @module
 */

import { checkCount, checkMs } from "../introspection/_checks.ts";
import type { SupervisionNode, SupervisionTreeOptions } from "../introspection/supervision_node.ts";
import { supervisionTree } from "../introspection/supervision_tree.ts";
import { topLevelSupervisors } from "../introspection/top_level_supervisors.ts";
import type { System } from "../system.ts";

/**
 * Options of {@linkcode SupervisionForest}: the bounds of each walk (as
 * `supervisionTree`'s, with `maxNodes` defaulting to 1000) and how often
 * it may be walked.
 *
 * @example Small trees, refreshed at most every 5 s
 * ```ts
 * import type { SupervisionForestOptions } from "@beamlet/beamlet/observe";
 *
 * const options: SupervisionForestOptions = { maxNodes: 200, maxDepth: 4, intervalMs: 5000 };
 * ```
 */
export interface SupervisionForestOptions extends SupervisionTreeOptions {
  /** Least ms (system clock) between the end of a walk and the start of the next (default 1000). */
  intervalMs?: number;
}

/**
 * One walk of the forest: the trees of the top-level supervisors, oldest
 * first, and what the bounds left out.
 *
 * @example Reporting the cuts
 * ```ts
 * import type { SupervisionForestSnapshot } from "@beamlet/beamlet/observe";
 *
 * const note = (forest: SupervisionForestSnapshot) =>
 *   forest.truncated ? `${forest.nodes} nodes shown, ${forest.omittedRoots} trees left out` : "";
 * ```
 */
export interface SupervisionForestSnapshot {
  /** The trees listed. */
  readonly roots: readonly SupervisionNode[];
  /** Top-level supervisors left out by `maxNodes`. */
  readonly omittedRoots: number;
  /** Nodes listed, roots included (at most `maxNodes`). */
  readonly nodes: number;
  /** The most nodes a walk lists. */
  readonly maxNodes: number;
  /** Whether `maxNodes` cut something: a root, or some supervisor's children. */
  readonly truncated: boolean;
  /** When the walk began (system clock, ms). */
  readonly startedAt: number;
  /** When the walk ended (system clock, ms): the snapshot's age is measured from it. */
  readonly completedAt: number;
}

/**
 * The supervision forest of `system` — `supervisionTree(system)` with a
 * node cap (`maxNodes`, default 1000) — walked at most once per
 * `intervalMs`: a read within the interval after a walk gets that walk,
 * and concurrent reads while a walk is under way share it. So however many
 * clients ask, the supervisors are asked at most once per interval, and
 * each walk lists at most `maxNodes` nodes (each supervisor copying at most
 * `maxChildren` children): its cost does not grow with the number of
 * processes.
 *
 * @throws {RangeError} for a bound or interval out of range (as `supervisionTree`).
 *
 * @example
 * ```ts
 * import { ok, Supervisor, System } from "@beamlet/beamlet";
 * import { SupervisionForest } from "@beamlet/beamlet/observe";
 *
 * const system = new System();
 * await Supervisor.start(system, [{ id: "w", start: { server: { init: () => ok(0) } } }]);
 * const forest = new SupervisionForest(system, { maxNodes: 100 });
 * const { roots, nodes, truncated } = await forest.snapshot();
 * console.log(roots.length, nodes, truncated); // 1 2 false
 * system.shutdown();
 * ```
 */
export class SupervisionForest {
  readonly #system: System;
  readonly #tree: SupervisionTreeOptions;
  readonly #maxNodes: number;
  readonly #intervalMs: number;
  #last: SupervisionForestSnapshot | undefined;
  #walking: Promise<SupervisionForestSnapshot> | undefined;

  /** A view of `system`'s forest; nothing is walked until the first read. */
  constructor(system: System, options: SupervisionForestOptions = {}) {
    const where = "SupervisionForest";
    if (typeof system?.processSummary !== "function") {
      throw new TypeError(`${where}: system must be a System`);
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${where}: options must be an object`);
    }
    const { intervalMs = 1000, ...tree } = options;
    this.#system = system;
    this.#maxNodes = checkCount(where, "maxNodes", tree.maxNodes ?? 1000, true);
    if (this.#maxNodes < 1) throw new RangeError(`${where}: maxNodes must be at least 1, got 0`);
    this.#intervalMs = checkMs(where, "intervalMs", intervalMs);
    this.#tree = { ...tree, maxNodes: this.#maxNodes };
    // The tree options are checked now, not at the first read.
    checkCount(where, "maxDepth", tree.maxDepth ?? 0, true);
    checkCount(where, "maxChildren", tree.maxChildren ?? 0, true);
    checkMs(where, "timeout", tree.timeout ?? 0, true);
  }

  /**
   * The last walk if it ended within `intervalMs`, else the walk under way,
   * else a new one.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SupervisionForest } from "@beamlet/beamlet/observe";
   *
   * const forest = new SupervisionForest(new System());
   * console.log((await forest.snapshot()).roots); // []
   * ```
   */
  snapshot(): Promise<SupervisionForestSnapshot> {
    const last = this.#last;
    if (last !== undefined && this.#system.now() - last.completedAt < this.#intervalMs) {
      return Promise.resolve(last);
    }
    return this.#walking ??= this.#walk().finally(() => (this.#walking = undefined));
  }

  async #walk(): Promise<SupervisionForestSnapshot> {
    const system = this.#system;
    const startedAt = system.now();
    // Both read the supervisors synchronously, before the walk's first await: the same list.
    const all = topLevelSupervisors(system).length;
    const roots = await supervisionTree(system, undefined, this.#tree);
    let nodes = 0;
    let cut = false;
    const count = (node: SupervisionNode) => {
      nodes++;
      if (node.nodesTruncated) cut = true;
      node.children.forEach(count);
    };
    roots.forEach(count);
    const omittedRoots = Math.max(0, all - roots.length);
    const snapshot: SupervisionForestSnapshot = {
      roots,
      omittedRoots,
      nodes,
      maxNodes: this.#maxNodes,
      truncated: cut || omittedRoots > 0,
      startedAt,
      completedAt: system.now(),
    };
    this.#last = snapshot;
    return snapshot;
  }
}
