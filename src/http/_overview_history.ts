/**
 * The overview's recent past, kept server-side so a dashboard opened now
 * draws the last five minutes at once instead of empty charts: a ring of
 * samples (300 by default), one a second, each reading the same O(1)
 * numbers `/overview` does (scheduler counters, process count, host memory,
 * call latencies) — never the process table.
 *
 * The timer never keeps the host alive (unref'd) and stops with the app
 * (`close`). Where the host refuses a timer outside a request (Cloudflare
 * Workers at global scope), sampling starts at the first request that asks
 * for the overview instead (`start` is idempotent and retried).
 *
 * @module
 */

import { setHostTimer } from "../_host_timer.ts";

/** p99 (ms) of each call latency, or `null` when unknown. */
export interface HistoryCalls {
  readonly queued: number | null;
  readonly handling: number | null;
  readonly roundTrip: number | null;
}

/** What one sample reads. */
export interface HistoryReading {
  /** Messages handled since the start (the scheduler's counter). */
  readonly messages: number;
  readonly processes: number;
  readonly runQueue: { readonly high: number; readonly normal: number; readonly low: number };
  /** Scheduler utilization, 0..1. */
  readonly utilization: number;
  readonly memoryBytes: number | null;
  readonly calls: HistoryCalls;
}

/** One point of `GET /overview/history`. */
export interface HistoryPoint {
  /** Epoch ms. */
  readonly time: number;
  /** Messages handled per second since the previous point; `null` for the first. */
  readonly throughput: number | null;
  readonly processes: number;
  readonly runQueue: { readonly high: number; readonly normal: number; readonly low: number };
  readonly utilization: number;
  readonly memoryBytes: number | null;
  readonly calls: HistoryCalls;
}

/** The answer of `GET /overview/history`: oldest point first. */
export interface HistoryView {
  readonly time: number;
  readonly interval: number;
  readonly points: readonly HistoryPoint[];
}

/** Runs `task` after `delayMs`; returns its cancel. */
export type HistoryScheduler = (task: () => void, delayMs: number) => () => void;

/** Options of an {@linkcode OverviewHistory}. */
export interface OverviewHistoryOptions {
  /** Points kept (default 300). */
  readonly capacity?: number;
  /** Ms between samples (default 1000). */
  readonly intervalMs?: number;
  /** How the next sample is timed (default: an unref'd host timer). */
  readonly schedule?: HistoryScheduler;
  /** The epoch clock of `time` and of throughput (default `Date.now`). */
  readonly now?: () => number;
}

/** The default scheduler: a host timer that never keeps the host alive. */
export const unrefScheduler: HistoryScheduler = (task, delayMs) => {
  const timer = setHostTimer(task, delayMs);
  timer.unref();
  return () => timer.cancel();
};

/** A ring of overview samples, taken on a timer. */
export class OverviewHistory {
  readonly capacity: number;
  readonly intervalMs: number;
  readonly #read: () => HistoryReading;
  readonly #schedule: HistoryScheduler;
  readonly #now: () => number;
  readonly #points: (HistoryPoint | undefined)[];
  #next = 0;
  #size = 0;
  #previous: { time: number; messages: number } | undefined;
  #cancel: (() => void) | undefined;
  #closed = false;

  /** Samples `read()`; nothing runs until `start`. */
  constructor(read: () => HistoryReading, options: OverviewHistoryOptions = {}) {
    this.capacity = options.capacity ?? 300;
    this.intervalMs = options.intervalMs ?? 1000;
    this.#read = read;
    this.#schedule = options.schedule ?? unrefScheduler;
    this.#now = options.now ?? Date.now;
    this.#points = new Array(this.capacity);
  }

  /** Whether the timer runs. */
  get running(): boolean {
    return this.#cancel !== undefined;
  }

  /**
   * Takes a sample now and arms the timer, unless it runs or the history is
   * closed. A host that refuses the timer leaves it stopped, to be started
   * again by a later call.
   */
  start(): void {
    if (this.#closed || this.#cancel !== undefined) return;
    try {
      this.#cancel = this.#schedule(this.#tick, this.intervalMs);
    } catch {
      this.#cancel = undefined;
      return;
    }
    this.sample();
  }

  /** Stops the timer for good; the points stay readable. */
  close(): void {
    this.#closed = true;
    const cancel = this.#cancel;
    this.#cancel = undefined;
    cancel?.();
  }

  /** Adds one point read now (a read that throws adds none). */
  sample(): void {
    let reading: HistoryReading;
    try {
      reading = this.#read();
    } catch {
      return;
    }
    const time = this.#now();
    const previous = this.#previous;
    let throughput: number | null = null;
    if (previous !== undefined) {
      const seconds = (time - previous.time) / 1000;
      const delta = reading.messages - previous.messages;
      if (seconds > 0 && delta >= 0) throughput = delta / seconds;
    }
    this.#previous = { time, messages: reading.messages };
    const { processes, runQueue, utilization, memoryBytes, calls } = reading;
    this.#points[this.#next] = {
      time,
      throughput,
      processes,
      runQueue: { high: runQueue.high, normal: runQueue.normal, low: runQueue.low },
      utilization,
      memoryBytes,
      calls,
    };
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  /** The points, oldest first. */
  view(): HistoryView {
    const points: HistoryPoint[] = [];
    const first = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) points.push(this.#points[(first + i) % this.capacity]!);
    return { time: this.#now(), interval: this.intervalMs, points };
  }

  readonly #tick = (): void => {
    if (this.#closed) return;
    this.#cancel = undefined;
    try {
      this.#cancel = this.#schedule(this.#tick, this.intervalMs);
    } catch {
      // Re-armed by the next start().
    }
    this.sample();
  };
}
