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

import { Kvm } from "@nats-io/kv";
import type { KV, KvEntry } from "@nats-io/kv";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import type { Pid, Ref } from "../../pid.ts";
import { samePid } from "../../pid.ts";
import type { System } from "../../system.ts";
import type { ViaRegistry } from "../../options.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import { type ClusterLink, maybeClusterOf, type NodeEvent } from "../cluster_link.ts";
import { NotClusteredError } from "../errors.ts";
import { GlobalRegistryClosedError, GlobalRegistryError } from "./errors.ts";
import type { GlobalRegistryOptions, NameConflictReason, NameResolver } from "./options.ts";
import { checkLocalPid, checkName, checkOptions } from "./_checks.ts";
import { defaultBucket, keyOf, nameOf } from "./_keys.ts";
import { denoTimers } from "../../_host.ts";

/** A name as the bucket has it (the local copy). */
interface Known {
  readonly pid: Pid;
  readonly node: string;
  readonly incarnation: number;
  readonly revision: number;
  /** Who a conflict resolution took it from, if it did. */
  readonly displaced: Pid | undefined;
  /** When this copy first saw this revision (for stale keys). */
  readonly seenAt: number;
}

/** A name one of this node's processes holds. */
interface Held {
  readonly pid: Pid;
  /** The revision of the key this node last wrote or saw for it. */
  revision: number;
  ref: Ref | undefined;
  /** Purged by other nodes (they saw this node down): re-registered at the next re-check. */
  orphaned: boolean;
}

/** What the bucket stores under a key. */
interface Stored {
  readonly pid: Pid;
  readonly node: string;
  readonly incarnation: number;
  readonly displaced?: Pid;
}

