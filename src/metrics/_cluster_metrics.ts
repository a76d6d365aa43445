/**
 * The default metrics of a node's cluster (internal, part of
 * `beamletMetrics`): the nodes up, membership changes, the traffic between
 * nodes, and each `Sharding`'s shards and hand-offs on this node. A system
 * without a cluster executes none of their events, so it exposes none of
 * them.
 *
 * @module
 */

import {
  CLUSTER_NODES,
  CLUSTER_SHARDS,
  CLUSTER_TRAFFIC,
} from "../telemetry/catalog/cluster_events.ts";
import { SHARDING_HANDOFF } from "../telemetry/catalog/sharding_events.ts";
import type { Measurements, Metadata } from "../telemetry/types.ts";
import { counter, lastValue, sum } from "./definitions.ts";
import type { MetricDefinition } from "./types.ts";

/**
 * The increase of a running total since the previous event of the same
 * `direction` (the whole total on the first, and after a reset): summing it
 * gives the total again, as a Prometheus counter. One state per definition,
 * and a definition serves one `Metrics`.
 */
function increase(measurement: string): (m: Measurements, meta: Metadata) => number {
  const last = new Map<unknown, number>();
  return (m, meta) => {
    const total = m[measurement];
    if (typeof total !== "number" || !Number.isFinite(total)) return NaN;
    const previous = last.get(meta.direction) ?? 0;
    last.set(meta.direction, total);
    return total >= previous ? total - previous : total;
  };
}

/** The `type` and `reason` tags of a membership change (`reason` `"none"` on a nodeup). */
function byTypeAndReason(meta: Metadata): Record<string, unknown> {
  const type = meta.type === "nodeup" || meta.type === "nodedown" ? meta.type : "unknown";
  const reason = typeof meta.reason === "string" && meta.reason !== "" ? meta.reason : "none";
  return { type, reason };
}

/**
 * `beamlet_cluster_nodes` (gauge, nodes up this one included, at each
 * change), `beamlet_cluster_node_events_total{type,reason}`,
 * `beamlet_cluster_messages_total{direction}`,
 * `beamlet_cluster_bytes_total{direction}`,
 * `beamlet_cluster_refused_total{direction}`, `beamlet_sharding_handoffs_total{name}`
 * and `beamlet_sharding_shards{name}` (gauge, this node's shards).
 */
export function clusterMetrics(): MetricDefinition[] {
  const traffic = {
    event: CLUSTER_TRAFFIC,
    tags: ["direction"],
    reporterOptions: { prometheusType: "counter" as const },
  };
  return [
    lastValue("beamlet.cluster.nodes", {
      event: CLUSTER_NODES,
      measurement: "nodes",
      description: "Nodes of the cluster up, this one included, as of the last membership change",
    }),
    counter("beamlet.cluster.node_events", {
      event: CLUSTER_NODES,
      description:
        "Nodes that joined (nodeup) or left (nodedown, by reason: shutdown or noconnection)",
      tags: ["type", "reason"],
      tagValues: byTypeAndReason,
    }),
    sum("beamlet.cluster.messages", {
      ...traffic,
      measurement: increase("messages"),
      description: "Messages sent to or received from other nodes, by direction",
    }),
    sum("beamlet.cluster.bytes", {
      ...traffic,
      measurement: increase("bytes"),
      unit: "byte",
      description: "Encoded bytes sent to or received from other nodes, by direction",
    }),
    sum("beamlet.cluster.refused", {
      ...traffic,
      measurement: increase("refused"),
      // Tagged, so that no series shows before the first event (an untagged sum starts at 0);
      // only "sent" counts any (0 on "received").
      description:
        "Casts and sends to other nodes refused before they left (too large, node not up)",
    }),
    counter("beamlet.sharding.handoffs", {
      event: SHARDING_HANDOFF,
      description: "Shard hand-offs completed, by Sharding name",
      tags: ["name"],
    }),
    lastValue("beamlet.sharding.shards", {
      event: CLUSTER_SHARDS,
      measurement: "shards",
      description: "Shards this node owns, by Sharding name",
      tags: ["name"],
    }),
  ];
}
