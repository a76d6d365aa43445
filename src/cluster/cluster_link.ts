/**
 * What the cluster services (the global registry, process groups, sharding)
 * and the dashboard need of a node's membership in its cluster: the
 * {@linkcode ClusterLink} a clustered `System` carries, found with
 * {@linkcode clusterOf}.
 *
 * @module
 */

import type { NatsConnection } from "@nats-io/nats-core";

/**
 * How a node left the cluster, as its peers saw it:
 * - `"shutdown"`: it left cleanly (`system.stopAll()`, `system.shutdown()`) and said so;
 * - `"noconnection"`: it stopped answering (killed, its host or network gone):
 *   no heartbeat for `downAfterMs`.
 *
 * @example
 * ```ts
 * import type { NodeDownReason } from "@beamlet/beamlet/cluster";
 *
 * const crashed = (reason: NodeDownReason) => reason === "noconnection";
 * console.log(crashed("shutdown")); // false
 * ```
 */
export type NodeDownReason = "shutdown" | "noconnection";

/**
 * A node joined or left the cluster.
 *
 * @example
 * ```ts
 * import type { NodeEvent } from "@beamlet/beamlet/cluster";
 *
 * const event: NodeEvent = { type: "nodedown", node: "b", reason: "noconnection", incarnation: 1 };
 * console.log(event.type, event.node); // "nodedown" "b"
 * ```
 */
export interface NodeEvent {
  /** `"nodeup"`: first heartbeat heard; `"nodedown"`: it left or was lost. */
  readonly type: "nodeup" | "nodedown";
  /** The node's name. */
  readonly node: string;
  /** Only on `"nodedown"`: how it left. */
  readonly reason?: NodeDownReason;
  /** Which run of the node (a node restarted under the same name is a new incarnation). */
  readonly incarnation: number;
}

/**
 * A node of the cluster as this node sees it.
 *
 * @example
 * ```ts
 * import type { NodeInfo } from "@beamlet/beamlet/cluster";
 *
 * const info: NodeInfo = { node: "a", self: true, processes: 3, upSince: 0, incarnation: 1, meta: {} };
 * console.log(info.processes); // 3
 * ```
 */
export interface NodeInfo {
  /** The node's name. */
  readonly node: string;
  /** This node itself. */
  readonly self: boolean;
  /** Its live processes, as its last heartbeat said. */
  readonly processes: number;
  /** When this node first heard it (ms since the epoch). */
  readonly upSince: number;
  /** Which run of the node. */
  readonly incarnation: number;
  /** What its services published on its heartbeats ({@linkcode ClusterLink.setMeta}). */
  readonly meta: Readonly<Record<string, unknown>>;
}

/**
 * One node's place in its cluster: its NATS connection, its view of the
 * other nodes, and the codec messages between nodes are written with. The
 * services of `@beamlet/beamlet/cluster` are built on it.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { clusterOf } from "@beamlet/beamlet/cluster";
 *
 * const system = new System({ node: "a", cluster: { name: "shop", servers: "127.0.0.1:4222" } });
 * try {
 *   await system.ready;
 *   console.log(clusterOf(system).nodes());
 * } catch (error) {
 *   console.log((error as Error).name); // "ClusterConnectError" when no NATS server runs
 * }
 * await system.shutdown();
 * ```
 */
export interface ClusterLink {
  /** This node's name. */
  readonly node: string;
  /** The cluster's name. */
  readonly name: string;
  /** This run of this node (random, fixed at start). */
  readonly incarnation: number;
  /** The NATS connection. */
  readonly connection: NatsConnection;
  /** `beamlet.<cluster>.<parts...>`: a subject of this cluster. */
  subject(...parts: string[]): string;
  /** The other nodes that are up, sorted by name. */
  nodes(): string[];
  /** This node and the others that are up, sorted by name (what a hash ring is built over). */
  members(): string[];
  /** Whether `node` (this one or another) is up. */
  isUp(node: string): boolean;
  /** Every node that is up, this one included. */
  info(): NodeInfo[];
  /** Calls `listener` on every node event, until the returned function is called. */
  onNodeEvent(listener: (event: NodeEvent) => void): () => void;
  /** Encodes a value for another node (throws `UnencodableError`). */
  encode(value: unknown): Uint8Array;
  /** Decodes what {@linkcode ClusterLink.encode} wrote (throws `UndecodableError`). */
  decode(bytes: Uint8Array): unknown;
  /** Publishes `value` under `key` on this node's heartbeats (plain data; `undefined` removes it). */
  setMeta(key: string, value: unknown): void;
  /** Whether this node left its cluster (or never joined). */
  readonly closed: boolean;
  /** Calls `listener` once when this node leaves its cluster (shutdown). */
  onClose(listener: () => void): void;
}

const links = new WeakMap<object, ClusterLink>();

/** Records the cluster link of a system (internal: the System does it; tests may give a fake). */
export function setClusterOf(system: object, link: ClusterLink): void {
  links.set(system, link);
}

/** The cluster link of a system, if it has one. */
export function maybeClusterOf(system: object): ClusterLink | undefined {
  return links.get(system);
}
