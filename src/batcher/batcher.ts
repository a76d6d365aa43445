/**
 * The Batcher: a process that accumulates items and flushes them in batches.
 *
 * @module
 */

import { ExitError } from "../errors.ts";
import { isCleanExit } from "../exit_reason.ts";
import type { ExitReason } from "../exit_reason.ts";
import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import type { ChildSpec } from "../supervisor/child_spec.ts";
import { checkOptionsObject, readOptions, timeoutOf } from "../_options.ts";
import { BatcherCore, FLUSH } from "./_batcher_core.ts";
import { batcherServer } from "./_batcher_server.ts";
import { checkConfig } from "./_config.ts";
import { BatcherStoppedError } from "./errors.ts";
import type { BatcherChildSpecOptions, BatcherOptions, BatcherStats } from "./options.ts";

/**
 * A child spec for a batcher, with the handle of the batcher it starts: the
 * handle stays valid across the supervisor's restarts of it.
 *
 * @example
 * ```ts
 * import { Supervisor, System } from "@beamlet/beamlet";
 * import { Batcher, type BatcherChildSpec } from "@beamlet/beamlet/batcher";
 *
 * const spec: BatcherChildSpec<string> = Batcher.childSpec({
 *   id: "lines",
 *   maxItems: 10,
 *   interval: 100,
 *   flush: (lines: string[]) => console.log(lines.join("\n")),
 * });
 * const system = new System();
 * await Supervisor.start(system, [spec]);
 * spec.batcher.add("hello");
 * await system.stopAll(); // the supervisor stops it: "hello" is flushed first
 * ```
 */
export interface BatcherChildSpec<T> extends ChildSpec {
  /** The handle of the batcher this spec starts. */
  readonly batcher: Batcher<T>;
}

/**
 * A batcher: a process (a GenServer) that accumulates items and flushes them
 * in batches — when `maxItems` are pending, or when the oldest has waited
 * `interval` ms, whichever comes first (the batching-with-`sendAfter` of
 * OTP practice). Start one with {@linkcode Batcher.start}, or put
 * {@linkcode Batcher.childSpec} among a supervisor's children.
 *
 * - **Adding** is synchronous: `add(item)` tells at once whether the item
 *   was accepted. It is refused (counted in `refused`, executed as
 *   `beamlet.batcher.refused`) past `maxPending` items not yet flushed, when
 *   `key` or `merge` throws on it, or when the batcher is not running.
 *   `addAndWait(item)` resolves when the batch holding the item is flushed,
 *   and rejects with the named error otherwise.
 * - **Coalescing**: with `key`, one item per key is pending; a newer item of
 *   a pending key replaces it (or is merged into it by `merge`), keeping the
 *   key's place, and is counted in `coalesced`.
 * - **Flushing**: one batch at a time, in order. Each batch is executed as
 *   `beamlet.batcher.flush`. A flush that throws, rejects, or has not
 *   settled after `flushTimeout` ms is retried per `retry` (the wait runs on
 *   the system clock; the batcher takes items meanwhile, and later batches
 *   wait their turn). When no attempt is left the batch fails: a
 *   {@linkcode BatchFlushError} is reported through the system's logger, its
 *   items are counted in `failed`, and its `addAndWait` callers rejected.
 * - **Stopping** flushes everything accepted first: `stop()`, a supervisor's
 *   shutdown, `system.stopAll()` or an exit signal all run its `terminate`,
 *   which flushes what is pending (retries included). Only a kill skips it:
 *   the items then pending are counted in `lost`, their `addAndWait`
 *   rejected with a {@linkcode BatcherStoppedError}, and the loss reported.
 *
 * @example Coalesced writes, flushed every 50 ms or at 100 rows
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { Batcher } from "@beamlet/beamlet/batcher";
 *
 * type Update = { id: string; value: number };
 * const system = new System();
 * const updates = await Batcher.start(system, {
 *   name: "updates",
 *   maxItems: 100,
 *   interval: 50,
 *   key: (update: Update) => update.id,
 *   flush: async (batch: Update[]) => console.log("writing", batch),
 *   retry: { attempts: 3, backoff: 100 },
 * });
 * updates.add({ id: "a", value: 1 });
 * updates.add({ id: "a", value: 2 }); // replaces the first: coalesced
 * await updates.addAndWait({ id: "b", value: 3 }); // writing [{ id: "a", value: 2 }, { id: "b", value: 3 }]
 * console.log(updates.stats().coalesced); // 1
 * await updates.stop();
 * ```
 */
