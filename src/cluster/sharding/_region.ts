/**
 * The entities of one sharding that run on this node (internal): found or
 * started on demand, counted per shard while a request runs on them (a
 * hand-off waits until its shard's count is zero), collected for a
 * hand-off, restored from one, and passivated when idle.
 *
 * @module
 */

import type { GenServer } from "../../gen_server.ts";
import type { Pid } from "../../pid.ts";
import type { System } from "../../system.ts";
import { type EntityKey, keyId } from "./_assignment.ts";
import { type HandoffAnswer, HandoffRequest, PassivateRequest } from "./_entity.ts";
import type { EntityInit, LocalEntity } from "./options.ts";

interface EntityRecord {
  readonly key: EntityKey;
  readonly id: string;
  readonly shard: number;
  pid: Pid | undefined;
  starting: Promise<Pid> | undefined;
  stopping: Promise<void> | undefined;
  /** Requests running on it now. */
  busy: number;
  /** When its last request ended (performance.now()). */
  lastUsed: number;
}

/** An entity collected from its shard for a hand-off. */
export interface Collected {
  readonly key: EntityKey;
  readonly handoff: unknown;
}

/** A sharding's entities on this node. */
export class Region {
  readonly #system: System;
  readonly #server: GenServer<unknown, EntityInit>;
  readonly #what: string;
  readonly #changed: () => void;
  readonly #entities = new Map<string, EntityRecord>();
  readonly #byShard = new Map<number, Set<EntityRecord>>();
  readonly #inflight = new Map<number, number>();
  readonly #drainWaiters = new Map<number, (() => void)[]>();
  /** Entities started by a request. */
  startedOnDemand = 0;
  /** Entities stopped for being idle. */
  passivated = 0;

  constructor(
    system: System,
    server: GenServer<unknown, EntityInit>,
    what: string,
    changed: () => void,
  ) {
    this.#system = system;
    this.#server = server;
    this.#what = what;
    this.#changed = changed;
  }

  /** Entities running (or starting) here. */
  get size(): number {
    return this.#entities.size;
  }

  /** Each entity running here, with its pid. */
  entities(): LocalEntity[] {
    const result: LocalEntity[] = [];
    for (const record of this.#entities.values()) {
      if (record.pid !== undefined) result.push({ key: record.key, pid: record.pid });
    }
    return result;
  }

