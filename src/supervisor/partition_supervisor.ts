/**
 * Partition supervisors (as Elixir's `PartitionSupervisor`): N copies of one
 * child, each owning the keys that hash to it, so one hot process becomes N
 * independent ones — a rate limiter, a cache or a session store sharded by
 * key — each restarted on its own.
 *
 * How a key finds its partition. `whichPartition(key)` is the key's
 * SipHash-2-4 under a 128-bit secret ({@linkcode KeyedHash}), mapped to
 * `0..partitions-1`. The hash is keyed on purpose: with an unkeyed hash
 * (Erlang's `phash2`, which Elixir's `PartitionSupervisor` uses) anyone who
 * chooses the keys — user names, device ids, URL paths — can compute offline
 * thousands of keys that all land in one partition, and so make that
 * partition's single process the bottleneck of the whole service. Without the
 * secret the partition of a key cannot be predicted, so crafted keys spread
 * like any others. The secret is random by default; pass a fixed one in
 * tests, or where several systems must route alike.
 *
 * Two routing schemes. beamlet routes keys in two ways, for two situations:
 *
 * - fixed partitions with the keyed hash (this supervisor): the set of
 *   partitions never changes while it runs, so `hash mod N` is the fastest
 *   and most even choice — and a crashed partition is restarted in place, so
 *   its keys never move;
 * - a {@linkcode HashRing} (`src/partition/hash_ring.ts`) for a changing set
 *   of members (nodes, shards, processes that come and go): adding or
 *   removing one of N members moves only about 1/N of the keys, where
 *   `hash mod N` would move nearly all of them.
 *
 * Each partition is a child of an underlying {@linkcode Supervisor}
 * (`one_for_one` unless told otherwise) with id `partition-<i>`; a crashed
 * partition is restarted under the same index, keeps the same keys, and
 * starts from its `init` again (its state is lost, the other partitions
 * keep theirs).
 *
 * @module
 */

import { NoProcError } from "../errors.ts";
import type { GenServer } from "../gen_server.ts";
import type { CallOptions, Delivery, StartOptions } from "../options.ts";
import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import { type HashKey, KeyedHash } from "../partition/siphash.ts";
import type { ChildSpec } from "./child_spec.ts";
import type { ChildCounts, ChildInfo } from "./child_info.ts";
import type { SupervisorOptions } from "./options.ts";
import { Supervisor } from "./supervisor.ts";
import { checkPartitionOptions } from "./_partition_options.ts";

/**
 * What every partition runs: one GenServer, its init argument (the same for
 * all, or computed from the partition index), its start options, and how it
 * is restarted and shut down.
 *
 * `arg` is called when it is a function: to hand each partition a function
 * as its argument, wrap it (`arg: () => handler`).
 *
 * @example One counter per partition, each starting at its own index
 * ```ts
 * import { noreply, ok } from "@beamlet/beamlet";
 * import type { PartitionChild } from "@beamlet/beamlet/partition";
 *
 * const child: PartitionChild<number> = {
 *   server: { init: (start: number) => ok(start), handleCast: (_: "inc", n: number) => noreply(n + 1) },
 *   arg: (partition) => partition * 1000,
 *   options: { mailbox: { bound: 10_000 } },
 * };
 * ```
 */
export interface PartitionChild<A = unknown> {
  /** The server each partition runs. */
  // deno-lint-ignore no-explicit-any
  server: GenServer<any, A>;
  /** Its init argument, or a function of the partition index (`0..partitions-1`) giving it. */
  arg?: A | ((partition: number) => A);
  /** Its start options; `name` is refused (N processes cannot share one name). */
  options?: Omit<StartOptions, "name">;
  /** Default `"permanent"`. */
  restart?: ChildSpec["restart"];
  /** Default 5000 ms. */
  shutdown?: ChildSpec["shutdown"];
}

/**
 * Options of {@linkcode PartitionSupervisor.start}. `strategy`,
 * `intensity`, `period`, `logger` and `clock` go to the underlying
 * {@linkcode Supervisor}; `name` registers it.
 *
 * @example 16 partitions under a fixed secret (tests), tolerant of restarts
 * ```ts
 * import { ok, type PartitionSupervisorOptions } from "@beamlet/beamlet";
 *
 * const options: PartitionSupervisorOptions = {
 *   child: { server: { init: () => ok(new Map()) } },
 *   partitions: 16,
 *   secret: new Uint8Array(16),
 *   intensity: 10,
 *   period: 1000,
 * };
 * ```
 */
