/**
 * A batcher's state (internal): the pending items by key, the batches taken
 * out of them and waiting for their flush, and the counters. One record per
 * batcher, shared by its handle (which adds items synchronously, so a caller
 * learns at once whether its item was accepted) and by its process (which
 * takes batches, flushes them, and keeps the timers). It outlives the
 * process: a supervisor's restart runs the next incarnation on the same
 * record, so the handle stays valid.
 *
 * Items: accepted = coalesced + flushed + failed + lost + pending, always.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { From } from "../from.ts";
import type { Pid, Ref } from "../pid.ts";
import type { System } from "../system.ts";
import { stackOf } from "../_inspect.ts";
import { BATCHER_FLUSH, BATCHER_REFUSED } from "../telemetry/catalog/batcher_events.ts";
import type { BatcherConfig } from "./_config.ts";
import {
  type BatcherError,
  BatcherFullError,
  BatcherItemError,
  BatcherStoppedError,
  BatchFlushError,
} from "./errors.ts";
import type { BatcherStats, FlushTrigger } from "./options.ts";
import { type Entry, PendingItems, type Waiter } from "./_pending_items.ts";

export type { Entry, Waiter } from "./_pending_items.ts";

/** Items taken out of the buffer, flushed together. */
export interface Batch<T> {
  readonly entries: Entry<T>[];
  readonly trigger: FlushTrigger;
  /** Attempts made so far. */
  attempts: number;
  /** When the first attempt started (system clock). */
  startedAt: number;
  /** While waiting for the next attempt: its timer, or `"now"` when the retry was sent at once. */
  retryRef: Ref | "now" | undefined;
  /** `flush()` callers answered when this batch is done. */
  barriers: From<void>[] | undefined;
}

/** The message that tells the process to look at its buffer. */
export const WAKE: unique symbol = Symbol("batcher wake");
/** The message that tells the process to flush its next ready batch. */
export const PUMP: unique symbol = Symbol("batcher pump");
/** The `call` of `flush()`. */
export const FLUSH: unique symbol = Symbol("batcher flush");

/** The interval timer's message. */
export class TickDue {
  constructor(readonly generation: number) {}
}

/** A retry's timer message. */
export class RetryDue<T> {
  constructor(readonly batch: Batch<T>) {}
}

type Counters = { -readonly [K in keyof BatcherStats]: BatcherStats[K] };

export class BatcherCore<T> {
  readonly config: BatcherConfig<T>;
  system: System | undefined;
  pid: Pid | undefined;
  /** Its name, or its pid printed ("batcher" before its first start). */
  label: string;
  /** Taking items. */
  running = false;
  /** Why the last incarnation exited, once it has. */
  exitReason: ExitReason | undefined;
  /** Bumped by each incarnation and when the state is abandoned: a stale continuation checks it. */
  epoch = 0;
  /** Pending items, in first-arrival order of their keys. */
  readonly buffer: PendingItems<T>;
  /** Batches taken and not yet done, oldest first; the head is the one being flushed or retried. */
  readonly queue: Batch<T>[] = [];
  /** Items in `queue`. */
  queued = 0;
  /** A WAKE is in the mailbox. */
  woken = false;
  /** A PUMP is in the mailbox. */
  pumping = false;
  /** The interval timer, or `"now"` when its message was sent at once. */
  tickRef: Ref | "now" | undefined;
  /** When the armed interval timer fires. */
  tickDue = 0;
  tickGeneration = 0;
  readonly counters: Counters = {
    received: 0,
    coalesced: 0,
    flushed: 0,
    flushes: 0,
    failedFlushes: 0,
    retries: 0,
    pending: 0,
    refused: 0,
    failed: 0,
    lost: 0,
  };

  constructor(config: BatcherConfig<T>) {
    this.config = config;
    this.label = config.name ?? "batcher";
    this.buffer = new PendingItems(config.key !== undefined);
  }

  get pending(): number {
    return this.buffer.size + this.queued;
  }

  stats(): BatcherStats {
    return { ...this.counters, pending: this.pending };
  }

