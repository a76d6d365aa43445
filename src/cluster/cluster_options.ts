/**
 * The `cluster` option of a System: which cluster a node joins, through
 * which NATS servers, and how fast a lost node is noticed.
 *
 * @module
 */

/**
 * How a node joins its cluster (`new System({ node, cluster })`).
 *
 * A node heartbeats every `heartbeatMs`; a peer that heard nothing from it
 * for `downAfterMs` declares it down (`"noconnection"`): a killed node is
 * noticed between `downAfterMs` and `downAfterMs + heartbeatMs` after its
 * last heartbeat. A node that leaves cleanly says so and is down at once
 * (`"shutdown"`).
 *
 * @example
 * ```ts
 * import type { ClusterOptions } from "@beamlet/beamlet";
 *
 * const cluster: ClusterOptions = {
 *   name: "shop",
 *   servers: ["127.0.0.1:4222", "127.0.0.1:4223"],
 *   heartbeatMs: 250,
 *   downAfterMs: 1500,
 * };
 * console.log(cluster.name); // "shop"
 * ```
 */
export interface ClusterOptions {
  /**
   * The cluster's name: 1 to 64 of `A-Z a-z 0-9 _ -`. Nodes of other names
   * on the same NATS servers neither see nor reach each other.
   */
  readonly name: string;
  /** The NATS servers (`host:port` or `nats://host:port`), one or several; default `127.0.0.1:4222`. */
  readonly servers?: string | readonly string[];
  /**
   * An open `NatsConnection` (`@nats-io/nats-core`) to use instead of
   * connecting to `servers` (with `@nats-io/transport-node`, which runs on
   * Node, Deno and Bun); the system does not close it.
   */
  readonly connection?: object;
  /** Every how many ms this node says it is alive; default 250 (10..60000). */
  readonly heartbeatMs?: number;
  /** After how many ms without a heartbeat a node is down; default 1500 (> 2 × heartbeatMs). */
  readonly downAfterMs?: number;
  /** How long to try the servers at start before `ClusterConnectError`; default 2000 ms. */
  readonly connectTimeoutMs?: number;
}
