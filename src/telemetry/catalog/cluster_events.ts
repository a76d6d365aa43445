/**
 * The events of a node's membership in its cluster (`new System({ cluster })`):
 * nodes joining and leaving, the traffic between nodes, and the shards this
 * node holds for each `Sharding`. A system without a cluster executes none
 * of them; nobody listening costs one boolean check.
 *
 * @module
 */

import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.cluster.node_up`, `beamlet.cluster.node_down`
 * and `beamlet.cluster.nodes`.
 *
 * @example
 * ```ts
 * import type { ClusterNodesMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: ClusterNodesMeasurements = { nodes: 3 };
 * ```
 */
export type ClusterNodesMeasurements = {
  /** The nodes up after the change, this node included. */
  readonly nodes: number;
};

/**
 * Metadata of `beamlet.cluster.node_up`.
 *
 * @example
 * ```ts
 * import type { ClusterNodeUpMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: ClusterNodeUpMetadata = { node: "b", incarnation: 7 };
 * ```
 */
export type ClusterNodeUpMetadata = {
  /** The node that joined. */
  readonly node: string;
  /** Which run of that node. */
  readonly incarnation: number;
};

/**
 * Metadata of `beamlet.cluster.node_down`.
 *
 * @example
 * ```ts
 * import type { ClusterNodeDownMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: ClusterNodeDownMetadata = { node: "b", reason: "noconnection", incarnation: 7 };
 * ```
 */
export type ClusterNodeDownMetadata = {
  /** The node that left or was lost. */
  readonly node: string;
  /** `"shutdown"` (it left cleanly) or `"noconnection"` (no heartbeat for `downAfterMs`). */
  readonly reason: string;
  /** Which run of that node. */
  readonly incarnation: number;
};

/**
 * Metadata of `beamlet.cluster.nodes`: either change of membership.
 *
 * @example
 * ```ts
 * import type { ClusterNodesMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: ClusterNodesMetadata = { type: "nodeup", node: "b", reason: "", incarnation: 7 };
 * ```
 */
export type ClusterNodesMetadata = {
  /** `"nodeup"` or `"nodedown"`. */
  readonly type: string;
  /** The node that joined, left or was lost. */
  readonly node: string;
  /** How a node left (`"shutdown"`, `"noconnection"`); `""` on `"nodeup"`. */
  readonly reason: string;
  /** Which run of that node. */
  readonly incarnation: number;
};

/**
 * `beamlet.cluster.node_up`: another node of the cluster was heard for the
 * first time (or again, after it was down).
 *
 * @example Logging the nodes that join
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { CLUSTER_NODE_UP } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("joins", CLUSTER_NODE_UP, (_e, m, meta) => {
 *   console.log(`${meta.node} joined: ${m.nodes} nodes up`);
 * });
 * await system.shutdown();
 * ```
 */
export const CLUSTER_NODE_UP: EventDefinition<ClusterNodesMeasurements, ClusterNodeUpMetadata> =
  defineEvent(["beamlet", "cluster", "node_up"], {
    description: "Another node of the cluster joined (its first heartbeat was heard).",
    measurements: { nodes: "count" },
    metadata: { node: "the node's name", incarnation: "which run of the node" },
  });

/**
 * `beamlet.cluster.node_down`: another node of the cluster left cleanly
 * (`"shutdown"`) or was lost (`"noconnection"`: no heartbeat for
 * `downAfterMs`).
 *
 * @example Logging the nodes lost
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { CLUSTER_NODE_DOWN } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("losses", CLUSTER_NODE_DOWN, (_e, m, meta) => {
 *   if (meta.reason === "noconnection") console.log(`lost ${meta.node}: ${m.nodes} nodes up`);
 * });
 * await system.shutdown();
 * ```
 */
export const CLUSTER_NODE_DOWN: EventDefinition<
  ClusterNodesMeasurements,
  ClusterNodeDownMetadata
> = defineEvent(["beamlet", "cluster", "node_down"], {
  description: "Another node of the cluster left cleanly (shutdown) or was lost (noconnection).",
  measurements: { nodes: "count" },
  metadata: {
    node: "the node's name",
    reason: '"shutdown" or "noconnection"',
    incarnation: "which run of the node",
  },
});

/**
 * `beamlet.cluster.nodes`: executed with every `beamlet.cluster.node_up`
 * and `beamlet.cluster.node_down`, the two in one event (what a metric
 * counting membership changes by `type` and `reason`, or keeping the
 * number of nodes up, listens to).
 *
 * @example Counting membership changes
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { CLUSTER_NODES } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * const changes: string[] = [];
 * system.telemetry.attach("membership", CLUSTER_NODES, (_e, _m, meta) => {
 *   changes.push(`${meta.type} ${meta.node}`);
 * });
 * await system.shutdown();
 * ```
 */
export const CLUSTER_NODES: EventDefinition<ClusterNodesMeasurements, ClusterNodesMetadata> =
  defineEvent(["beamlet", "cluster", "nodes"], {
    description: "The membership changed: a node joined, left or was lost (either, in one event).",
    measurements: { nodes: "count" },
    metadata: {
      type: '"nodeup" or "nodedown"',
      node: "the node's name",
      reason: '"shutdown" or "noconnection" on "nodedown", "" on "nodeup"',
      incarnation: "which run of the node",
    },
  });

/**
 * Measurements of `beamlet.cluster.traffic`: counters since this node
 * joined, in one direction.
 *
 * @example
 * ```ts
 * import type { ClusterTrafficMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: ClusterTrafficMeasurements = { messages: 120, bytes: 9000, batches: 40, refused: 0 };
 * ```
 */
export type ClusterTrafficMeasurements = {
  /** Messages to (`"sent"`) or from (`"received"`) other nodes. */
  readonly messages: number;
  /** Their encoded bytes. */
  readonly bytes: number;
  /** NATS messages (batches) they were published or received in. */
  readonly batches: number;
  /** Casts and sends refused before they left (too large, node not up); 0 on `"received"`. */
  readonly refused: number;
};

/**
 * Metadata of `beamlet.cluster.traffic`.
 *
 * @example
 * ```ts
 * import type { ClusterTrafficMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: ClusterTrafficMetadata = { direction: "sent" };
 * ```
 */
export type ClusterTrafficMetadata = {
  /** `"sent"` or `"received"`. */
  readonly direction: string;
};

/**
 * `beamlet.cluster.traffic`: the messages and bytes this node sent to and
 * received from the other nodes since it joined — two events a round, one
 * per `direction` — executed periodically while anyone listens (like
 * `beamlet.scheduler.load`). The measurements are running totals: the
 * increase between two events is the traffic in between.
 *
 * @example Logging the bytes sent
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { CLUSTER_TRAFFIC } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("traffic", CLUSTER_TRAFFIC, (_e, m, meta) => {
 *   if (meta.direction === "sent") console.log(`${m.bytes} bytes in ${m.messages} messages`);
 * });
 * await system.shutdown();
 * ```
 */
export const CLUSTER_TRAFFIC: EventDefinition<
  ClusterTrafficMeasurements,
  ClusterTrafficMetadata
> = defineEvent(["beamlet", "cluster", "traffic"], {
  description:
    "Messages and bytes sent to or received from other nodes since this node joined (running totals, one event per direction).",
  measurements: { messages: "count", bytes: "count", batches: "count", refused: "count" },
  metadata: { direction: '"sent" or "received"' },
});

/**
 * Measurements of `beamlet.cluster.shards`: what one `Sharding` publishes
 * of this node on its heartbeats.
 *
 * @example
 * ```ts
 * import type { ClusterShardsMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: ClusterShardsMeasurements = { shards: 22, entities: 140, handoffs: 0 };
 * ```
 */
export type ClusterShardsMeasurements = {
  /** The shards this node owns. */
  readonly shards: number;
  /** The entities running on this node. */
  readonly entities: number;
  /** Hand-offs in flight. */
  readonly handoffs: number;
};

/**
 * Metadata of `beamlet.cluster.shards`.
 *
 * @example
 * ```ts
 * import type { ClusterShardsMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: ClusterShardsMetadata = { name: "carts" };
 * ```
 */
export type ClusterShardsMetadata = {
  /** The `Sharding`'s name. */
  readonly name: string;
};

/**
 * `beamlet.cluster.shards`: one per `Sharding` this node takes part in,
 * from what it publishes on this node's heartbeats (the `sharding.<name>`
 * meta), executed at most once a second at the end of a scheduler slice
 * while anyone listens (like `beamlet.scheduler.load`).
 *
 * @example Logging this node's shards
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { CLUSTER_SHARDS } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("shards", CLUSTER_SHARDS, (_e, m, meta) => {
 *   console.log(`${meta.name}: ${m.shards} shards, ${m.entities} entities`);
 * });
 * await system.shutdown();
 * ```
 */
export const CLUSTER_SHARDS: EventDefinition<ClusterShardsMeasurements, ClusterShardsMetadata> =
  defineEvent(["beamlet", "cluster", "shards"], {
    description:
      "The shards, entities and hand-offs in flight of one Sharding on this node, at most once a second.",
    measurements: { shards: "count", entities: "count", handoffs: "count" },
    metadata: { name: "the Sharding's name" },
  });