  /** Adds `item` (with `waiter`, for `addAndWait`): undefined when accepted, else why not (counted). */
  offer(item: T, waiter: Waiter | undefined): BatcherError | undefined {
    const system = this.system;
    if (!this.running || system === undefined) {
      return this.#refuse("stopped", new BatcherStoppedError(this.label, this.exitReason));
    }
    const { key: keyOf, merge } = this.config;
    let key: unknown;
    if (keyOf !== undefined) {
      try {
        key = keyOf(item);
      } catch (error) {
        return this.#refuse("key", new BatcherItemError(this.label, "key", error));
      }
      const existing = this.buffer.get(key);
      if (existing !== undefined) {
        if (merge !== undefined) {
          let merged: T;
          try {
            merged = merge(existing.item, item);
          } catch (error) {
            return this.#refuse("merge", new BatcherItemError(this.label, "merge", error));
          }
          existing.item = merged;
        } else existing.item = item;
        if (waiter !== undefined) (existing.waiters ??= []).push(waiter);
        this.counters.received++;
        this.counters.coalesced++;
        return undefined;
      }
    }
    if (this.pending >= this.config.maxPending) {
      return this.#refuse("full", new BatcherFullError(this.label, this.config.maxPending));
    }
    const size = this.buffer.size;
    if (!this.woken && (size === 0 || size + 1 >= this.config.maxItems)) {
      const delivery = system.send(this.pid!, WAKE);
      if (delivery !== "ok") {
        return delivery === "noproc" || delivery === "dropped"
          ? this.#refuse("stopped", new BatcherStoppedError(this.label, this.exitReason))
          : this.#refuse("full", new BatcherFullError(this.label, this.config.maxPending));
      }
      this.woken = true;
    }
    this.buffer.add({
      item,
      key,
      // Batches are taken from the front in maxItems, so only every
      // maxItems-th entry can become the oldest: only it reads the clock.
      at: size % this.config.maxItems === 0 ? system.now() : 0,
      waiters: waiter === undefined ? undefined : [waiter],
    });
    this.counters.received++;
    return undefined;
  }

  #refuse(reason: "full" | "key" | "merge" | "stopped", error: BatcherError): BatcherError {
    this.counters.refused++;
    this.system?.telemetry.execute(BATCHER_REFUSED, { count: 1, pending: this.pending }, {
      batcher: this.label,
      reason,
    });
    return error;
  }

  /** Takes up to `max` pending items, oldest keys first, as a batch at the end of the queue. */
  take(trigger: FlushTrigger, max: number): Batch<T> {
    const entries = this.buffer.take(max);
    const batch: Batch<T> = {
      entries,
      trigger,
      attempts: 0,
      startedAt: 0,
      retryRef: undefined,
      barriers: undefined,
    };
    this.queue.push(batch);
    this.queued += entries.length;
    if (this.buffer.size === 0) this.cancelTick();
    return batch;
  }

  /** Takes every pending item, in batches of at most `maxItems`. */
  takeAll(trigger: FlushTrigger): void {
    while (this.buffer.size > 0) this.take(trigger, this.config.maxItems);
  }

  cancelTick(): void {
    if (this.tickRef === undefined) return;
    if (this.tickRef !== "now") this.system?.cancelTimer(this.tickRef);
    this.tickRef = undefined;
    this.tickGeneration++;
  }

  /** The head batch is done: flushed (`error` undefined) or failed for good. */
  complete(batch: Batch<T>, failure: { error: unknown } | undefined): void {
    const index = this.queue.indexOf(batch);
    if (index < 0) return;
    this.queue.splice(index, 1);
    const items = batch.entries.length;
    this.queued -= items;
    const system = this.system!;
    const counters = this.counters;
    let error: BatchFlushError | undefined;
    if (failure === undefined) {
      counters.flushed += items;
      counters.flushes++;
    } else {
      counters.failed += items;
      counters.failedFlushes++;
      error = new BatchFlushError(this.label, items, batch.attempts, batch.trigger, failure.error);
      system.report({
        kind: "callback",
        callback: `batcher ${this.label} flush`,
        reason: error,
        stack: stackOf(failure.error) ?? error.stack,
      });
    }
    system.telemetry.execute(BATCHER_FLUSH, {
      items,
      duration: Math.max(0, system.now() - batch.startedAt),
      attempts: batch.attempts,
    }, { batcher: this.label, trigger: batch.trigger, ok: failure === undefined });
    for (const entry of batch.entries) settle(entry.waiters, error);
    if (batch.barriers !== undefined) {
      for (const from of batch.barriers) system.reply(from, undefined);
    }
  }

  /**
   * The process exited without flushing (killed): every pending item is
   * lost, counted, its waiters rejected, and the loss reported.
   */
  abandon(reason: ExitReason): void {
    this.running = false;
    this.exitReason = reason;
    this.epoch++;
    this.cancelTick();
    const lost = this.pending;
    if (lost === 0) return;
    const error = new BatcherStoppedError(this.label, reason, lost);
    for (const entry of this.buffer.entries()) settle(entry.waiters, error);
    for (const batch of this.queue) {
      if (typeof batch.retryRef === "object") this.system?.cancelTimer(batch.retryRef);
      for (const entry of batch.entries) settle(entry.waiters, error);
    }
    this.buffer.clear();
    this.queue.length = 0;
    this.queued = 0;
    this.counters.lost += lost;
    this.system?.report({
      kind: "callback",
      callback: `batcher ${this.label}`,
      reason: error,
      stack: undefined,
    });
  }
}

function settle(waiters: Waiter[] | undefined, error: unknown): void {
  if (waiters === undefined) return;
  for (const waiter of waiters) {
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}