export class Batcher<T> {
  readonly #core: BatcherCore<T>;

  private constructor(core: BatcherCore<T>) {
    this.#core = core;
  }

  /**
   * Starts a batcher under `system` (not linked to anything) and resolves
   * with its handle once its process runs. Bad options are a `TypeError` or
   * `RangeError`, thrown at once; a taken name rejects with an
   * `AlreadyStartedError`.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const system = new System();
   * const events = await Batcher.start(system, {
   *   maxItems: 500,
   *   interval: 1000,
   *   flush: (batch: { type: string }[]) => console.log(batch.length, "events"),
   * });
   * events.add({ type: "click" });
   * await events.stop(); // 1 "events"
   * ```
   */
  static start<T, K = unknown>(system: System, options: BatcherOptions<T, K>): Promise<Batcher<T>> {
    const core = new BatcherCore(checkConfig("Batcher.start", options as BatcherOptions<T>));
    const name = core.config.name;
    return system.start(batcherServer, core as BatcherCore<unknown>, name ? { name } : {})
      .then(() => new Batcher(core));
  }

  /**
   * A child spec that starts this batcher under a supervisor, with its
   * handle as `batcher`. The batcher traps exits, so the supervisor's
   * shutdown runs its `terminate`, which flushes everything pending: give
   * `shutdown` (default 5000 ms) room for that last flush. Options are
   * checked at once.
   *
   * @example
   * ```ts
   * import { Supervisor, System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const metrics = Batcher.childSpec({
   *   id: "metrics",
   *   maxItems: 1000,
   *   interval: 10_000,
   *   flush: (points: number[]) => console.log(points.length),
   *   shutdown: 30_000,
   * });
   * const system = new System();
   * await Supervisor.start(system, [metrics]);
   * metrics.batcher.add(42);
   * ```
   */
  static childSpec<T, K = unknown>(options: BatcherChildSpecOptions<T, K>): BatcherChildSpec<T> {
    const config = checkConfig("Batcher.childSpec", options as BatcherOptions<T>);
    const { id, restart, shutdown } = readOptions("Batcher.childSpec: options", () => ({
      id: options.id,
      restart: options.restart,
      shutdown: options.shutdown,
    }));
    if (id !== undefined && (typeof id !== "string" || id.length === 0)) {
      throw new TypeError("Batcher.childSpec: id must be a non-empty string");
    }
    const core = new BatcherCore(config);
    const spec: BatcherChildSpec<T> = {
      id: id ?? config.name ?? "batcher",
      start: {
        server: batcherServer,
        arg: core,
        options: config.name === undefined ? {} : { name: config.name },
      },
      batcher: new Batcher(core),
    };
    if (restart !== undefined) spec.restart = restart;
    if (shutdown !== undefined) spec.shutdown = shutdown;
    return spec;
  }

  /**
   * Its process, once started (the current one, after a restart).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const system = new System();
   * const b = await Batcher.start(system, { maxItems: 10, interval: 10, flush: () => {} });
   * console.log(system.isAlive(b.pid!)); // true
   * ```
   */
  get pid(): Pid | undefined {
    return this.#core.pid;
  }

  /**
   * Its name, if it was given one.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const b = await Batcher.start(new System(), { name: "b", maxItems: 10, interval: 10, flush: () => {} });
   * console.log(b.name); // "b"
   * ```
   */
  get name(): string | undefined {
    return this.#core.config.name;
  }

  /**
   * Whether its process is running and taking items.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const b = await Batcher.start(new System(), { maxItems: 10, interval: 10, flush: () => {} });
   * await b.stop();
   * console.log(b.running); // false
   * ```
   */
  get running(): boolean {
    return this.#core.running;
  }

  /**
   * Adds an item, without waiting: true when it was accepted (it will be
   * flushed, or counted failed or lost), false when it was refused — past
   * `maxPending`, a `key` or `merge` that threw, or not running — which is
   * counted in `stats().refused` and executed as `beamlet.batcher.refused`.
   * (`addAndWait` tells the reason.)
   *
   * @example Back off when refused
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const system = new System();
   * const b = await Batcher.start(system, { maxItems: 10, interval: 10, maxPending: 1, flush: () => {} });
   * console.log(b.add(1), b.add(2)); // true false
   * ```
   */
  add(item: T): boolean {
    return this.#core.offer(item, undefined) === undefined;
  }

