/**
 * An incremental walker of the process table: it reads every process in
 * small chunks, yielding to the host between them, and keeps the last
 * complete pass as a {@linkcode ProcessTableSnapshot} that views (a
 * dashboard, an HTTP route) read instead of scanning the table themselves.
 *
 * @module
 */

import type { System } from "../system.ts";
import { hostChunkScheduler } from "./_host_chunks.ts";
import { Pass } from "./_pass.ts";
import { WalkerClosedError } from "./errors.ts";
import type { ProcessTableSnapshot } from "./process_table_snapshot.ts";

/**
 * How a walker gets its next chunk run: call `task` after `delayMs` ms (0:
 * as soon as the host has had a turn) and return a function that cancels
 * it. `hold` is true when a read is waiting for the pass: the host should
 * then stay alive until `task` runs; otherwise it should not be kept alive
 * for it. The default uses host timers, unref'd unless `hold`.
 *
 * @example A scheduler a test drives by hand
 * ```ts
 * import type { ChunkScheduler } from "@beamlet/beamlet/observe";
 *
 * const pending: (() => void)[] = [];
 * const schedule: ChunkScheduler = (task) => {
 *   pending.push(task);
 *   return () => pending.splice(pending.indexOf(task) >>> 0, 1);
 * };
 * // later: pending.shift()?.() runs the next chunk
 * ```
 */
export type ChunkScheduler = (task: () => void, delayMs: number, hold: boolean) => () => void;

/**
 * Options of {@linkcode ProcessTableWalker}.
 *
 * @example A deeper ranking, refreshed every 5 s at most
 * ```ts
 * import type { ProcessTableWalkerOptions } from "@beamlet/beamlet/observe";
 *
 * const options: ProcessTableWalkerOptions = { rankDepth: 5000, intervalMs: 5000 };
 * ```
 */
export interface ProcessTableWalkerOptions {
  /** Most processes read per chunk (default 1024; an integer in 1..1048576). */
  readonly chunkSize?: number;
  /**
   * Ms of the system clock one chunk may take before it yields, checked
   * every 32 processes (default 0.5; a finite number > 0). Together with
   * `chunkSize` it keeps every chunk well under a millisecond.
   */
  readonly chunkBudgetMs?: number;
  /**
   * Processes kept per attribute and order (default 1000; an integer in
   * 0..100000): sorted views can go that deep and no deeper.
   */
  readonly rankDepth?: number;
  /**
   * Least ms between the starts of two passes while someone reads (default
   * 1000; a finite number >= 0). A pass also waits at least nine times the
   * time its predecessor spent in its chunks, so walking never takes more
   * than about a tenth of the host, however large the table.
   */
  readonly intervalMs?: number;
  /**
   * The walker stops after a pass that ends this many ms after the last
   * read (default 10000; a finite number >= 0); the next read starts it
   * again.
   */
  readonly idleStopMs?: number;
  /**
   * How chunks are run: a {@linkcode ChunkScheduler}, or `"manual"` for
   * none (chunks run only through `step()` and `refresh()`). Default:
   * host timers that keep the host alive only while a read waits.
   */
  readonly schedule?: ChunkScheduler | "manual";
  /** Aborting it closes the walker (see {@linkcode ProcessTableWalker.close}). */
  readonly signal?: AbortSignal;
}

/** A pass spends at most this share of the host in its chunks (see `intervalMs`). */
const MAX_DUTY = 0.1;
/** How often (in processes) a chunk reads the clock. */
const CLOCK_EVERY = 32;

interface Waiter {
  resolve(snapshot: ProcessTableSnapshot): void;
  reject(error: unknown): void;
}

/**
 * Walks `system`'s process table in bounded chunks and keeps the last
 * complete pass: counts by status and, per sortable attribute, the
 * `rankDepth` largest and smallest processes (see
 * {@linkcode ProcessTableSnapshot}). Each chunk reads at most `chunkSize`
 * processes with `system.processSummary` (no arrays built) through
 * `system.processIterator()`, and stops early once `chunkBudgetMs` have
 * passed, so the host is never held for long; between chunks it yields to
 * the host.
 *
 * It runs only while someone reads: the first {@linkcode snapshot} starts
 * it; it keeps refreshing at most once per `intervalMs`, and stops after a
 * pass that ends `idleStopMs` after the last read. It keeps the host alive
 * only while a read waits for a pass, and it is released by
 * {@linkcode close} or `signal`.
 *
 * A pass reads at most twice as many processes as its predecessor did
 * (plus one chunk), so a table that grows faster than the walk cannot keep
 * a pass from ending; the first pass has no such bound.
 *
 * @throws {TypeError} for a `system` that is not a System, or a malformed `schedule` or `signal`.
 * @throws {RangeError} for a size, budget or duration out of range.
 *
 * @example Serving the longest mailboxes without scanning per request
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { ProcessTableWalker } from "@beamlet/beamlet/observe";
 *
 * const system = new System();
 * const slow = await system.start({ init: () => ok(null) });
 * system.suspend(slow);
 * for (let i = 0; i < 3; i++) system.cast(slow, i);
 * const walker = new ProcessTableWalker(system);
 * const snapshot = await walker.snapshot(); // the first read waits for a complete pass
 * const [top] = snapshot.rankings.messageQueueLength.desc;
 * console.log(String(top.pid), top.summary.messageQueueLength); // "#PID<0.1.0>" 3
 * walker.close();
 * system.shutdown();
 * ```
 *
 * @example Driving it by hand, as a test does
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { ProcessTableWalker } from "@beamlet/beamlet/observe";
 *
 * const system = new System();
 * for (let i = 0; i < 10; i++) await system.start({ init: () => ok(null) });
 * const walker = new ProcessTableWalker(system, { schedule: "manual", chunkSize: 4 });
 * let chunks = 1;
 * while (!walker.step()) chunks++;
 * console.log(chunks, walker.latest?.visited); // 3 10
 * system.shutdown();
 * ```
 */
