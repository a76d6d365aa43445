/**
 * The options of {@linkcode GlobalRegistry}, and what a name conflict
 * looks like.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";

/**
 * Decides a name conflict (Erlang's `:global` resolve function): two
 * processes hold `name` after a partition healed — `holder` in the
 * key-value bucket (it registered first), `challenger` on this node. Return
 * the one that keeps the name (the other exits with a
 * {@linkcode NameConflictReason}), or `undefined` for both to exit and the
 * name to be freed. A resolver that throws counts as returning `holder`.
 *
 * @example The oldest process wins (the smallest serial; ties go to the holder)
 * ```ts
 * import type { NameResolver } from "@beamlet/beamlet/cluster";
 *
 * const oldest: NameResolver = (_name, holder, challenger) =>
 *   challenger.serial < holder.serial ? challenger : holder;
 * ```
 */
export type NameResolver = (name: string, holder: Pid, challenger: Pid) => Pid | undefined;

/**
 * The exit reason of a process that lost its name in a conflict: `holder`
 * is the process that kept it (`undefined` when the resolver freed it).
 *
 * @example
 * ```ts
 * import type { NameConflictReason } from "@beamlet/beamlet/cluster";
 *
 * function isConflict(reason: unknown): reason is NameConflictReason {
 *   return typeof reason === "object" && reason !== null &&
 *     (reason as { reason?: unknown }).reason === "name_conflict";
 * }
 * console.log(isConflict({ reason: "name_conflict", name: "cart:7", holder: undefined })); // true
 * ```
 */
export interface NameConflictReason {
  /** `"name_conflict"`. */
  readonly reason: "name_conflict";
  /** The name. */
  readonly name: string;
  /** Who kept it, if anyone. */
  readonly holder: Pid | undefined;
}

/**
 * How to open the global registry of a clustered system.
 *
 * @example A bucket replicated on a 3-server NATS cluster, the oldest process winning conflicts
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { GlobalRegistry, type GlobalRegistryOptions } from "@beamlet/beamlet/cluster";
 *
 * const options: GlobalRegistryOptions = {
 *   replicas: 3,
 *   resolve: (_name, holder, challenger) => challenger.serial < holder.serial ? challenger : holder,
 * };
 * const system = new System({ node: "a", cluster: { name: "shop", servers: "127.0.0.1:4222" } });
 * try {
 *   await system.ready;
 *   const names = new GlobalRegistry(system, options);
 *   await names.ready;
 *   names.close();
 * } catch (error) {
 *   console.log((error as Error).name); // "ClusterConnectError" when no NATS server runs
 * }
 * await system.shutdown();
 * ```
 */
export interface GlobalRegistryOptions {
  /**
   * The JetStream key-value bucket: 1 to 64 characters `A-Z a-z 0-9 _ -`;
   * default `beamlet_<cluster>_names` (the cluster's name with any other
   * character made `_`). Every node of the cluster must use the same one.
   */
  readonly bucket?: string;
  /** Replicas of the bucket, when this node creates it: 1 (default), 3 or 5. */
  readonly replicas?: number;
  /** Decides name conflicts; default: the holder in the bucket keeps the name. */
  readonly resolve?: NameResolver;
  /**
   * How long a name of a node that is not up (or of an earlier run of a
   * node) may stay in the bucket before this node removes it, in ms:
   * default the cluster's `downAfterMs` (1500 when unknown). Within that
   * time a node that just came up has been heard.
   */
  readonly staleAfterMs?: number;
}