const DEFAULT_STALE_AFTER_MS = 1500;
/** How often the watch is checked against the bucket's last revision, ms. */
const WATCH_CHECK_MS = 1000;

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

  readonly #system: System;
  readonly #link: ClusterLink;
  readonly #replicas: number;
  readonly #resolve: NameResolver | undefined;
  readonly #staleAfterMs: number;
  readonly #known = new Map<string, Known>();
  /** Names this node deleted or purged, at that revision: the watch's older PUTs are stale. */
  readonly #floors = new Map<string, number>();
  readonly #held = new Map<string, Held>();
  readonly #offNodeEvent: () => void;
  #kv: KV | undefined;
  #stops: (() => void)[] = [];
  #sweeper: ReturnType<typeof setInterval> | undefined;
  /** The watch's health check (see `#checkWatch`). */
  #checker: ReturnType<typeof setInterval> | undefined;
  #checking = false;
  #checkFailures = 0;
  /** The current watch's stop, and its number (a replaced watch's entries are ignored). */
  #stopCurrent: (() => void) | undefined;
  #generation = 0;
  /** The highest revision a watch delivered. */
  #delivered = 0;
  /** The bucket's last revision at the previous check, when the watch was behind it. */
  #behindAt: number | undefined;
  /** The watch is replaced at the next check (the connection came back, or a start failed). */
  #rewatchNow = false;
  #readyAt = 0;
  #closed = false;

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
    this.#system = system;
    this.#link = link;
    this.bucket = checked.bucket ?? defaultBucket(link.name);
    this.#replicas = checked.replicas;
    this.#resolve = checked.resolve;
    this.#staleAfterMs = checked.staleAfterMs ?? downAfterOf(link) ?? DEFAULT_STALE_AFTER_MS;
    this.#offNodeEvent = link.onNodeEvent((event) => this.#onNodeEvent(event));
    link.onClose(() => this.close());
    this.ready = this.#open();
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
      holder = checkLocalPid("register", pid, this.#link.node);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#register(checked, holder);
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
    if (this.#closed) throw new GlobalRegistryClosedError("unregister");
    await this.ready;
    const held = this.#held.get(name);
    if (held !== undefined) {
      await this.#release(name, held.pid);
      return;
    }
    const kv = this.#kv!;
    const key = keyOf(name);
    let entry: KvEntry | null;
    try {
      entry = await kv.get(key);
    } catch (error) {
      throw new GlobalRegistryError("unregister", name, error);
    }
    if (entry === null || entry.operation !== "PUT") return;
    try {
      await kv.delete(key, { previousSeq: entry.revision });
    } catch (error) {
      if (!isWrongSequence(error)) throw new GlobalRegistryError("unregister", name, error);
      // Changed meanwhile: whoever holds it now registered after this call was made.
    }
    this.#deleting(name, entry.revision);
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
    const known = this.#known.get(name);
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
    if (this.#closed) throw new GlobalRegistryClosedError("lookup");
    await this.ready;
    let entry: KvEntry | null;
    try {
      entry = await this.#kv!.get(keyOf(name));
    } catch (error) {
      throw new GlobalRegistryError("lookup", name, error);
    }
    if (entry === null || entry.operation !== "PUT") return undefined;
    return this.#decode(entry.value)?.pid;
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
    for (const [name, known] of this.#known) if (this.#usable(known.pid)) names.push(name);
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
    if (this.#closed) return;
    await this.ready;
    await Promise.all([...this.#held.keys()].map((name) => this.#recheckName(name)));
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
    const held = this.#held.get(key);
    if (held !== undefined && samePid(held.pid, pid)) void this.#release(key, pid);
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
    if (this.#closed) return;
    this.#closed = true;
    this.#offNodeEvent();
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    if (this.#checker !== undefined) clearInterval(this.#checker);
    this.#checker = undefined;
    this.#stopWatch();
    for (const stop of this.#stops) {
      try {
        stop();
      } catch {
        // already stopped
      }
    }
    this.#stops = [];
    for (const held of this.#held.values()) {
      if (held.ref !== undefined) this.#system.demonitor(held.ref);
    }
    this.#held.clear();
    this.#known.clear();
    this.#floors.clear();
  }

  /** Whether {@linkcode GlobalRegistry.close} ran. */
  get closed(): boolean {
    return this.#closed;
  }

  // ---------------------------------------------------------------- opening

  async #open(): Promise<void> {
    let kv: KV;
    try {
      kv = await new Kvm(this.#link.connection).create(this.bucket, {
        replicas: this.#replicas,
        history: 1,
      });
    } catch (error) {
      throw new GlobalRegistryError("open", `bucket ${this.bucket}`, error);
    }
    if (this.#closed) return;
    this.#kv = kv;
    try {
      await this.#watch(kv, true);
    } catch (error) {
      throw new GlobalRegistryError("open", `bucket ${this.bucket}`, error);
    }
    if (this.#closed) return;
    this.#readyAt = Date.now();
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(50, this.#staleAfterMs / 2));
    this.#checker = setInterval(() => void this.#checkWatch(), WATCH_CHECK_MS);
    unrefTimer(this.#sweeper);
    unrefTimer(this.#checker);
    this.#followConnection();
  }

  /**
   * Starts a watch of the whole bucket (the current value of every key,
   * then every change) in place of the current one; resolves once it
   * started, or, with `untilLoaded`, once it delivered the bucket's
   * current keys.
   */
  async #watch(kv: KV, untilLoaded: boolean): Promise<void> {
    this.#stopWatch();
    const generation = ++this.#generation;
    let loaded!: () => void;
    const snapshot = new Promise<void>((resolve) => loaded = resolve);
    let isLoaded = false;
    const markLoaded = () => {
      if (isLoaded) return;
      isLoaded = true;
      loaded();
    };
    const watch = await kv.watch();
    if (this.#closed || generation !== this.#generation) {
      stopQuietly(() => watch.stop());
      return;
    }
    this.#stopCurrent = () => watch.stop();
    void (async () => {
      try {
        for await (const entry of watch) {
          if (generation !== this.#generation) break; // replaced
          if (entry.revision > this.#delivered) this.#delivered = entry.revision;
          try {
            this.#onEntry(entry);
          } catch (error) {
            this.#report("GlobalRegistry watch", error); // one bad entry, not the watch
          }
          if (entry.delta === 0) markLoaded();
        }
      } catch (error) {
        if (generation === this.#generation) this.#report("GlobalRegistry watch", error);
      }
      if (generation === this.#generation) this.#rewatchNow = true; // ended by itself
      markLoaded();
    })();
    if (!untilLoaded) return;
    // An empty bucket sends no entry: its copy is loaded already.
    if ((await kv.status()).values === 0) markLoaded();
    await snapshot;
  }

  /** Stops the current watch (its late entries are ignored). */
  #stopWatch(): void {
    this.#generation++;
    const stop = this.#stopCurrent;
    this.#stopCurrent = undefined;
    if (stop !== undefined) stopQuietly(stop);
  }

  /**
   * Checks that the watch keeps up with the bucket (one stream info
   * request): a watch that has not reached, by this check, the bucket's
   * last revision of the previous check is stalled (its consumer can stop
   * delivering when the NATS server leading the stream is lost) and is
   * replaced by a new one, which delivers every key's current value again.
   */
  async #checkWatch(): Promise<void> {
    const kv = this.#kv;
    if (this.#closed || this.#checking || kv === undefined) return;
    this.#checking = true;
    try {
      if (this.#rewatchNow || this.#stopCurrent === undefined) {
        await this.#rewatch(kv);
        return;
      }
      const state = (await kv.status()).streamInfo.state;
      this.#checkFailures = 0;
      if (this.#closed) return;
      const last = state.last_seq;
      if (state.messages === 0 && last > this.#delivered) this.#delivered = last; // nothing to deliver
      if (this.#delivered >= last) {
        this.#behindAt = undefined;
      } else if (this.#behindAt !== undefined && this.#delivered < this.#behindAt) {
        await this.#rewatch(kv);
      } else {
        this.#behindAt = last;
      }
    } catch (error) {
      // NATS is down or the stream is electing a leader: tried again at the next check.
      if (this.#checkFailures++ === 0 && !this.#closed) {
        this.#report("GlobalRegistry watch check", error);
      }
    } finally {
      this.#checking = false;
    }
  }

  /** Replaces the watch (the copy is re-read from the bucket's current keys). */
  async #rewatch(kv: KV): Promise<void> {
    this.#rewatchNow = false;
    this.#behindAt = undefined;
    try {
      await this.#watch(kv, false);
    } catch (error) {
      this.#stopWatch();
      this.#rewatchNow = true; // no watch now: tried again at the next check
      throw error;
    }
  }

  /** Re-checks this node's names when the NATS connection comes back. */
  #followConnection(): void {
    const statuses = this.#link.connection.status();
    const stoppable = statuses as { stop?: () => void };
    if (typeof stoppable.stop === "function") this.#stops.push(() => stoppable.stop!());
    void (async () => {
      try {
        for await (const status of statuses) {
          if (this.#closed) return;
          if (status.type === "reconnect") {
            this.#rewatchNow = true; // the watch is replaced at the next check
            void this.#checkWatch();
            this.recheck().catch((error) => this.#report("GlobalRegistry recheck", error));
          }
        }
      } catch {
        // the connection closed
      }
    })();
  }

  // ---------------------------------------------------------------- registering

  async #register(name: string, pid: Pid): Promise<boolean> {
    if (this.#closed) throw new GlobalRegistryClosedError("register");
    await this.ready;
    if (this.#closed) throw new GlobalRegistryClosedError("register");
    let revision: number;
    try {
      revision = await this.#kv!.create(keyOf(name), this.#encode({ pid }));
    } catch (error) {
      if (isWrongSequence(error)) return false;
      throw new GlobalRegistryError("register", name, error);
    }
    if (this.#closed) return true; // closed meanwhile: the other nodes purge it when we leave
    this.#hold(name, pid, revision);
    return true;
  }

  /** `pid` holds `name` at `revision`: remembered, and its exit releases the name. */
  #hold(name: string, pid: Pid, revision: number): void {
    const previous = this.#held.get(name);
    if (previous !== undefined && previous.ref !== undefined) {
      this.#system.demonitor(previous.ref);
    }
    const held: Held = { pid, revision, ref: undefined, orphaned: false };
    this.#held.set(name, held);
    this.#learn(
      name,
      { pid, node: this.#link.node, incarnation: this.#link.incarnation },
      revision,
    );
    // Gone already: "noproc" on a microtask, and the name is released.
    held.ref = this.#system.monitor(pid, () => void this.#release(name, pid));
  }

  /** Frees `name` if `pid` holds it here: the key is deleted if it is still this holder's. */
  async #release(name: string, pid: Pid): Promise<void> {
    const held = this.#held.get(name);
    if (held === undefined || !samePid(held.pid, pid)) return;
    this.#held.delete(name);
    if (held.ref !== undefined) this.#system.demonitor(held.ref);
    if (held.orphaned || this.#kv === undefined) return;
    const known = this.#known.get(name);
    this.#deleting(name, held.revision);
    try {
      await this.#kv.delete(keyOf(name), { previousSeq: held.revision });
    } catch (error) {
      if (isWrongSequence(error)) return;
      this.#report("GlobalRegistry release", error);
      this.#undelete(name, known); // left in the bucket: the sweep removes it later
    }
  }

  // ---------------------------------------------------------------- the bucket's changes

  #onEntry(entry: KvEntry): void {
    if (this.#closed) return;
    const name = nameOf(entry.key);
    if (name === undefined) return; // not a key of ours
    if (entry.operation !== "PUT") {
      this.#forget(name, entry.revision);
      this.#floors.delete(name); // every older PUT came before this (the watch is in order)
      const held = this.#held.get(name);
      if (held === undefined || held.revision > entry.revision) return; // older than its holder
      if (entry.operation === "DEL") {
        // Unregistered by another node: the process goes on, nameless.
        this.#held.delete(name);
        if (held.ref !== undefined) this.#system.demonitor(held.ref);
      } else {
        // Purged by nodes that saw this one down: registered again at the next re-check.
        held.orphaned = true;
      }
      return;
    }
    const stored = this.#decode(entry.value);
    if (stored === undefined) return;
    const known = this.#learn(name, stored, entry.revision);
    const held = this.#held.get(name);
    if (held === undefined || known === undefined) return;
    if (samePid(held.pid, stored.pid)) {
      held.revision = Math.max(held.revision, entry.revision);
      held.orphaned = false;
      return;
    }
    if (held.revision > entry.revision) return; // older than its holder's own write
    this.#conflict(name, held, known);
  }

  /** Records what the bucket holds for `name` (a newer revision only; `undefined`: stale). */
  #learn(name: string, stored: Stored, revision: number): Known | undefined {
    const floor = this.#floors.get(name);
    if (floor !== undefined) {
      if (revision <= floor) return undefined; // deleted since
      this.#floors.delete(name);
    }
    const previous = this.#known.get(name);
    if (previous !== undefined && previous.revision >= revision) return previous;
    const known: Known = {
      pid: stored.pid,
      node: stored.node,
      incarnation: stored.incarnation,
      revision,
      displaced: stored.displaced,
      seenAt: Date.now(),
    };
    this.#known.set(name, known);
    return known;
  }

  /** Drops the copy of `name` if it is not newer than `revision`. */
  #forget(name: string, revision: number): void {
    const known = this.#known.get(name);
    if (known !== undefined && known.revision <= revision) this.#known.delete(name);
  }

  /** A delete or purge of this node failed: its copy of `name` is back as it was. */
  #undelete(name: string, known: Known | undefined): void {
    if (this.#closed || known === undefined) return;
    if (this.#floors.get(name) === known.revision) this.#floors.delete(name);
    if (!this.#known.has(name)) this.#known.set(name, known);
  }

  /** This node deletes or purges `name` at `revision`: forgotten, older PUTs ignored. */
  #deleting(name: string, revision: number): void {
    this.#forget(name, revision);
    this.#floors.set(name, Math.max(this.#floors.get(name) ?? 0, revision));
  }

  // ---------------------------------------------------------------- conflicts

  /** `held` (here) and `known` (in the bucket) both claim `name`. */
  #conflict(name: string, held: Held, known: Known): void {
    if (this.#held.get(name) !== held) return;
    if (known.displaced !== undefined && samePid(known.displaced, held.pid)) {
      // Another node's resolver gave the name to its own process.
      this.#lose(name, held, known.pid);
      return;
    }
    let winner: Pid | undefined = known.pid;
    if (this.#resolve !== undefined) {
      try {
        winner = this.#resolve(name, known.pid, held.pid);
      } catch (error) {
        this.#report("GlobalRegistry resolve", error);
        winner = known.pid;
      }
    }
    if (isPid(winner) && samePid(winner, known.pid)) {
      this.#lose(name, held, known.pid);
    } else if (isPid(winner) && samePid(winner, held.pid)) {
      void this.#take(name, held, known);
    } else {
      void this.#freeBoth(name, held, known);
    }
  }

  /** This node's process loses `name` to `holder`: it exits. */
  #lose(name: string, held: Held, holder: Pid | undefined): void {
    if (this.#held.get(name) === held) this.#held.delete(name);
    if (held.ref !== undefined) this.#system.demonitor(held.ref);
    this.#exit(held.pid, name, holder);
  }

  /** This node's process keeps `name`: the key becomes its own, the bucket's holder exits. */
  async #take(name: string, held: Held, known: Known): Promise<void> {
    let revision: number;
    try {
      revision = await this.#kv!.update(
        keyOf(name),
        this.#encode({ pid: held.pid, displaced: known.pid }),
        known.revision,
      );
    } catch (error) {
      if (isWrongSequence(error)) await this.#recheckName(name); // changed again: look again
      else this.#report("GlobalRegistry resolve", error);
      return;
    }
    if (this.#held.get(name) !== held) return;
    held.revision = revision;
    held.orphaned = false;
    this.#learn(name, {
      pid: held.pid,
      node: this.#link.node,
      incarnation: this.#link.incarnation,
    }, revision);
    this.#exit(known.pid, name, held.pid); // its node exits it too, seeing `displaced`
  }

  /** The resolver kept neither: both exit and the name is freed. */
  async #freeBoth(name: string, held: Held, known: Known): Promise<void> {
    this.#lose(name, held, undefined);
    this.#exit(known.pid, name, undefined);
    try {
      await this.#kv!.delete(keyOf(name), { previousSeq: known.revision });
    } catch (error) {
      if (!isWrongSequence(error)) this.#report("GlobalRegistry resolve", error);
    }
  }

  /** Exits `pid` (of any node) for losing `name`. */
  #exit(pid: Pid, name: string, holder: Pid | undefined): void {
    const reason: NameConflictReason = { reason: "name_conflict", name, holder };
    try {
      this.#system.exit(pid, reason);
    } catch (error) {
      this.#report("GlobalRegistry exit", error);
    }
  }

  /** Checks one name this node holds against the bucket (see {@linkcode GlobalRegistry.recheck}). */
  async #recheckName(name: string, attempts = 3): Promise<void> {
    const held = this.#held.get(name);
    if (held === undefined || this.#closed) return;
    if (!this.#system.isAlive(held.pid)) {
      await this.#release(name, held.pid);
      return;
    }
    const kv = this.#kv!;
    const key = keyOf(name);
    let entry: KvEntry | null;
    try {
      entry = await kv.get(key);
    } catch (error) {
      this.#report("GlobalRegistry recheck", error);
      return;
    }
    if (this.#held.get(name) !== held) return;
    if (entry === null || entry.operation !== "PUT") {
      // Purged while this node seemed down: registered again.
      try {
        held.revision = await kv.create(key, this.#encode({ pid: held.pid }));
        held.orphaned = false;
        this.#learn(name, {
          pid: held.pid,
          node: this.#link.node,
          incarnation: this.#link.incarnation,
        }, held.revision);
      } catch (error) {
        if (!isWrongSequence(error)) this.#report("GlobalRegistry recheck", error);
        else if (attempts > 1) await this.#recheckName(name, attempts - 1); // taken meanwhile
      }
      return;
    }
    const stored = this.#decode(entry.value);
    if (stored === undefined) return;
    const known = this.#learn(name, stored, entry.revision);
    if (samePid(stored.pid, held.pid)) {
      held.revision = entry.revision;
      held.orphaned = false;
      return;
    }
    this.#conflict(
      name,
      held,
      known !== undefined && known.revision === entry.revision ? known : {
        pid: stored.pid,
        node: stored.node,
        incarnation: stored.incarnation,
        revision: entry.revision,
        displaced: stored.displaced,
        seenAt: Date.now(),
      },
    );
  }

  // ---------------------------------------------------------------- nodes that are gone

  #onNodeEvent(event: NodeEvent): void {
    if (this.#closed || event.type !== "nodedown" || this.#kv === undefined) return;
    for (const [name, known] of this.#known) {
      if (known.node === event.node && this.#isDead(known)) this.#purge(name, known);
    }
  }

  /** Purges the names of nodes that are not up, once seen for `staleAfterMs`. */
  #sweep(): void {
    if (this.#closed || this.#kv === undefined) return;
    const now = Date.now();
    if (now - this.#readyAt <= this.#staleAfterMs) return; // the members are not known yet
    for (const [name, known] of this.#known) {
      if (now - known.seenAt <= this.#staleAfterMs) continue;
      if (this.#isDead(known)) {
        this.#purge(name, known);
      } else if (
        known.node === this.#link.node && !this.#held.has(name) &&
        !this.#system.isAlive(known.pid)
      ) {
        // This node's own, left behind (a delete that failed): its holder is gone.
        this.#purge(name, known);
      }
    }
  }

  /** Whether `known`'s node is down, or up as another run. */
  #isDead(known: Known): boolean {
    const link = this.#link;
    if (known.node === link.node) return known.incarnation !== link.incarnation;
    if (!link.isUp(known.node)) return true;
    for (const info of link.info()) {
      if (info.node === known.node) return info.incarnation !== known.incarnation;
    }
    return true;
  }

  /** Purges `name` if it is still `known`'s (several nodes doing it is harmless). */
  #purge(name: string, known: Known): void {
    this.#deleting(name, known.revision);
    this.#kv!.purge(keyOf(name), { previousSeq: known.revision }).catch((error) => {
      if (isWrongSequence(error)) return;
      this.#report("GlobalRegistry purge", error);
      this.#undelete(name, known); // still in the bucket: the next sweep tries again
    });
  }

  // ---------------------------------------------------------------- helpers

  /** Whether `pid` may be handed out: alive here, or of a node that is up. */
  #usable(pid: Pid): boolean {
    return pid.node === this.#link.node ? this.#system.isAlive(pid) : this.#link.isUp(pid.node);
  }

  #encode(value: { pid: Pid; displaced?: Pid }): Uint8Array {
    const stored: Stored = value.displaced === undefined
      ? { pid: value.pid, node: this.#link.node, incarnation: this.#link.incarnation }
      : {
        pid: value.pid,
        node: this.#link.node,
        incarnation: this.#link.incarnation,
        displaced: value.displaced,
      };
    return this.#link.encode(stored);
  }

  /** A stored value, or `undefined` when it is not one. */
  #decode(bytes: Uint8Array): Stored | undefined {
    try {
      const value = this.#link.decode(bytes) as Partial<Stored> | null;
      if (typeof value !== "object" || value === null) return undefined;
      const { pid, node, incarnation, displaced } = value;
      if (!isPid(pid) || typeof node !== "string" || typeof incarnation !== "number") {
        return undefined;
      }
      return { pid, node, incarnation, displaced: isPid(displaced) ? displaced : undefined };
    } catch {
      return undefined;
    }
  }

  #report(callback: string, reason: unknown): void {
    try {
      this.#system.report({
        kind: "callback",
        callback,
        reason,
        stack: reason instanceof Error ? reason.stack : undefined,
      });
    } catch {
      // a logger that throws is ignored
    }
  }
}

/** Calls a watch's or iterator's `stop`, which may throw once stopped already. */
function stopQuietly(stop: () => void): void {
  try {
    stop();
  } catch {
    // already stopped
  }
}

/** Lets the process exit although `timer` is pending. */
function unrefTimer(timer: unknown): void {
  try {
    if (denoTimers !== undefined && typeof timer === "number") denoTimers.unrefTimer(timer);
    else (timer as { unref?: () => void } | undefined)?.unref?.();
  } catch {
    // a host without the switch
  }
}

/** Whether a KV write failed on its expected revision (someone else wrote first). */
function isWrongSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);
}

/** The cluster's `downAfterMs`, when its link tells it. */
function downAfterOf(link: ClusterLink): number | undefined {
  try {
    const settings = (link as { settings?: { downAfterMs?: unknown } }).settings;
    const ms = settings?.downAfterMs;
    return typeof ms === "number" && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}
