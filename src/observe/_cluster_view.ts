/**
 * The overview's `cluster` (internal): the nodes of a clustered system as
 * its link sees them, as plain, JSON-safe rows, with what each node's
 * `Sharding`s publish on its heartbeats (`sharding.<name>` meta) summed.
 * A system without a cluster costs one WeakMap lookup and gets `undefined`.
 *
 * @module
 */

import { shardingMeta } from "../cluster/_cluster_events.ts";
import { type ClusterLink, maybeClusterOf, type NodeInfo } from "../cluster/cluster_link.ts";
import { capString } from "./_sanitize.ts";
import type { ClusterNodeView, ClusterView } from "./view_types.ts";

/** The most nodes listed: a bound on the overview's size. */
const MAX_NODES = 1024;

/** A JSON-safe count: a finite number, else 0. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** A name, bounded; anything else as its string. */
function nameOf(value: unknown): string {
  return capString(typeof value === "string" ? value : String(value));
}

/** One row of a node's info; `undefined` when reading it throws. */
function nodeView(info: NodeInfo): ClusterNodeView | undefined {
  try {
    let shards = 0;
    let entities = 0;
    let handoffs = 0;
    const meta = info.meta;
    if (typeof meta === "object" && meta !== null) {
      for (const sharding of shardingMeta(meta)) {
        shards += sharding.shards;
        entities += sharding.entities;
        handoffs += sharding.handoffs;
      }
    }
    return {
      node: nameOf(info.node),
      self: info.self === true,
      processes: count(info.processes),
      upSince: count(info.upSince),
      incarnation: count(info.incarnation),
      shards,
      entities,
      handoffs,
    };
  } catch {
    return undefined;
  }
}

/** The view of `link`'s cluster; nodes sorted by name, this one included. */
export function clusterView(link: ClusterLink): ClusterView {
  let infos: NodeInfo[] = [];
  try {
    const listed = link.info();
    if (Array.isArray(listed)) infos = listed.slice(0, MAX_NODES);
  } catch {
    // A listing that throws shows no nodes; the rest of the overview stands.
  }
  const nodes: ClusterNodeView[] = [];
  for (const info of infos) {
    const row = typeof info === "object" && info !== null ? nodeView(info) : undefined;
    if (row !== undefined) nodes.push(row);
  }
  nodes.sort((a, b) => a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
  return { name: nameOf(link.name), node: nameOf(link.node), nodes };
}

/** No `cluster` field: what a system without a cluster adds to the overview. */
const NO_CLUSTER: Readonly<{ cluster?: ClusterView }> = Object.freeze({});

/**
 * The overview's `cluster` field of `system`, to spread into it: none
 * without a cluster (the key is absent, not `undefined`).
 */
export function clusterField(system: object): { readonly cluster?: ClusterView } {
  const link = maybeClusterOf(system);
  if (link === undefined) return NO_CLUSTER;
  try {
    return { cluster: clusterView(link) };
  } catch {
    return NO_CLUSTER;
  }
}
