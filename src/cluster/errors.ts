/**
 * Named errors of a node's membership in a cluster: no NATS server to join
 * through, a node name already taken, a system that is not clustered.
 *
 * @module
 */

/**
 * A node could not join its cluster: no NATS server of `servers` answered
 * within `connectTimeoutMs` (or the connection given was closed).
 * `system.ready` rejects with it; the system keeps running on its own, and
 * every message to a pid of another node fails with `NoConnectionError`.
 *
 * @example
 * ```ts
 * import { ClusterConnectError } from "@beamlet/beamlet/cluster";
 *
 * const error = new ClusterConnectError("shop", "127.0.0.1:4222", "CONNECTION_REFUSED");
 * console.log(error.code, error.message);
 * // "cluster_connect" "cannot join cluster shop through 127.0.0.1:4222: CONNECTION_REFUSED"
 * ```
 */
export class ClusterConnectError extends Error {
  /** `"cluster_connect"`. */
  readonly code = "cluster_connect";
  /** The cluster's name. */
  readonly cluster: string;
  /** The servers tried. */
  readonly servers: string;

  /** Built when a node cannot reach any NATS server of its cluster. */
  constructor(cluster: string, servers: string, why: string, options?: ErrorOptions) {
    super(`cannot join cluster ${cluster} through ${servers}: ${why}`, options);
    this.name = "ClusterConnectError";
    this.cluster = cluster;
    this.servers = servers;
  }
}

/**
 * Another live node of the cluster already has this node's name: two nodes
 * of one name would receive each other's messages. `system.ready` rejects
 * with it and the system does not join.
 *
 * @example
 * ```ts
 * import { NodeNameTakenError } from "@beamlet/beamlet/cluster";
 *
 * console.log(new NodeNameTakenError("shop", "a").message); // "node a is already up in cluster shop"
 * ```
 */
export class NodeNameTakenError extends Error {
  /** `"node_name_taken"`. */
  readonly code = "node_name_taken";
  /** The node name asked for. */
  readonly node: string;

  /** Built when a node joins under a name another live node holds. */
  constructor(cluster: string, node: string) {
    super(`node ${node} is already up in cluster ${cluster}`);
    this.name = "NodeNameTakenError";
    this.node = node;
  }
}

/**
 * A cluster service (a global registry, process groups, sharding, node
 * monitors) was asked of a system made without `cluster`.
 *
 * @example
 * ```ts
 * import { NotClusteredError } from "@beamlet/beamlet/cluster";
 *
 * console.log(new NotClusteredError("GlobalRegistry").message);
 * // "GlobalRegistry: this system is not part of a cluster (new System({ cluster }))"
 * ```
 */
export class NotClusteredError extends Error {
  /** `"not_clustered"`. */
  readonly code = "not_clustered";

  /** Built when a cluster service is asked of a system without a cluster. */
  constructor(what: string) {
    super(`${what}: this system is not part of a cluster (new System({ cluster }))`);
    this.name = "NotClusteredError";
  }
}
