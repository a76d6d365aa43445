/**
 * The events of cluster sharding (`Sharding` of `@beamlet/beamlet/cluster`):
 * one per shard handed off from a node to another.
 *
 * @module
 */

import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.sharding.handoff`.
 *
 * @example
 * ```ts
 * import type { ShardingHandoffMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: ShardingHandoffMeasurements = { duration: 12.5, entities: 16 };
 * ```
 */
export type ShardingHandoffMeasurements = {
  /** ms from the start of the hand-off (requests held) to the new owner's acknowledgement. */
  readonly duration: number;
  /** Entities handed over (their states travelled with the shard). */
  readonly entities: number;
};

/**
 * Metadata of `beamlet.sharding.handoff`.
 *
 * @example
 * ```ts
 * import type { ShardingHandoffMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: ShardingHandoffMetadata = { name: "carts", shard: 7, from: "a", to: "c" };
 * ```
 */
export type ShardingHandoffMetadata = {
  /** The sharding's name. */
  readonly name: string;
  /** The shard that moved. */
  readonly shard: number;
  /** The node it left (this node). */
  readonly from: string;
  /** The node it went to. */
  readonly to: string;
};

/**
 * `beamlet.sharding.handoff`: a shard's hand-off completed — its entities
 * were stopped here and their hand-off values acknowledged by the new
 * owner. Executed on the node the shard left.
 *
 * @example Logging slow hand-offs
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SHARDING_HANDOFF } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("handoffs", SHARDING_HANDOFF, (_e, m, meta) => {
 *   if (m.duration > 1000) console.log(`shard ${meta.shard} of ${meta.name} took ${m.duration} ms`);
 * });
 * await system.shutdown();
 * ```
 */
export const SHARDING_HANDOFF: EventDefinition<
  ShardingHandoffMeasurements,
  ShardingHandoffMetadata
> = defineEvent(["beamlet", "sharding", "handoff"], {
  description:
    "A shard's hand-off completed: its entities stopped here and the new owner acknowledged their states.",
  measurements: { duration: "millisecond", entities: "count" },
  metadata: {
    name: "the sharding's name",
    shard: "the shard that moved",
    from: "the node it left",
    to: "the node it went to",
  },
});
