/**
 * The supervision tree as data (observer's applications tab, as a value).
 *
 * @module
 */

import { NoProcError } from "../errors.ts";
import type { Pid } from "../pid.ts";
import type { System, Target } from "../system.ts";
import type { ChildType, Restart } from "../supervisor/child_spec.ts";
import { PartitionSupervisor } from "../supervisor/partition_supervisor.ts";
import { supervisorSettings } from "../supervisor/supervisor_settings.ts";
import { checkCount, checkMs } from "./_checks.ts";
import { childrenWithin } from "./_children.ts";
import { NotSupervisorError } from "./errors.ts";
import { topLevelSupervisors } from "./top_level_supervisors.ts";
import type { SupervisionNode, SupervisionTreeOptions } from "./supervision_node.ts";

interface Walk {
  readonly system: System;
  readonly maxDepth: number;
  readonly maxChildren: number;
  readonly timeout: number;
  /** Nodes that may still be listed (`maxNodes` minus those listed). */
  budget: number;
}

/** A node being built: its children are filled in level by level. */
type Building = { -readonly [K in keyof SupervisionNode]: SupervisionNode[K] };

/** A supervisor node whose children are still to be asked for. */
interface Expansion {
  readonly node: Building;
  readonly pid: Pid;
  readonly depth: number;
}

/**
 * The supervision tree under `root` — a supervisor's pid or name, or a
 * {@linkcode PartitionSupervisor} — as data: each supervisor with its
 * kind, strategy, restart intensity and children, recursively; workers as
 * leaves. Without a root (or with `undefined`), the forest of top-level
 * supervisors: every live supervisor that is no other supervisor's child,
 * oldest first.
 *
 * Supervisors are recognized without a message (see
 * {@linkcode supervisorSettings}); the roots of the forest are
 * {@linkcode topLevelSupervisors} (no scan of the process table). The tree
 * is walked level by level: the supervisors of one level are asked for
 * their first `maxChildren` children concurrently (one call each, within
 * `timeout` ms of the system's clock; a supervisor copies no more than
 * that), then the next level. The walk is bounded by `maxDepth`,
 * `maxChildren` and `maxNodes` — nodes are listed in level order, so a cut
 * by `maxNodes` keeps the top of every tree — and every cut is flagged on
 * its node (see {@linkcode SupervisionNode}); in a forest, roots beyond
 * `maxNodes` are left out. The tree is not an atomic snapshot: children may
 * restart while it is walked.
 * Do not await it inside a callback of a supervisor it walks: that
 * supervisor could not answer until the callback returns.
 *
 * Rejects with {@linkcode NoProcError} when `root` is not alive,
 * {@linkcode NotSupervisorError} when it is not a supervisor, a `TypeError`
 * for a root that is not a pid, a name or `{ via, key }`, and a `RangeError`
 * for a bad option.
 *
 * @example A two-level tree, then the whole forest
 * ```ts
 * import { ok, Supervisor, System } from "@beamlet/beamlet";
 * import { supervisionTree } from "@beamlet/beamlet/introspection";
 *
 * const idle = { init: () => ok(null) };
 * const system = new System();
 * const root = await Supervisor.start(system, [
 *   { id: "cache", start: { server: idle } },
 *   Supervisor.childSpec("workers", [{ id: "w1", start: { server: idle } }], { intensity: 10 }),
 * ], { strategy: "rest_for_one", name: "app" });
 * const tree = await supervisionTree(system, "app", { maxDepth: 4 });
 * console.log(tree.strategy, tree.children.map((c) => c.id)); // "rest_for_one" ["cache", "workers"]
 * console.log(tree.children[1].restartIntensity); // { intensity: 10, period: 5000 }
 * const forest = await supervisionTree(system); // every top-level supervisor
 * console.log(forest.length, forest[0].pid === root); // 1 true
 * ```
 */