export interface PartitionSupervisorOptions<A = unknown> extends SupervisorOptions {
  /** What each partition runs. */
  child: PartitionChild<A>;
  /**
   * How many partitions, an integer from 1 to `MAX_PARTITION_COUNT`
   * (default `navigator.hardwareConcurrency`, else 4).
   */
  partitions?: number;
  /**
   * The 16-byte SipHash secret keys are routed under (default: random). Fix it
   * only for tests or for systems that must route alike.
   */
  secret?: Uint8Array;
  /**
   * Spread the partitions over the system's schedulers
   * (`SystemOptions.schedulers`): partition `i` runs on the `i mod n`th
   * running scheduler (placement `{ partition: i }`), so keys map to
   * schedulers as they map to partitions; a partition whose scheduler dies
   * restarts on the others. The child's server must then be a GenServer
   * defined with `defineBehaviour` (it starts by name), and its `arg` plain
   * data. Default `false`: every partition on the supervisor's scheduler.
   */
  schedulers?: boolean;
}

let spreadSerial = 0;

/** Wraps `server` so that each start records its pid at `index` (restarts included). */
function recordingPid<S, A>(
  server: GenServer<S, A>,
  pids: (Pid | undefined)[],
  index: number,
): GenServer<S, A> {
  // Inherit from the server rather than copy it, so class-based servers keep their methods and `this`.
  const wrapper = Object.create(server) as GenServer<S, A>;
  wrapper.init = function (arg, ctx) {
    pids[index] = ctx.self;
    return server.init.call(this, arg, ctx);
  };
  return wrapper;
}

/**
 * A running partition supervisor: routes each key to the live process of
 * its partition.
 *
 * @example A counter per key, sharded over 8 partitions
 * ```ts
 * import { noreply, ok, PartitionSupervisor, reply, System } from "@beamlet/beamlet";
 *
 * type Counts = Map<string, number>;
 * const counters = {
 *   init: () => ok(new Map() as Counts),
 *   handleCast: (key: string, counts: Counts) => noreply(counts.set(key, (counts.get(key) ?? 0) + 1)),
 *   handleCall: (key: string, _from: unknown, counts: Counts) => reply(counts.get(key) ?? 0, counts),
 * };
 * const system = new System();
 * const sup = await PartitionSupervisor.start(system, { child: { server: counters }, partitions: 8 });
 * sup.cast("user:42", "user:42");
 * console.log(await sup.call("user:42", "user:42")); // 1
 * await sup.stop();
 * ```
 */
export class PartitionSupervisor {
  /** The underlying supervisor's pid. */
  readonly pid: Pid;
  /** How many partitions it has (fixed for its life). */
  readonly partitions: number;
  /** The name it is registered under, if any. */
  readonly name: string | undefined;
  readonly #system: System;
  readonly #hash: KeyedHash;
  readonly #pids: (Pid | undefined)[];
  /** With `schedulers: true`: each partition's system-wide name. */
  readonly #spread: readonly string[] | undefined;

  private constructor(
    system: System,
    pid: Pid,
    partitions: number,
    name: string | undefined,
    hash: KeyedHash,
    pids: (Pid | undefined)[],
    spread: readonly string[] | undefined,
  ) {
    this.#spread = spread;
    this.#system = system;
    this.pid = pid;
    this.partitions = partitions;
    this.name = name;
    this.#hash = hash;
    this.#pids = pids;
  }

  /**
   * Starts the underlying supervisor and its partitions, `partition-0`
   * first. Rejects with {@linkcode ChildStartError} if a partition's `init`
   * fails (those started are stopped), and throws a `TypeError` /
   * `RangeError` for a bad option.
   *
   * @example Partitions whose init argument depends on their index
   * ```ts
   * import { ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, {
   *   child: { server: { init: (shard: string) => ok(shard) }, arg: (i) => `shard-${i}` },
   *   partitions: 4,
   *   name: "shards",
   * });
   * ```
   */
  static async start<A>(
    system: System,
    options: PartitionSupervisorOptions<A>,
  ): Promise<PartitionSupervisor> {
    const { partitions, child, overrides } = checkPartitionOptions(
      options as PartitionSupervisorOptions<unknown>,
    );
    const hash = new KeyedHash(options.secret);
    const pids: (Pid | undefined)[] = new Array(partitions).fill(undefined);
    const children: ChildSpec[] = [];
    // Spread over schedulers, a partition is found by a system-wide name
    // (its pid is made on another thread, where no wrapper can record it).
    const spread = options.schedulers === true
      ? Array.from({ length: partitions }, (_, i) => `beamlet.partition.${++spreadSerial}.${i}`)
      : undefined;
    for (let i = 0; i < partitions; i++) {
      const arg = typeof child.arg === "function"
        ? (child.arg as (partition: number) => unknown)(i)
        : child.arg;
      children.push({
        ...overrides,
        id: `partition-${i}`,
        start: spread === undefined
          ? { server: recordingPid(child.server, pids, i), arg, options: child.options }
          : {
            server: child.server,
            arg,
            options: { ...child.options, placement: { partition: i }, name: spread[i] },
          },
      });
    }
    const { strategy, intensity, period, name, logger, clock } = options;
    const pid = await Supervisor.start(system, children, {
      strategy,
      intensity,
      period,
      name,
      logger,
      clock,
    });
    return new PartitionSupervisor(system, pid, partitions, name, hash, pids, spread);
  }

