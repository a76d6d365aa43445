/**
 * Many machines: a System joins a cluster of nodes over NATS
 * (`new System({ node, cluster: { name, servers } })`). Pids of other nodes
 * work with every `call`, `cast`, `send`, `exit`, link and monitor; a start
 * may be placed on another node (`{ placement: { node } }`, for behaviours
 * made with `defineBehaviour`). This entry has the node membership
 * ({@linkcode clusterOf}, {@linkcode nodes}, node monitors) and the named
 * errors of joining. See `docs/cluster.md`.
 *
 * @example Two nodes, a call from one to a process of the other
 * ```ts
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import { defineBehaviour } from "@beamlet/beamlet/schedulers";
 * import { nodes } from "@beamlet/beamlet/cluster";
 *
 * const echo = defineBehaviour("docs.cluster.echo", {
 *   init: () => ok(null),
 *   handleCall: (request: string, _from, state: null) => reply(request, state),
 * });
 * const a = new System({ node: "a", cluster: { name: "docs", servers: "127.0.0.1:4222" } });
 * const b = new System({ node: "b", cluster: { name: "docs", servers: "127.0.0.1:4222" } });
 * try {
 *   await Promise.all([a.ready, b.ready]);
 *   console.log(nodes(a)); // ["b"]
 *   const pid = await a.start(echo, undefined, { placement: { node: "b" } });
 *   console.log(pid.node, await a.call(pid, "hi")); // "b" "hi"
 * } catch (error) {
 *   console.log((error as Error).name); // "ClusterConnectError" without a NATS server
 * }
 * await Promise.all([a.stopAll(), b.stopAll()]);
 * ```
 *
 * @module
 */

export type {
  ClusterLink,
  NodeDownReason,
  NodeEvent,
  NodeInfo,
} from "./src/cluster/cluster_link.ts";
export { clusterOf, nodes } from "./src/cluster/cluster_of.ts";
export {
  demonitorNode,
  monitorNode,
  monitorNodes,
  type NodeMessage,
} from "./src/cluster/node_monitor.ts";
export {
  ClusterConnectError,
  NodeNameTakenError,
  NotClusteredError,
} from "./src/cluster/errors.ts";
export { ProcessGroups, type ProcessGroupsDropped } from "./src/cluster/pg/process_groups.ts";
export type { GroupEvent, GroupListener, GroupMessage } from "./src/cluster/pg/events.ts";
export type { ProcessGroupsOptions } from "./src/cluster/pg/options.ts";
export { ProcessGroupsClosedError, ScopeInUseError } from "./src/cluster/pg/errors.ts";
export { Sharding } from "./src/cluster/sharding/sharding.ts";
export { ShardingNameTakenError, ShardingStoppedError } from "./src/cluster/sharding/errors.ts";
export type {
  EntityInit,
  LocalEntity,
  ShardingCallOptions,
  ShardingOptions,
  ShardingStats,
  ShardKey,
} from "./src/cluster/sharding/options.ts";
export { GlobalRegistry } from "./src/cluster/global/global_registry.ts";
export { GlobalRegistryClosedError, GlobalRegistryError } from "./src/cluster/global/errors.ts";
export type {
  GlobalRegistryOptions,
  NameConflictReason,
  NameResolver,
} from "./src/cluster/global/options.ts";