export function supervisionTree(
  system: System,
  root: Target | PartitionSupervisor,
  options?: SupervisionTreeOptions,
): Promise<SupervisionNode>;
/** With no root: every top-level supervisor's tree, oldest first. */
export function supervisionTree(
  system: System,
  root?: undefined,
  options?: SupervisionTreeOptions,
): Promise<SupervisionNode[]>;
export async function supervisionTree(
  system: System,
  root?: Target | PartitionSupervisor,
  options: SupervisionTreeOptions = {},
): Promise<SupervisionNode | SupervisionNode[]> {
  const walk = walkOf(system, options);
  if (root === undefined) return await walkFrom(walk, topLevelSupervisors(system));
  const target = root instanceof PartitionSupervisor ? root.pid : root;
  const pid = system.processInfo(target)?.pid; // resolves names and { via, key }; TypeError otherwise
  if (pid === undefined) throw new NoProcError(String(target));
  if (supervisorSettings(system, pid) === undefined) throw new NotSupervisorError(String(target));
  const [tree] = await walkFrom(walk, [pid]);
  return tree;
}

function walkOf(system: System, options: SupervisionTreeOptions): Walk {
  const where = "supervisionTree";
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object`);
  }
  const maxNodes = checkCount(where, "maxNodes", options.maxNodes ?? Infinity, true);
  if (maxNodes < 1) throw new RangeError(`${where}: maxNodes must be at least 1, got 0`);
  return {
    system,
    maxDepth: checkCount(where, "maxDepth", options.maxDepth ?? 32, true),
    maxChildren: checkCount(where, "maxChildren", options.maxChildren ?? 100, true),
    timeout: checkMs(where, "timeout", options.timeout ?? 5000, true),
    budget: maxNodes,
  };
}

/** The trees under `roots` (supervisors), level by level, within the walk's bounds. */
async function walkFrom(walk: Walk, roots: readonly Pid[]): Promise<SupervisionNode[]> {
  const trees: SupervisionNode[] = [];
  let level: Expansion[] = [];
  for (const pid of roots) {
    if (walk.budget <= 0) break;
    walk.budget--;
    trees.push(describe(walk, pid, undefined, undefined, "supervisor", 0, level));
  }
  while (level.length > 0) {
    if (walk.budget <= 0) {
      for (const { node } of level) node.nodesTruncated = true;
      break;
    }
    const listings = await Promise.all(
      level.map(({ pid }) => childrenWithin(walk.system, pid, walk.maxChildren, walk.timeout)),
    );
    const next: Expansion[] = [];
    level.forEach(({ node, depth }, i) => {
      const listing = listings[i];
      if (typeof listing === "string") {
        node.childrenUnavailable = listing;
        return;
      }
      for (const child of listing.children) {
        if (node.children.length >= walk.maxChildren) break;
        if (walk.budget <= 0) {
          node.nodesTruncated = true;
          break;
        }
        walk.budget--;
        node.children.push(
          describe(walk, child.pid, child.id, child.restart, child.type, depth + 1, next),
        );
      }
      node.omittedChildren = listing.total - node.children.length;
    });
    level = next;
  }
  return trees;
}

/** The node of one process (its children empty); a supervisor to expand is added to `expand`. */
function describe(
  walk: Walk,
  pid: Pid | undefined,
  id: string | undefined,
  restart: Restart | undefined,
  declared: ChildType,
  depth: number,
  expand: Expansion[],
): Building {
  const leaf = { id, restart, children: [], omittedChildren: 0, depthTruncated: false };
  if (pid === undefined) return { pid, name: undefined, type: declared, ...leaf };
  const system = walk.system;
  const name = system.processSummary(pid)?.name;
  const settings = supervisorSettings(system, pid);
  if (settings === undefined) {
    if (declared === "worker") return { pid, name, type: declared, ...leaf };
    const why = system.isAlive(pid) ? "unrecognized" : "exited";
    return { pid, name, type: declared, ...leaf, childrenUnavailable: why };
  }
  const node: Building = {
    pid,
    name,
    type: "supervisor",
    id,
    restart,
    kind: settings.kind,
    strategy: settings.strategy,
    restartIntensity: { intensity: settings.intensity, period: settings.period },
    children: [],
    omittedChildren: 0,
    depthTruncated: depth >= walk.maxDepth,
  };
  if (!node.depthTruncated) expand.push({ node, pid, depth });
  return node;
}