  /** Whether entities of `shard` run here. */
  hasShard(shard: number): boolean {
    return (this.#byShard.get(shard)?.size ?? 0) > 0;
  }

  /** Runs `work` on the entity of `key` (started if need be), counted as in flight on `shard`. */
  async run<T>(key: EntityKey, shard: number, work: (pid: Pid) => Promise<T> | T): Promise<T> {
    this.#begin(shard);
    try {
      const record = await this.#ensure(key, shard);
      const pid = record.pid as Pid;
      record.busy++;
      try {
        return await work(pid);
      } finally {
        record.busy--;
        record.lastUsed = performance.now();
      }
    } finally {
      this.#end(shard);
    }
  }

  /** Resolves once no request runs on `shard`'s entities. */
  drain(shard: number): Promise<void> {
    if ((this.#inflight.get(shard) ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => {
      let waiters = this.#drainWaiters.get(shard);
      if (waiters === undefined) this.#drainWaiters.set(shard, waiters = []);
      waiters.push(resolve);
    });
  }

  /**
   * Takes every entity of `shard` out of the region: each runs its
   * `handoff.begin` (after the messages it had) and stops. An entity that
   * fails to answer within `timeoutMs` is killed and its state is lost
   * (reported through the system's logger).
   */
  async collect(shard: number, timeoutMs: number): Promise<Collected[]> {
    const records = [...(this.#byShard.get(shard) ?? [])];
    for (const record of records) this.#forget(record);
    const collected = await Promise.all(records.map(async (record) => {
      if (record.stopping !== undefined) {
        await record.stopping; // passivated meanwhile: nothing to hand over
        return undefined;
      }
      let pid = record.pid;
      if (pid === undefined) pid = await record.starting?.catch(() => undefined);
      if (pid === undefined) return undefined;
      try {
        const answer = await this.#system.call(pid, new HandoffRequest(record.key), {
          timeout: timeoutMs,
        }) as HandoffAnswer;
        if (answer.ok) return { key: record.key, handoff: answer.value };
        this.lost(record.key, answer.error);
      } catch (error) {
        this.lost(record.key, error);
        if (this.#system.isAlive(pid)) this.#system.exit(pid, "kill");
      }
      return undefined;
    }));
    this.#changed();
    return collected.filter((entry): entry is Collected => entry !== undefined);
  }

  /**
   * Starts the entity of `key` from a hand-off, unless it already runs
   * here (then the running one is kept and the hand-off value dropped: it
   * already served requests since). A failing `init` is reported.
   */
  async restore(key: EntityKey, shard: number, handoff: unknown): Promise<void> {
    if (this.#entities.has(keyId(key))) {
      this.lost(key, new Error("an entity of this key already runs on the new owner"));
      return;
    }
    try {
      await this.#start(key, shard, handoff).starting;
    } catch (error) {
      this.lost(key, error);
    }
  }

  /** Stops (`"normal"`) every idle entity of a shard `serves` says this node serves. */
  passivateIdle(idleMs: number, serves: (shard: number) => boolean): void {
    const now = performance.now();
    for (const record of this.#entities.values()) {
      if (
        record.pid === undefined || record.stopping !== undefined || record.busy > 0 ||
        now - record.lastUsed < idleMs || !serves(record.shard)
      ) continue;
      const pid = record.pid;
      this.#begin(record.shard);
      record.stopping = (async () => {
        try {
          await this.#system.call(pid, new PassivateRequest(), { timeout: 5000 });
          await this.#system.whenExited(pid).catch(() => undefined);
          this.passivated++;
        } catch {
          if (this.#system.isAlive(pid)) this.#system.exit(pid, "kill");
        } finally {
          this.#forget(record);
          this.#end(record.shard);
          this.#changed();
        }
      })();
    }
  }

  /** Reports an entity whose state could not be handed over. */
  lost(key: EntityKey, reason: unknown): void {
    try {
      this.#system.report({
        kind: "callback",
        callback: `${this.#what}: hand-off of entity ${String(key)}`,
        reason,
        stack: reason instanceof Error ? reason.stack : undefined,
      });
    } catch {
      // a logger that throws loses the line, not the node
    }
  }

  async #ensure(key: EntityKey, shard: number): Promise<EntityRecord> {
    const id = keyId(key);
    for (;;) {
      const record = this.#entities.get(id);
      if (record === undefined) {
        const fresh = this.#start(key, shard, undefined);
        this.startedOnDemand++;
        await fresh.starting;
        return fresh;
      }
      if (record.stopping !== undefined) {
        await record.stopping;
        continue;
      }
      if (record.starting !== undefined) {
        await record.starting;
        return record;
      }
      if (record.pid !== undefined && this.#system.isAlive(record.pid)) return record;
      this.#forget(record);
    }
  }

  #start(key: EntityKey, shard: number, handoff: unknown): EntityRecord {
    const record: EntityRecord = {
      key,
      id: keyId(key),
      shard,
      pid: undefined,
      starting: undefined,
      stopping: undefined,
      busy: 0,
      lastUsed: performance.now(),
    };
    this.#entities.set(record.id, record);
    let shardSet = this.#byShard.get(shard);
    if (shardSet === undefined) this.#byShard.set(shard, shardSet = new Set());
    shardSet.add(record);
    record.starting = this.#system.start(this.#server, { key, handoff }).then((pid) => {
      if (pid === undefined) {
        throw new TypeError(`${this.#what}: entity ${String(key)}'s init returned ignore()`);
      }
      record.pid = pid;
      record.starting = undefined;
      this.#system.monitor(pid, () => {
        this.#forget(record);
        this.#changed();
      });
      return pid;
    }, (error) => {
      this.#forget(record);
      throw error;
    });
    // The caller awaits it; this keeps a failed start of a forgotten record from being unhandled.
    record.starting.catch(() => undefined);
    this.#changed();
    return record;
  }

  #forget(record: EntityRecord): void {
    if (this.#entities.get(record.id) === record) this.#entities.delete(record.id);
    const shardSet = this.#byShard.get(record.shard);
    if (shardSet?.delete(record) && shardSet.size === 0) this.#byShard.delete(record.shard);
  }

  #begin(shard: number): void {
    this.#inflight.set(shard, (this.#inflight.get(shard) ?? 0) + 1);
  }

  #end(shard: number): void {
    const left = (this.#inflight.get(shard) ?? 1) - 1;
    if (left > 0) {
      this.#inflight.set(shard, left);
      return;
    }
    this.#inflight.delete(shard);
    const waiters = this.#drainWaiters.get(shard);
    if (waiters === undefined) return;
    this.#drainWaiters.delete(shard);
    for (const waiter of waiters) waiter();
  }
}
