/**
 * Cluster sharding: one entity per key — a cart, a session, a device
 * shadow — living on exactly one node of the cluster, found by its key from
 * any node, started on first use, and handed over with its state when the
 * membership changes (Akka's Cluster Sharding, Orleans' virtual actors,
 * Horde's distributed supervisor with hand-off).
 *
 * Keys fall into a fixed number of shards (a SipHash of the key's string
 * form, under a secret every node shares); shards are spread over the nodes
 * that are up by a consistent hash ring, so a node joining takes about
 * 1/N of the shards and a node leaving gives away only its own. Every node
 * computes the same assignment from the same membership.
 *
 * @module
 */

import type { System } from "../../system.ts";
import { maybeClusterOf } from "../cluster_link.ts";
import { NotClusteredError } from "../errors.ts";
import { ShardingNode } from "./_node.ts";
import { checkKey, durationOf, shardingSettings } from "./_options.ts";
import { ShardingNameTakenError, ShardingStoppedError } from "./errors.ts";
import type {
  LocalEntity,
  ShardingCallOptions,
  ShardingOptions,
  ShardingStats,
  ShardKey,
} from "./options.ts";

const running = new WeakMap<System, Set<string>>();

function timeoutOf(what: string, options: unknown, fallback: number): number {
  if (options === undefined) return fallback;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object { timeout? }`);
  }
  let timeout: unknown;
  try {
    timeout = (options as { timeout?: unknown }).timeout;
  } catch (error) {
    throw new TypeError(`${what}: options.timeout cannot be read`, { cause: error });
  }
  return durationOf(`${what}: options.timeout`, timeout, fallback, false);
}

/**
 * A sharding of entities over the nodes of a cluster: start it under the
 * same name, with the same entity, on every node; call or cast an entity by
 * its key from any node.
 *
 * - A request goes to the node that owns the key's shard (over NATS, or
 *   straight to the process when it is this node); the entity is started
 *   there on demand, with `init({ key, handoff: undefined })`.
 * - When a node joins, the shards that move to it are handed off: the old
 *   owner holds new requests for them, lets the running ones finish, asks
 *   each entity for its `handoff.begin(state, key)` (its state by default),
 *   stops it, sends the values to the new owner — which starts each entity
 *   with `init({ key, handoff })` — and then forwards the requests it held.
 *   The new owner holds the requests it gets for those shards until the
 *   hand-off arrives (or `handoffTimeoutMs`). No request is run twice or
 *   dropped because of a hand-off.
 * - When a node is lost, its shards are taken over at once by the others;
 *   the state of its entities is lost with it (their next request starts
 *   them fresh). Keep what must survive a crash in a store.
 * - `stop()` hands this node's shards to the others before it leaves.
 *
 * @example A cart per key
 * ```ts
 * import { noreply, ok, reply, System } from "@beamlet/beamlet";
 * import { type EntityInit, Sharding } from "@beamlet/beamlet/cluster";
 *
 * type Cart = { key: string | number; items: string[] };
 * const system = new System({ node: "a", cluster: { name: "shop", servers: "127.0.0.1:4222" } });
 * try {
 *   await system.ready;
 *   const carts = await Sharding.start(system, {
 *     name: "carts",
 *     entity: {
 *       init: ({ key, handoff }: EntityInit) => ok((handoff as Cart | undefined) ?? { key, items: [] }),
 *       handleCall: (_request: "items", _from, cart: Cart) => reply(cart.items, cart),
 *       handleCast: (item: string, cart: Cart) => noreply({ ...cart, items: [...cart.items, item] }),
 *     },
 *   });
 *   await carts.cast("cart:7", "apple");
 *   console.log(await carts.call("cart:7", "items")); // ["apple"]
 *   await carts.stop();
 * } catch (error) {
 *   console.log((error as Error).name); // "ClusterConnectError" when no NATS server runs
 * }
 * await system.shutdown();
 * ```
 */
export class Sharding<Req = unknown, Rep = unknown, C = unknown> {
  readonly #node: ShardingNode;
  readonly #callTimeoutMs: number;
  readonly #system: System;

  private constructor(node: ShardingNode, callTimeoutMs: number, system: System) {
    this.#node = node;
    this.#callTimeoutMs = callTimeoutMs;
    this.#system = system;
  }

  /**
   * Starts this node's region of the sharding `options.name` on `system`
   * (a clustered system) and resolves once it receives requests.
   *
   * Rejects with a `TypeError` / `RangeError` naming the option for bad
   * options, {@linkcode NotClusteredError} for a system without a cluster,
   * {@linkcode ShardingNameTakenError} when this system already runs a
   * sharding of that name.
   *
   * @example
   * ```ts
   * import { ok, reply, System } from "@beamlet/beamlet";
   * import { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const system = new System();
   * try {
   *   await Sharding.start(system, {
   *     name: "counters",
   *     entity: { init: () => ok(0), handleCall: (_: "inc", _from, n: number) => reply(n + 1, n + 1) },
   *   });
   * } catch (error) {
   *   console.log((error as Error).name); // "NotClusteredError"
   * }
   * ```
   */
  static async start<S, Req, Rep, C>(
    system: System,
    options: ShardingOptions<S, Req, Rep, C>,
  ): Promise<Sharding<Req, Rep, C>> {
    const settings = shardingSettings(options);
    const link = maybeClusterOf(system);
    if (link === undefined || link.closed) throw new NotClusteredError("Sharding.start");
    let names = running.get(system);
    if (names === undefined) running.set(system, names = new Set());
    if (names.has(settings.name)) throw new ShardingNameTakenError(settings.name);
    names.add(settings.name);
    const node = new ShardingNode(system, link, settings, () => names.delete(settings.name));
    try {
      await node.start();
    } catch (error) {
      node.abort();
      throw error;
    }
    return new Sharding<Req, Rep, C>(node, settings.callTimeoutMs, system);
  }

  /**
   * The sharding's name.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const label = (sharding: Sharding) => `sharding ${sharding.name}`;
   * ```
   */
  get name(): string {
    return this.#node.name;
  }

  /**
   * The system this region runs on.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const nodeOf = (sharding: Sharding) => sharding.system.node;
   * ```
   */
  get system(): System {
    return this.#system;
  }

  /**
   * Calls the entity of `key` (started on demand on its owner) and
   * resolves with its reply. Rejects with what the call met there (an
   * `ExitError` if the entity crashed, a `CallTimeoutError` after
   * `timeout` ms, ...), a `NoConnectionError` when the owner could not be
   * reached before the timeout, {@linkcode ShardingStoppedError} after
   * `stop()`; at once, with nothing sent, with a `TypeError` for a key that
   * is not a string or a number, an `UnencodableError` for a request that
   * cannot cross nodes, a `TypeError` / `RangeError` for a bad timeout.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const items = (carts: Sharding<"items", string[]>) => carts.call("cart:7", "items", { timeout: 2000 });
   * ```
   */
  call(key: ShardKey, request: Req, options?: ShardingCallOptions): Promise<Rep> {
    return this.#request("call", "Sharding.call", key, request, options) as Promise<Rep>;
  }

  /**
   * Casts `message` to the entity of `key`: resolves once its owner has
   * put it in the entity's mailbox (the entity handles it later, before any
   * hand-off). Rejects as {@linkcode Sharding.call} does, and with an
   * `Error` when the entity's mailbox refused it.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const add = (carts: Sharding<unknown, unknown, { add: string }>) => carts.cast("cart:7", { add: "apple" });
   * ```
   */
  cast(key: ShardKey, message: C, options?: ShardingCallOptions): Promise<void> {
    return this.#request("cast", "Sharding.cast", key, message, options) as Promise<void>;
  }

  /**
   * The shard of `key`: 0..shards-1, the same on every node.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const sameShard = (s: Sharding, a: string, b: string) => s.shardOf(a) === s.shardOf(b);
   * ```
   */
  shardOf(key: ShardKey): number {
    return this.#node.shardOf(checkKey("Sharding.shardOf", key));
  }

  /**
   * The node that owns `key`'s shard, as this node sees the cluster now
   * (`undefined` only after `stop()` on the last node).
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const isHere = (s: Sharding, key: string) => s.ownerOf(key) === s.system.node;
   * ```
   */
  ownerOf(key: ShardKey): string | undefined {
    return this.#node.ownerOf(checkKey("Sharding.ownerOf", key));
  }

  /**
   * The shards this node owns, ascending.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const share = (s: Sharding, total: number) => s.localShards().length / total;
   * ```
   */
  localShards(): number[] {
    return this.#node.localShards();
  }

  /**
   * The entities running on this node.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const keys = (s: Sharding) => s.localEntities().map((entity) => entity.key);
   * ```
   */
  localEntities(): LocalEntity[] {
    return this.#node.localEntities();
  }

  /**
   * What this node's region holds and has done.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const settled = (s: Sharding) => s.stats().handoffsInFlight === 0 && s.stats().held === 0;
   * ```
   */
  stats(): ShardingStats {
    return this.#node.stats();
  }

  /**
   * Leaves the sharding gracefully: tells the other regions, which leave
   * this node out of their ring from then on (until its region starts
   * again), hands every shard of this node (its entities' hand-off values)
   * to the nodes that take them over, forwards the requests it held, then
   * stops receiving. Requests made here later reject with
   * {@linkcode ShardingStoppedError}. On the last node the entities just
   * stop; what nobody took within `handoffTimeoutMs` is lost (reported
   * through the system's logger). Idempotent.
   *
   * @example
   * ```ts
   * import type { Sharding } from "@beamlet/beamlet/cluster";
   *
   * const leave = async (carts: Sharding) => {
   *   await carts.stop(); // then system.shutdown()
   * };
   * ```
   */
  stop(): Promise<void> {
    return this.#node.stop();
  }

  #request(
    kind: "call" | "cast",
    what: string,
    key: ShardKey,
    message: unknown,
    options: ShardingCallOptions | undefined,
  ): Promise<unknown> {
    try {
      checkKey(what, key);
      const timeout = timeoutOf(what, options, this.#callTimeoutMs);
      if (this.#node.closed) throw new ShardingStoppedError(this.#node.name);
      this.#node.encodable(message);
      return this.#node.request(kind, key, message, timeout);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
