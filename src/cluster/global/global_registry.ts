/**
 * Cluster-wide names — Erlang's `:global` — on a JetStream key-value
 * bucket: one process per name in the whole cluster, registered by its own
 * node, found from any node, released when it exits or its node is lost.
 *
 * - The bucket is the truth: registering is the bucket's atomic `create`
 *   (of two nodes registering one name at once, exactly one wins), and each
 *   node keeps a copy of the bucket, followed by a watch, for `whereis`.
 *   The watch is checked every second against the bucket's last revision
 *   and replaced (the copy re-read) when it stalls, as one can when the
 *   NATS server leading the bucket's stream is lost.
 * - A key is the name's UTF-8 bytes in base64url (no padding), so any
 *   string is a name; a value is `{ pid, node, incarnation }` written with
 *   the cluster's value codec.
 * - The registering node monitors the holder and deletes the key when it
 *   exits (conditionally on the key's revision: a newer holder is never
 *   deleted). When a node goes down, the others purge the keys of that run
 *   of it; keys of nodes that are not up at all (every node died) are
 *   purged once they have been seen for `staleAfterMs`.
 * - After a partition heals, a node whose own holder's key is held by
 *   another process (seen by the watch, or by the re-check when its NATS
 *   connection comes back) settles the conflict with `resolve`.
 *
 * @module
 */

import type { KvEntry } from "@nats-io/kv";
import type { Pid } from "../../pid.ts";
import { samePid } from "../../pid.ts";
import type { System } from "../../system.ts";
import type { ViaRegistry } from "../../options.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import { maybeClusterOf } from "../cluster_link.ts";
import { NotClusteredError } from "../errors.ts";
import { GlobalRegistryClosedError, GlobalRegistryError } from "./errors.ts";
import type { GlobalRegistryOptions } from "./options.ts";
import { BucketCopy } from "./_bucket_copy.ts";
import { checkLocalPid, checkName, checkOptions } from "./_checks.ts";
import { recheckName } from "./_conflicts.ts";
import type { RegistryContext } from "./_context.ts";
import { register, release, unregister } from "./_holding.ts";
import { defaultBucket, keyOf } from "./_keys.ts";
import { RegistryOpening } from "./_opening.ts";
import { purgeNodeDown } from "./_purges.ts";
import { staleAfterOf } from "./_stale_after.ts";
import { decodeStored } from "./_stored.ts";

/**
 * Cluster-wide names on a clustered system (Erlang's `:global`). A
 * `{ via, key }` registry too: `system.start(server, arg, { name: { via:
 * names, key } })` starts a process under a cluster-wide name (its init
 * runs once the name is its own; `AlreadyStartedError` when another node's
 * process has it), and `system.call({ via: names, key }, request)` reaches
 * the holder on whichever node it runs.
 *
 * @example A cart per customer, unique in the whole cluster
 * ```ts
 * import { AlreadyStartedError, ok, reply, System } from "@beamlet/beamlet";
 * import { GlobalRegistry } from "@beamlet/beamlet/cluster";
 *
 * const system = new System({ node: "a", cluster: { name: "shop", servers: "127.0.0.1:4222" } });
 * try {
 *   await system.ready;
 *   const names = new GlobalRegistry(system);
 *   await names.ready;
 *   const cart = { init: () => ok([] as string[]), handleCall: (_r: unknown, _f: unknown, s: string[]) => reply(s, s) };
 *   try {
 *     await system.start(cart, undefined, { name: { via: names, key: "cart:7" } });
 *   } catch (error) {
 *     if (!(error instanceof AlreadyStartedError)) throw error; // another node has it
 *   }
 *   console.log(await system.call({ via: names, key: "cart:7" }, "items"));
 *   names.close();
 * } catch (error) {
 *   console.log((error as Error).name); // "ClusterConnectError" when no NATS server runs
 * }
 * await system.shutdown();
 * ```
 */
export class GlobalRegistry implements ViaRegistry {
  /** The key-value bucket. */
  readonly bucket: string;
  /**
   * Resolves once the bucket is open (created if it did not exist) and this
   * node's copy of it is loaded; rejects with {@linkcode GlobalRegistryError}
   * when JetStream is not available.
   */
  readonly ready: Promise<void>;