export class ProcessTableWalker {
  readonly #system: System;
  readonly #chunkSize: number;
  readonly #chunkBudgetMs: number;
  readonly #rankDepth: number;
  readonly #intervalMs: number;
  readonly #idleStopMs: number;
  readonly #schedule: ChunkScheduler | undefined;
  readonly #signal: AbortSignal | undefined;
  #latest: ProcessTableSnapshot | undefined;
  #pass: Pass | undefined;
  #passes = 0;
  #lastVisited = Infinity;
  #lastBusyMs = 0;
  #lastReadAt = -Infinity;
  /** Someone read lately: passes follow one another. */
  #active = false;
  #cancel: (() => void) | undefined;
  /** The pending chunk holds the host (a read waits for it). */
  #held = false;
  #waiters: Waiter[] = [];
  #closed = false;

  /** A walker of `system`'s processes; it starts on the first read. */
  constructor(system: System, options: ProcessTableWalkerOptions = {}) {
    const where = "ProcessTableWalker";
    if (typeof system?.processIterator !== "function") {
      throw new TypeError(`${where}: system must be a System`);
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${where}: options must be an object`);
    }
    const { schedule, signal } = options;
    if (schedule !== undefined && schedule !== "manual" && typeof schedule !== "function") {
      throw new TypeError(`${where}: schedule must be a function or "manual"`);
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`${where}: signal must be an AbortSignal`);
    }
    this.#system = system;
    this.#chunkSize = integerIn(where, "chunkSize", options.chunkSize, 1024, 1, 2 ** 20);
    this.#chunkBudgetMs = positiveMs(where, "chunkBudgetMs", options.chunkBudgetMs, 0.5, false);
    this.#rankDepth = integerIn(where, "rankDepth", options.rankDepth, 1000, 0, 100_000);
    this.#intervalMs = positiveMs(where, "intervalMs", options.intervalMs, 1000, true);
    this.#idleStopMs = positiveMs(where, "idleStopMs", options.idleStopMs, 10_000, true);
    this.#schedule = schedule === "manual" ? undefined : schedule ?? hostChunkScheduler;
    this.#signal = signal;
    if (signal?.aborted) this.close();
    else signal?.addEventListener("abort", this.close, { once: true });
  }

  /** The last complete pass, if any (reading it starts nothing). */
  get latest(): ProcessTableSnapshot | undefined {
    return this.#latest;
  }

  /** Whether passes are following one another (someone read lately). */
  get active(): boolean {
    return this.#active;
  }

  /** Whether it was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The most processes each ranking of its snapshots holds. */
  get rankDepth(): number {
    return this.#rankDepth;
  }

  /**
   * The snapshot to read now, and a read that keeps the walker going. While
   * the walker runs, that is the last complete pass, whatever its age (the
   * next one is on its way). When it had stopped (or never ran), the last
   * pass is served if it ended within `intervalMs`; otherwise the promise
   * waits for the pass this read starts. Once closed: the last pass, or a
   * {@linkcode WalkerClosedError} if there was none.
   *
   * With `schedule: "manual"`, a read that has to wait waits until `step()`
   * or `refresh()` completes a pass.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { ProcessTableWalker } from "@beamlet/beamlet/observe";
   *
   * const system = new System();
   * const walker = new ProcessTableWalker(system);
   * const { visited, byStatus } = await walker.snapshot();
   * console.log(visited, byStatus.waiting); // 0 0
   * walker.close();
   * ```
   */
  snapshot(): Promise<ProcessTableSnapshot> {
    const latest = this.#latest;
    if (this.#closed) {
      return latest === undefined
        ? Promise.reject(new WalkerClosedError())
        : Promise.resolve(latest);
    }
    if (
      latest !== undefined &&
      (this.#active || this.#system.now() - latest.completedAt <= this.#intervalMs)
    ) {
      this.#touch();
      return Promise.resolve(latest);
    }
    const waiting = new Promise<ProcessTableSnapshot>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
    this.#touch();
    // A chunk planned before anyone waited lets the host exit: plan it again, holding the host.
    if (this.#cancel !== undefined && !this.#held) {
      this.#cancel();
      this.#plan(0);
    }
    return waiting;
  }

  /**
   * Runs one chunk now (starting a pass if none is under way) and tells
   * whether it completed a pass. Returns false at once when closed. With
   * the default scheduling there is no need to call it.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { ProcessTableWalker } from "@beamlet/beamlet/observe";
   *
   * const walker = new ProcessTableWalker(new System(), { schedule: "manual" });
   * console.log(walker.step(), walker.latest?.pass); // true 1
   * ```
   */
  step(): boolean {
    if (this.#closed) return false;
    const system = this.#system;
    const started = system.now();
    const pass = this.#pass ??= new Pass(
      system.processIterator(),
      this.#lastVisited * 2 + this.#chunkSize,
      started,
      this.#rankDepth,
    );
    const deadline = started + this.#chunkBudgetMs;
    for (let i = 1; i <= this.#chunkSize; i++) {
      if (pass.visited >= pass.limit) return this.#complete(pass, started);
      const next = pass.iterator.next();
      if (next.done) return this.#complete(pass, started);
      const summary = system.processSummary(next.value);
      if (summary !== undefined) pass.add({ pid: next.value, summary });
      if (i % CLOCK_EVERY === 0 && system.now() >= deadline) break;
    }
    pass.busyMs += system.now() - started;
    return false;
  }

  /**
   * Walks the whole table now, synchronously, in a new pass (the pass under
   * way, if any, is dropped) and returns its snapshot. It holds the host
   * for the whole table: for tests and small systems.
   *
   * @throws {WalkerClosedError} when the walker is closed.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { ProcessTableWalker } from "@beamlet/beamlet/observe";
   *
   * const system = new System();
   * await system.start({ init: () => ok(null) });
   * const walker = new ProcessTableWalker(system, { schedule: "manual" });
   * console.log(walker.refresh().visited); // 1
   * system.shutdown();
   * ```
   */
  refresh(): ProcessTableSnapshot {
    if (this.#closed) throw new WalkerClosedError();
    this.#pass = undefined;
    while (!this.step());
    return this.#latest!;
  }

  /**
   * Stops walking for good: the pending chunk is cancelled, reads waiting
   * for a pass get the last one (or a {@linkcode WalkerClosedError}), and
   * later reads get the last pass. Idempotent.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { ProcessTableWalker } from "@beamlet/beamlet/observe";
   *
   * const walker = new ProcessTableWalker(new System());
   * walker.close();
   * console.log(walker.closed); // true
   * ```
   */
  readonly close = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    this.#active = false;
    this.#pass = undefined;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#signal?.removeEventListener("abort", this.close);
    const latest = this.#latest;
    for (const waiter of this.#waiters.splice(0)) {
      if (latest === undefined) waiter.reject(new WalkerClosedError());
      else waiter.resolve(latest);
    }
  };

  /** A read: remembered for the idle stop; starts the walker when it had stopped. */
  #touch(): void {
    this.#lastReadAt = this.#system.now();
    if (this.#active) return;
    this.#active = true;
    if (this.#schedule !== undefined && this.#cancel === undefined) this.#plan(0);
  }

  /** Plans the next chunk, holding the host while a read waits. */
  #plan(delayMs: number): void {
    const hold = this.#waiters.length > 0;
    this.#cancel = this.#schedule!(this.#run, delayMs, hold);
    this.#held = hold;
  }

  #complete(pass: Pass, chunkStarted: number): true {
    const now = this.#system.now();
    pass.busyMs += now - chunkStarted;
    this.#pass = undefined;
    const snapshot = pass.finish(++this.#passes, now);
    this.#latest = snapshot;
    this.#lastVisited = snapshot.visited;
    this.#lastBusyMs = pass.busyMs;
    if (now - this.#lastReadAt >= this.#idleStopMs) this.#active = false;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(snapshot);
    return true;
  }

  /** The scheduled task: one chunk, then the next chunk, the next pass, or a stop. */
  readonly #run = (): void => {
    this.#cancel = undefined;
    if (this.#closed) return;
    if (!this.step()) return this.#plan(0);
    if (!this.#active) return;
    const last = this.#latest!;
    const now = this.#system.now();
    this.#plan(Math.max(
      0,
      last.startedAt + this.#intervalMs - now,
      this.#lastBusyMs * (1 / MAX_DUTY - 1),
    ));
  };
}

function integerIn(
  where: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `${where}: ${name} must be an integer in ${min}..${max}, got ${String(value)}`,
    );
  }
  return value;
}

function positiveMs(
  where: string,
  name: string,
  value: unknown,
  fallback: number,
  zero: boolean,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!zero && value === 0)
  ) {
    throw new RangeError(
      `${where}: ${name} must be a finite number of ms ${zero ? ">= 0" : "> 0"}, got ${
        String(value)
      }`,
    );
  }
  return value;
}
