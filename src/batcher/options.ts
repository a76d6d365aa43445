/**
 * The Batcher's options, what its flush function receives, and its counters.
 *
 * @module
 */

import type { Restart, Shutdown } from "../supervisor/child_spec.ts";

/**
 * What started a flush: the batch reached `maxItems` (`"size"`), its oldest
 * item waited `interval` ms (`"interval"`), `flush()` was called
 * (`"manual"`), or the batcher is stopping (`"shutdown"`).
 *
 * @example
 * ```ts
 * import type { FlushTrigger } from "@beamlet/beamlet/batcher";
 *
 * const trigger: FlushTrigger = "interval";
 * ```
 */
export type FlushTrigger = "size" | "interval" | "manual" | "shutdown";

/**
 * The second argument of the flush function.
 *
 * @example A flush that gives up when the batcher does
 * ```ts
 * import type { FlushInfo } from "@beamlet/beamlet/batcher";
 *
 * const flush = async (rows: string[], info: FlushInfo) => {
 *   await fetch("https://example.com/bulk", { method: "POST", body: rows.join("\n"), signal: info.signal });
 * };
 * ```
 */
export interface FlushInfo {
  /** The batcher (its name, or its pid printed). */
  readonly batcher: string;
  /** What started this batch's flush. */
  readonly trigger: FlushTrigger;
  /** This attempt, from 1 (retries count up). */
  readonly attempt: number;
  /** Aborted when this attempt outlasts `flushTimeout` (its reason a `FlushTimeoutError`). */
  readonly signal: AbortSignal;
}

/**
 * How a failed flush is retried: `attempts` in all (the first included;
 * default 1, no retry), waiting `backoff` ms before each retry (a number, or
 * a function of the attempt that failed: `(1) => ms` before the second). The
 * wait runs on the system clock, and the batcher keeps taking items meanwhile.
 *
 * @example Three attempts, exponential backoff
 * ```ts
 * import type { RetryOptions } from "@beamlet/beamlet/batcher";
 *
 * const retry: RetryOptions = { attempts: 3, backoff: (failed) => 100 * 2 ** (failed - 1) };
 * ```
 */
export interface RetryOptions {
  /** Attempts in all, the first included: a positive integer. */
  readonly attempts: number;
  /** Ms to wait before a retry (default 0), or a function of the failed attempt's number. */
  readonly backoff?: number | ((failedAttempt: number) => number);
}

/**
 * Options of `Batcher.start`. `T` is the item type, `K` the key type when
 * items are coalesced by `key`.
 *
 * @example Writes coalesced per row, flushed every 50 ms or at 100 rows
 * ```ts
 * import type { BatcherOptions } from "@beamlet/beamlet/batcher";
 *
 * type Row = { id: string; value: number };
 * const options: BatcherOptions<Row, string> = {
 *   name: "rows",
 *   maxItems: 100,
 *   interval: 50,
 *   key: (row) => row.id,
 *   flush: async (rows) => console.log("writing", rows.length),
 * };
 * ```
 */
export interface BatcherOptions<T, K = unknown> {
  /** A registered name for the batcher's process (and its telemetry). */
  readonly name?: string;
  /** Flush when this many items (keys, when coalescing) are pending: a positive integer. */
  readonly maxItems: number;
  /** Flush when the oldest pending item has waited this many ms: a number > 0. */
  readonly interval: number;
  /**
   * Writes one batch (at most `maxItems` items, in arrival order of their
   * keys). A throw or a rejection fails the attempt (see `retry`); its
   * Promise holds the batcher's process, as any callback's does.
   */
  readonly flush: (items: T[], info: FlushInfo) => unknown;
  /**
   * Coalesces items by key: one item per key in a pending batch (latest wins,
   * or `merge`). Keys compare as Map keys do (SameValueZero: objects by
   * identity). A key function that throws refuses that item.
   */
  readonly key?: (item: T) => K;
  /** How two items of one key become one (default: the newer). Needs `key`. */
  readonly merge?: (older: T, newer: T) => T;
  /** Retries of a failed flush (default: none). */
  readonly retry?: RetryOptions;
  /** At most this many items accepted and not yet flushed (default 10 000; `Infinity` allowed). */
  readonly maxPending?: number;
  /** A flush attempt that has not settled after this many ms fails (default 30 000; `Infinity` allowed). */
  readonly flushTimeout?: number;
}

/**
 * Options of `Batcher.childSpec`: the batcher's, plus the child's id,
 * restart and shutdown. Give `shutdown` room for the last flush: a batcher
 * flushes everything it holds in `terminate`, and a supervisor kills a child
 * that outlasts it (the default, 5000 ms, as for any worker).
 *
 * @example
 * ```ts
 * import type { BatcherChildSpecOptions } from "@beamlet/beamlet/batcher";
 *
 * const options: BatcherChildSpecOptions<number> = {
 *   id: "metrics",
 *   maxItems: 500,
 *   interval: 1000,
 *   flush: (values) => console.log(values.length),
 *   shutdown: 30_000,
 * };
 * ```
 */
export interface BatcherChildSpecOptions<T, K = unknown> extends BatcherOptions<T, K> {
  /** The child's id (default: `name`, else `"batcher"`). */
  readonly id?: string;
  /** Default `"permanent"`. */
  readonly restart?: Restart;
  /** Default 5000 ms. */
  readonly shutdown?: Shutdown;
}

/**
 * A batcher's counters. Items: `received` (accepted) = `coalesced` (merged
 * into another item of their key) + `flushed` + `failed` (in a batch whose
 * last attempt failed) + `lost` (pending when the process was killed) +
 * `pending`. `refused` items were never accepted. Flushes: `flushes`
 * succeeded, `failedFlushes` failed for good, `retries` attempts after the
 * first.
 *
 * @example Checking that nothing went missing
 * ```ts
 * import type { BatcherStats } from "@beamlet/beamlet/batcher";
 *
 * const balanced = (s: BatcherStats) =>
 *   s.received === s.coalesced + s.flushed + s.failed + s.lost + s.pending;
 * ```
 */
export interface BatcherStats {
  /** Items accepted. */
  readonly received: number;
  /** Items merged into a pending item of the same key. */
  readonly coalesced: number;
  /** Items in batches flushed successfully. */
  readonly flushed: number;
  /** Batches flushed successfully. */
  readonly flushes: number;
  /** Batches whose last attempt failed. */
  readonly failedFlushes: number;
  /** Flush attempts after a batch's first. */
  readonly retries: number;
  /** Items accepted and not yet flushed or failed. */
  readonly pending: number;
  /** Items refused: the bound, a throwing `key` / `merge`, or not running. */
  readonly refused: number;
  /** Items in batches whose last attempt failed. */
  readonly failed: number;
  /** Items pending when the process was killed (no `terminate` ran). */
  readonly lost: number;
}
