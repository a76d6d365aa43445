/**
 * Partitioning: `PartitionSupervisor` (one child per partition, each key
 * routed to one of them), the keyed SipHash that routes keys so that whoever
 * chooses keys cannot aim them all at one partition, and a consistent
 * `HashRing` for a changing set of members. The root entry re-exports
 * `PartitionSupervisor` and its option types.
 *
 * @example Sessions sharded by customer, and a ring of nodes
 * ```ts
 * import { noreply, ok, System } from "@beamlet/beamlet";
 * import { HashRing, KeyedHash, PartitionSupervisor } from "@beamlet/beamlet/partition";
 *
 * const system = new System();
 * const secret = crypto.getRandomValues(new Uint8Array(16)); // shared by whoever must route alike
 * const sessions = await PartitionSupervisor.start(system, {
 *   child: {
 *     server: {
 *       init: () => ok(new Set<string>()),
 *       handleCast: (customer: string, seen: Set<string>) => noreply(seen.add(customer)),
 *     },
 *   },
 *   partitions: 4,
 *   secret,
 * });
 * sessions.cast("customer:1042", "customer:1042"); // always the same partition
 *
 * const ring = new HashRing({ hash: new KeyedHash(secret) });
 * ring.add("node-a");
 * ring.add("node-b");
 * console.log(["node-a", "node-b"].includes(ring.route("customer:1042"))); // true
 * await sessions.stop();
 * ```
 *
 * @module
 */

export {
  type PartitionChild,
  PartitionSupervisor,
  type PartitionSupervisorOptions,
} from "./src/supervisor/partition_supervisor.ts";
export { type HashKey, KeyedHash, MAX_PARTITION_COUNT } from "./src/partition/siphash.ts";
export { HashRing, type HashRingOptions } from "./src/partition/hash_ring.ts";
export {
  DuplicateMemberError,
  EmptyRingError,
  UnknownMemberError,
} from "./src/partition/errors.ts";