  /**
   * Adds an item and resolves when the batch holding it has been flushed.
   * Rejects with a {@linkcode BatchFlushError} when that batch's last
   * attempt failed, a {@linkcode BatcherFullError}, a
   * {@linkcode BatcherItemError} or a {@linkcode BatcherStoppedError} when
   * the item was refused, or a `BatcherStoppedError` when the process was
   * killed before flushing it.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher, BatchFlushError } from "@beamlet/beamlet/batcher";
   *
   * const system = new System({ logger: null });
   * const b = await Batcher.start(system, {
   *   maxItems: 10,
   *   interval: 10,
   *   flush: () => Promise.reject(new Error("database down")),
   * });
   * await b.addAndWait("row").catch((error) => {
   *   console.log(error instanceof BatchFlushError); // true
   * });
   * ```
   */
  addAndWait(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const refused = this.#core.offer(item, { resolve, reject });
      if (refused !== undefined) reject(refused);
    });
  }

  /**
   * Flushes every pending item now, and resolves when all the batches taken
   * before this call are done (flushed, or failed and reported: see
   * `stats()`). A batcher that is not running has nothing pending: this
   * resolves. Waits without limit unless given a `timeout` (ms).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const system = new System();
   * const b = await Batcher.start(system, { maxItems: 100, interval: 60_000, flush: (xs: number[]) => console.log(xs) });
   * b.add(1);
   * b.add(2);
   * await b.flush(); // [1, 2]
   * ```
   */
  async flush(options: { timeout?: number } = {}): Promise<void> {
    const timeout = readOptions("Batcher.flush: options", () => {
      checkOptionsObject("Batcher.flush: options", options);
      return timeoutOf("Batcher.flush: timeout", options.timeout, Infinity);
    });
    const core = this.#core;
    if (!core.running || core.pid === undefined) return;
    try {
      await core.system!.call(core.pid, FLUSH, { timeout });
    } catch (error) {
      // It stopped meanwhile: terminate flushed what was pending.
      if (error instanceof ExitError && isCleanExit(error.reason)) return;
      if (error instanceof ExitError) {
        throw new BatcherStoppedError(core.label, error.reason);
      }
      throw error;
    }
  }

  /**
   * Stops the batcher: its process flushes everything pending (retries
   * included) in `terminate`, then exits with `reason` (default
   * `"normal"`). Resolves when it has exited; at once when it is not
   * running. Rejects with an `ExitError` if it has not exited within
   * `timeout` ms (default: no limit), and is then killed. Under a
   * supervisor, stop the supervisor or terminate the child instead: a
   * `permanent` child would be restarted.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const system = new System();
   * const b = await Batcher.start(system, { maxItems: 100, interval: 60_000, flush: (xs: string[]) => console.log(xs) });
   * b.add("last words");
   * await b.stop(); // ["last words"]
   * console.log(b.stats().flushed); // 1
   * ```
   */
  async stop(options: { reason?: ExitReason; timeout?: number } = {}): Promise<void> {
    const { reason, timeout } = readOptions("Batcher.stop: options", () => {
      checkOptionsObject("Batcher.stop: options", options);
      return {
        reason: options.reason ?? "normal",
        timeout: timeoutOf("Batcher.stop: timeout", options.timeout, Infinity),
      };
    });
    const core = this.#core;
    const system = core.system;
    if (system === undefined || core.pid === undefined || !system.isAlive(core.pid)) return;
    await system.stop(core.pid, reason, timeout);
  }

  /**
   * Its counters (see {@linkcode BatcherStats}): read from its state
   * directly, without a message.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Batcher } from "@beamlet/beamlet/batcher";
   *
   * const system = new System();
   * const b = await Batcher.start(system, { maxItems: 100, interval: 50, flush: () => {} });
   * b.add("x");
   * console.log(b.stats()); // { received: 1, pending: 1, flushed: 0, ... }
   * ```
   */
  stats(): BatcherStats {
    return this.#core.stats();
  }
}