  /**
   * The partition of `key`, in `0..partitions-1`: its keyed hash (see the
   * module docs for why keyed) mapped onto the partitions. Stable for this
   * supervisor's life; equal under equal secrets.
   *
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, { child: { server: { init: () => ok(0) } }, partitions: 4 });
   * console.log(sup.whichPartition("device-7")); // 0..3
   * ```
   */
  whichPartition(key: HashKey): number {
    return this.#hash.partition(key, this.partitions);
  }

  /**
   * The live pid of `key`'s partition — the new one after a restart — or
   * `undefined` while that partition is down (between a crash and its
   * restart, or after the supervisor stopped).
   *
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, { child: { server: { init: () => ok(0) } } });
   * const pid = sup.pidFor("customer:1042");
   * ```
   */
  pidFor(key: HashKey): Pid | undefined {
    const partition = this.whichPartition(key);
    if (this.#spread !== undefined) return this.#system.whereis(this.#spread[partition]);
    const pid = this.#pids[partition];
    return pid !== undefined && this.#system.isAlive(pid) ? pid : undefined;
  }

  /**
   * Calls `key`'s partition with `request` (its `handleCall`). Rejects with
   * {@linkcode NoProcError} at once if the partition is down, and as
   * `system.call` does otherwise (timeout, exit).
   *
   * @example
   * ```ts
   * import { ok, PartitionSupervisor, reply, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, {
   *   child: { server: { init: () => ok(0), handleCall: (_: "get", _from: unknown, n: number) => reply(n, n) } },
   * });
   * console.log(await sup.call("k", "get", { timeout: 1000 })); // 0
   * ```
   */
  call<R = unknown>(key: HashKey, request: unknown, options?: CallOptions): Promise<R> {
    let pid: Pid | undefined;
    try {
      pid = this.#route(key);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#system.call(pid, request, options) as Promise<R>;
  }

  /**
   * Casts `request` to `key`'s partition (its `handleCast`): `"noproc"` if
   * the partition is down, else what `system.cast` says.
   *
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { noreply, ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, {
   *   child: { server: { init: () => ok(0), handleCast: (n: number, sum: number) => noreply(sum + n) } },
   * });
   * if (sup.cast("meter-3", 5) !== "ok") console.log("refused");
   * ```
   */
  cast(key: HashKey, request: unknown): Delivery {
    const pid = this.pidFor(key);
    return pid === undefined ? "noproc" : this.#system.cast(pid, request);
  }

  /**
   * Sends a plain message to `key`'s partition (its `handleInfo`):
   * `"noproc"` if the partition is down, else what `system.send` says.
   *
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { noreply, ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, {
   *   child: { server: { init: () => ok([] as unknown[]), handleInfo: (m, log: unknown[]) => noreply([...log, m]) } },
   * });
   * sup.send("device-7", { tick: 1 });
   * ```
   */
  send(key: HashKey, message: unknown): Delivery {
    const pid = this.pidFor(key);
    return pid === undefined ? "noproc" : this.#system.send(pid, message);
  }

  /**
   * How many partitions are known and running (as `Supervisor.countChildren`).
   *
   * @example
   * ```ts
   * import { ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, { child: { server: { init: () => ok(0) } }, partitions: 2 });
   * console.log((await sup.countChildren()).active); // 2
   * ```
   */
  countChildren(): Promise<ChildCounts> {
    return Supervisor.countChildren(this.#system, this.pid);
  }

  /**
   * The partitions in index order, ids `partition-<i>`, with their pids
   * (`undefined` while down).
   *
   * @example
   * ```ts
   * import { ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, { child: { server: { init: () => ok(0) } }, partitions: 2 });
   * console.log((await sup.whichChildren()).map((c) => c.id)); // ["partition-0", "partition-1"]
   * ```
   */
  whichChildren(): Promise<ChildInfo[]> {
    return Supervisor.whichChildren(this.#system, this.pid);
  }

  /**
   * Stops the supervisor (reason `"shutdown"` unless told otherwise): its
   * partitions stop first, newest first, each by its shutdown setting.
   * Rejects as `system.stop` does (a `NoProcError` if it already stopped).
   *
   * @example
   * ```ts
   * import { ok, PartitionSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await PartitionSupervisor.start(system, { child: { server: { init: () => ok(0) } } });
   * await sup.stop();
   * ```
   */
  stop(reason: "normal" | "shutdown" = "shutdown", timeout = Infinity): Promise<void> {
    return this.#system.stop(this.pid, reason, timeout);
  }

  /** The live pid of `key`'s partition, or a NoProcError naming the partition. */
  #route(key: HashKey): Pid {
    const pid = this.pidFor(key);
    if (pid !== undefined) return pid;
    const owner = this.name ?? String(this.pid);
    throw new NoProcError(`partition-${this.whichPartition(key)} of ${owner}`);
  }
}
