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
import { childrenWithin, type Listing } from "./_children.ts";
import { NotSupervisorError } from "./errors.ts";
import type { SupervisionNode, SupervisionTreeOptions } from "./supervision_node.ts";

interface Walk {
  readonly system: System;
  readonly maxDepth: number;
  readonly maxChildren: number;
  readonly timeout: number;
  readonly listings: Map<Pid, Promise<Listing>>;
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
 * {@linkcode supervisorSettings}); their children are read with
 * `Supervisor.whichChildren`, one call per supervisor walked (every live
 * supervisor, for the forest), concurrently, each within `timeout` ms of the
 * system's clock. The walk is bounded by `maxDepth` and `maxChildren`, and
 * every cut is flagged on its node (see {@linkcode SupervisionNode}). The
 * tree is not an atomic snapshot: children may restart while it is walked.
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
 * import { ok, supervisionTree, Supervisor, System } from "@beamlet/beamlet";
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
  if (root === undefined) return await forest(walk);
  const target = root instanceof PartitionSupervisor ? root.pid : root;
  const pid = system.processInfo(target)?.pid; // resolves names and { via, key }; TypeError otherwise
  if (pid === undefined) throw new NoProcError(String(target));
  if (supervisorSettings(system, pid) === undefined) throw new NotSupervisorError(String(target));
  return await nodeOf(walk, pid, undefined, undefined, "supervisor", 0);
}

function walkOf(system: System, options: SupervisionTreeOptions): Walk {
  const where = "supervisionTree";
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object`);
  }
  return {
    system,
    maxDepth: checkCount(where, "maxDepth", options.maxDepth ?? 32, true),
    maxChildren: checkCount(where, "maxChildren", options.maxChildren ?? 100, true),
    timeout: checkMs(where, "timeout", options.timeout ?? 5000, true),
    listings: new Map(),
  };
}

function listingOf(walk: Walk, pid: Pid): Promise<Listing> {
  let listing = walk.listings.get(pid);
  if (listing === undefined) {
    listing = childrenWithin(walk.system, pid, walk.timeout);
    walk.listings.set(pid, listing);
  }
  return listing;
}

/** Every live supervisor that is not a child of another (asking all of them for their children). */
async function forest(walk: Walk): Promise<SupervisionNode[]> {
  const supervisors = walk.system.processes().filter((pid) =>
    supervisorSettings(walk.system, pid) !== undefined
  );
  const listings = await Promise.all(supervisors.map((pid) => listingOf(walk, pid)));
  const children = new Set<Pid>();
  for (const listing of listings) {
    if (typeof listing === "string") continue;
    for (const child of listing) if (child.pid !== undefined) children.add(child.pid);
  }
  const roots = supervisors.filter((pid) => !children.has(pid));
  return await Promise.all(
    roots.map((pid) => nodeOf(walk, pid, undefined, undefined, "supervisor", 0)),
  );
}

async function nodeOf(
  walk: Walk,
  pid: Pid | undefined,
  id: string | undefined,
  restart: Restart | undefined,
  declared: ChildType,
  depth: number,
): Promise<SupervisionNode> {
  const leaf = { id, restart, children: [], omittedChildren: 0, depthTruncated: false };
  if (pid === undefined) return { pid, name: undefined, type: declared, ...leaf };
  const system = walk.system;
  const name = system.processInfo(pid)?.name;
  const settings = supervisorSettings(system, pid);
  if (settings === undefined) {
    if (declared === "worker") return { pid, name, type: declared, ...leaf };
    const why = system.isAlive(pid) ? "unrecognized" : "exited";
    return { pid, name, type: declared, ...leaf, childrenUnavailable: why };
  }
  const supervisor = {
    pid,
    name,
    type: "supervisor" as const,
    id,
    restart,
    kind: settings.kind,
    strategy: settings.strategy,
    restartIntensity: { intensity: settings.intensity, period: settings.period },
  };
  const none = { children: [], omittedChildren: 0 };
  if (depth >= walk.maxDepth) return { ...supervisor, ...none, depthTruncated: true };
  const listing = await listingOf(walk, pid);
  if (typeof listing === "string") {
    return { ...supervisor, ...none, depthTruncated: false, childrenUnavailable: listing };
  }
  const shown = listing.slice(0, walk.maxChildren);
  const children = await Promise.all(
    shown.map((child) => nodeOf(walk, child.pid, child.id, child.restart, child.type, depth + 1)),
  );
  return {
    ...supervisor,
    children,
    omittedChildren: listing.length - shown.length,
    depthTruncated: false,
  };
}
