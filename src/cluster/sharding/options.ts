/**
 * The options and the reports of a {@linkcode Sharding}.
 *
 * @module
 */

import type { GenServer } from "../../gen_server.ts";
import type { Pid } from "../../pid.ts";

/**
 * A sharded entity's key: a string or a number. Its string form is its
 * identity (`7` and `"7"` are the same entity) and fixes its shard.
 *
 * @example
 * ```ts
 * import type { ShardKey } from "@beamlet/beamlet/cluster";
 *
 * const keys: ShardKey[] = ["cart:7", 42];
 * ```
 */
export type ShardKey = string | number;

/**
 * What a sharded entity's `init` receives: its key, and what its former
 * owner's `handoff.begin` returned when it was handed over from another node
 * (`undefined` for a fresh entity: first start, restart after passivation or
 * after its node was lost).
 *
 * @example Resuming from a hand-off
 * ```ts
 * import { ok } from "@beamlet/beamlet";
 * import type { EntityInit } from "@beamlet/beamlet/cluster";
 *
 * type Cart = { key: string | number; items: string[] };
 * const init = ({ key, handoff }: EntityInit) => ok((handoff as Cart | undefined) ?? { key, items: [] });
 * ```
 */
export interface EntityInit {
  /** The entity's key, as the call that started it gave it. */
  readonly key: ShardKey;
  /** What the former owner handed over, or `undefined`. */
  readonly handoff: unknown;
}

/**
 * How a {@linkcode Sharding} is started: the same on every node.
 *
 * Type parameters: `S` an entity's state, `Req` call requests, `Rep`
 * replies, `C` casts.
 *
 * @example A shopping cart per key
 * ```ts
 * import { noreply, ok, reply } from "@beamlet/beamlet";
 * import type { EntityInit, ShardingOptions } from "@beamlet/beamlet/cluster";
 *
 * type Cart = { items: string[] };
 * const options: ShardingOptions<Cart, "list", string[], { add: string }> = {
 *   name: "carts",
 *   entity: {
 *     init: ({ handoff }: EntityInit) => ok((handoff as Cart | undefined) ?? { items: [] }),
 *     handleCall: (_request, _from, cart) => reply(cart.items, cart),
 *     handleCast: ({ add }, cart) => noreply({ items: [...cart.items, add] }),
 *   },
 *   shards: 128,
 *   passivateAfterMs: 60_000,
 * };
 * ```
 */
export interface ShardingOptions<S = unknown, Req = unknown, Rep = unknown, C = unknown> {
  /** The sharding's name, the same on every node: letters, digits, `_` and `-`. */
  readonly name: string;
  /** The GenServer every entity runs; `init` gets an {@linkcode EntityInit}. */
  readonly entity: GenServer<S, EntityInit, Req, Rep, C>;
  /** How many shards keys are spread over: an integer in 1..4096, 64 by default. */
  readonly shards?: number;
  /** What a moving entity hands over (its state by default; it must be encodable). */
  readonly handoff?: {
    /** Runs inside the entity, after the messages it had: returns what its next owner's `init` gets. */
    readonly begin?: (state: S, key: ShardKey) => unknown;
  };
  /**
   * How long a node that takes over shards from a node still up holds their
   * requests while it waits for the hand-off (ms, 5000 by default); after
   * that it starts the entities fresh.
   */
  readonly handoffTimeoutMs?: number;
  /** Stop entities idle this long (ms); the next request starts them again. `Infinity` (never) by default. */
  readonly passivateAfterMs?: number;
  /** The timeout of `call` unless it says otherwise (ms, 5000 by default). */
  readonly callTimeoutMs?: number;
}

/**
 * Options of {@linkcode Sharding.call} and {@linkcode Sharding.cast}.
 *
 * @example
 * ```ts
 * import type { ShardingCallOptions } from "@beamlet/beamlet/cluster";
 *
 * const options: ShardingCallOptions = { timeout: 2000 };
 * ```
 */
export interface ShardingCallOptions {
  /** ms before the request fails (the sharding's `callTimeoutMs` by default). */
  readonly timeout?: number;
}

/**
 * One entity running on this node.
 *
 * @example
 * ```ts
 * import type { LocalEntity } from "@beamlet/beamlet/cluster";
 *
 * const label = (entity: LocalEntity) => `${entity.key} at ${entity.pid}`;
 * ```
 */
export interface LocalEntity {
  /** Its key. */
  readonly key: ShardKey;
  /** Its process. */
  readonly pid: Pid;
}

/**
 * What {@linkcode Sharding.stats} tells of this node's region.
 *
 * @example
 * ```ts
 * import type { ShardingStats } from "@beamlet/beamlet/cluster";
 *
 * const busy = (stats: ShardingStats) => stats.handoffsInFlight > 0 || stats.held > 0;
 * ```
 */
export interface ShardingStats {
  /** Shards this node owns. */
  readonly shards: number;
  /** Entities running on this node. */
  readonly entities: number;
  /** Shards being handed off from this node now. */
  readonly handoffsInFlight: number;
  /** Hand-offs from this node completed so far. */
  readonly handoffs: number;
  /** Entities started by a request (not by a hand-off). */
  readonly startedOnDemand: number;
  /** Entities stopped for being idle. */
  readonly passivated: number;
  /** Requests held now for a shard in hand-off. */
  readonly held: number;
}
