/**
 * `clusterOf` and `nodes`: a clustered System's place in its cluster.
 *
 * @module
 */

import type { System } from "../system.ts";
import type { Context as ProcessContext } from "../context.ts";
import { type ClusterLink, maybeClusterOf } from "./cluster_link.ts";
import { NotClusteredError } from "./errors.ts";

/**
 * The {@linkcode ClusterLink} of a system made with `cluster`, once it has
 * connected (`await system.ready` first); `NotClusteredError` for a
 * system without one, or one that has not connected (yet).
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { clusterOf, NotClusteredError } from "@beamlet/beamlet/cluster";
 *
 * try {
 *   clusterOf(new System());
 * } catch (error) {
 *   console.log(error instanceof NotClusteredError); // true
 * }
 * ```
 */
export function clusterOf(system: System | ProcessContext): ClusterLink {
  const owner = systemOf(system);
  const link = owner === undefined ? undefined : maybeClusterOf(owner);
  if (link === undefined) throw new NotClusteredError("clusterOf");
  return link;
}

/**
 * The other nodes of the system's cluster that are up, sorted by name, as
 * Erlang's `Node.list()`: `[]` for a system without a cluster (or not yet
 * joined).
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { nodes } from "@beamlet/beamlet/cluster";
 *
 * console.log(nodes(new System())); // []
 * ```
 */
export function nodes(system: System | ProcessContext): string[] {
  const owner = systemOf(system);
  const link = owner === undefined ? undefined : maybeClusterOf(owner);
  return link === undefined || link.closed ? [] : link.nodes();
}

/** The System of a system or a process's context. */
export function systemOf(from: System | ProcessContext): System | undefined {
  if (typeof from !== "object" || from === null) return undefined;
  const system = (from as { system?: unknown }).system;
  return typeof system === "object" && system !== null ? system as System : from as System;
}