  readonly #ctx: RegistryContext;
  readonly #opening: RegistryOpening;
  readonly #offNodeEvent: () => void;

  /**
   * Opens the global registry of `system` (after `await system.ready`).
   * Throws `NotClusteredError` when the system has no cluster, and a
   * `TypeError` or `RangeError` for bad options.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * try {
   *   new GlobalRegistry(new System());
   * } catch (error) {
   *   console.log((error as Error).name); // "NotClusteredError"
   * }
   * ```
   */
  constructor(system: System, options: GlobalRegistryOptions = {}) {
    const checked = checkOptions(options);
    const link = typeof system === "object" && system !== null ? maybeClusterOf(system) : undefined;
    if (link === undefined) throw new NotClusteredError("GlobalRegistry");
    this.bucket = checked.bucket ?? defaultBucket(link.name);
    this.#ctx = {
      system,
      link,
      resolve: checked.resolve,
      staleAfterMs: staleAfterOf(checked.staleAfterMs, link),
      copy: new BucketCopy(),
      held: new Map(),
      kv: undefined,
      readyAt: 0,
      closed: false,
    };
    this.#opening = new RegistryOpening(this.#ctx);
    this.#offNodeEvent = link.onNodeEvent((event) => purgeNodeDown(this.#ctx, event));
    link.onClose(() => this.close());
    this.ready = this.#opening.open(this.bucket, checked.replicas, () => this.recheck());
    this.ready.catch(() => {}); // a rejection nobody awaits is not unhandled
  }

  /**
   * Registers `pid` (a process of this node) under `name` in the whole
   * cluster: true when it holds it now, false when another process (of any
   * node) does. Rejects with a `TypeError` for a name that is not a string
   * of 1 to 1024 characters or a pid of another node,
   * {@linkcode GlobalRegistryError} when the bucket cannot be written, and
   * {@linkcode GlobalRegistryClosedError} once closed.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import type { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * async function leader(system: System, names: GlobalRegistry): Promise<boolean> {
   *   const me = await system.start({ init: () => ok(null) });
   *   return await names.register("leader", me); // false: another node's process leads
   * }
   * ```
   */
  register(name: string, pid: Pid): Promise<boolean> {
    let checked: string, holder: Pid;
    try {
      checked = checkName("register", name);
      holder = checkLocalPid("register", pid, this.#ctx.link.node);
    } catch (error) {
      return Promise.reject(error);
    }
    return register(this.#ctx, this.ready, checked, holder);
  }

  /**
   * Frees `name` in the whole cluster, whichever node's process holds it
   * (the process goes on, nameless). Nothing when nobody holds it.
   *
   * @example
   * ```ts
   * import type { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * async function stepDown(names: GlobalRegistry): Promise<void> {
   *   await names.unregister("leader");
   *   console.log(names.whereis("leader")); // undefined
   * }
   * ```
   */
  async unregister(name: string): Promise<void> {
    checkName("unregister", name);
    if (this.#ctx.closed) throw new GlobalRegistryClosedError("unregister");
    await this.ready;
    await unregister(this.#ctx, name);
  }

  /**
   * The process registered under `name`, from this node's copy of the
   * bucket (no round trip; a registration on another node shows up a few
   * ms later). `undefined` when nobody holds it, or its holder is a process
   * of this node that is no longer alive or of a node that is not up.
   *
   * @example
   * ```ts
   * import type { System } from "@beamlet/beamlet";
   * import type { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * function notifyLeader(system: System, names: GlobalRegistry): void {
   *   const leader = names.whereis("leader");
   *   if (leader !== undefined) system.send(leader, "tick");
   * }
   * ```
   */
  whereis(name: string): Pid | undefined {
    if (typeof name !== "string") return undefined;
    const known = this.#ctx.copy.known.get(name);
    return known === undefined || !this.#usable(known.pid) ? undefined : known.pid;
  }

  /**
   * The process registered under `name`, read from the bucket itself (a
   * round trip: what every node agrees on now). Rejects with a `TypeError`
   * for a bad name, {@linkcode GlobalRegistryError} when the bucket cannot
   * be read.
   *
   * @example
   * ```ts
   * import type { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * async function who(names: GlobalRegistry): Promise<string> {
   *   return String(await names.lookup("leader") ?? "nobody");
   * }
   * ```
   */
  async lookup(name: string): Promise<Pid | undefined> {
    checkName("lookup", name);
    if (this.#ctx.closed) throw new GlobalRegistryClosedError("lookup");
    await this.ready;
    let entry: KvEntry | null;
    try {
      entry = await this.#ctx.kv!.get(keyOf(name));
    } catch (error) {
      throw new GlobalRegistryError("lookup", name, error);
    }
    if (entry === null || entry.operation !== "PUT") return undefined;
    return decodeStored(this.#ctx.link, entry.value)?.pid;
  }

  /**
   * The registered names, from this node's copy, sorted.
   *
   * @example
   * ```ts
   * import type { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * function carts(names: GlobalRegistry): string[] {
   *   return names.names().filter((name) => name.startsWith("cart:"));
   * }
   * ```
   */
  names(): string[] {
    const names: string[] = [];
    for (const [name, known] of this.#ctx.copy.known) if (this.#usable(known.pid)) names.push(name);
    return names.sort();
  }

  /**
   * Checks every name a process of this node holds against the bucket:
   * one that was purged while this node seemed down is registered again,
   * one another process took meanwhile is a conflict, settled by
   * `resolve`. Runs by itself when the NATS connection comes back; call it
   * when you know this node was cut off.
   *
   * @example
   * ```ts
   * import type { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * async function afterPartition(names: GlobalRegistry): Promise<void> {
   *   await names.recheck();
   * }
   * ```
   */
  async recheck(): Promise<void> {
    if (this.#ctx.closed) return;
    await this.ready;
    await Promise.all([...this.#ctx.held.keys()].map((name) => recheckName(this.#ctx, name)));
  }

  /** `ViaRegistry`: {@linkcode GlobalRegistry.whereis}. */
  whereisName(key: unknown): Pid | undefined {
    return typeof key === "string" ? this.whereis(key) : undefined;
  }

  /** `ViaRegistry`: {@linkcode GlobalRegistry.register} (a start waits for it). */
  registerName(key: unknown, pid: Pid): Promise<boolean> {
    return this.register(key as string, pid);
  }

  /** `ViaRegistry`: frees `key` if `pid` (a process of this node) holds it. */
  unregisterName(key: unknown, pid: Pid): void {
    if (typeof key !== "string" || !isPid(pid)) return;
    const held = this.#ctx.held.get(key);
    if (held !== undefined && samePid(held.pid, pid)) void release(this.#ctx, key, pid);
  }

  /**
   * Stops following the bucket and this node's holders: whereis finds
   * nothing, register and unregister reject. The names of this node's
   * processes stay in the bucket until they are unregistered or this node
   * leaves the cluster (the other nodes then purge them). Runs by itself
   * when the system leaves its cluster.
   *
   * @example
   * ```ts
   * import type { GlobalRegistry } from "@beamlet/beamlet/cluster";
   *
   * function done(names: GlobalRegistry): void {
   *   names.close();
   *   console.log(names.closed); // true
   * }
   * ```
   */
  close(): void {
    const ctx = this.#ctx;
    if (ctx.closed) return;
    ctx.closed = true;
    this.#offNodeEvent();
    this.#opening.close();
    for (const held of ctx.held.values()) {
      if (held.ref !== undefined) ctx.system.demonitor(held.ref);
    }
    ctx.held.clear();
    ctx.copy.clear();
  }

  /** Whether {@linkcode GlobalRegistry.close} ran. */
  get closed(): boolean {
    return this.#ctx.closed;
  }

  /** Whether `pid` may be handed out: alive here, or of a node that is up. */
  #usable(pid: Pid): boolean {
    const { link, system } = this.#ctx;
    return pid.node === link.node ? system.isAlive(pid) : link.isUp(pid.node);
  }
}
