/**
 * Named errors of the Batcher: why an item was refused, why a flush failed.
 *
 * @module
 */

import { type ExitReason, formatReason } from "../exit_reason.ts";
import type { FlushTrigger } from "./options.ts";

/**
 * The base of the Batcher's errors: `batcher` names the batcher (its
 * registered name, or its pid printed).
 *
 * @example Telling a Batcher's errors apart from others
 * ```ts
 * import { BatcherError, BatcherFullError } from "@beamlet/beamlet/batcher";
 *
 * const error: unknown = new BatcherFullError("writes", 10_000);
 * console.log(error instanceof BatcherError); // true
 * ```
 */
export class BatcherError extends Error {
  /** The batcher (its name, or its pid printed). */
  readonly batcher: string;

  /** Built by the Batcher. */
  constructor(batcher: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BatcherError";
    this.batcher = batcher;
  }
}

/**
 * An item was refused because the batcher already holds `maxPending` items
 * not yet flushed (its bound). Counted in `stats().refused`.
 *
 * @example
 * ```ts
 * import { BatcherFullError } from "@beamlet/beamlet/batcher";
 *
 * const error = new BatcherFullError("writes", 2);
 * console.log(error.maxPending, error.message); // 2 "batcher writes is full: 2 items pending"
 * ```
 */
export class BatcherFullError extends BatcherError {
  /** `"overloaded"`, as a refusing mailbox. */
  readonly code = "overloaded";
  /** The bound. */
  readonly maxPending: number;

  /** Built by `add` / `addAndWait` at the bound. */
  constructor(batcher: string, maxPending: number) {
    super(batcher, `batcher ${batcher} is full: ${maxPending} items pending`);
    this.name = "BatcherFullError";
    this.maxPending = maxPending;
  }
}

/**
 * An item was refused because the batcher's `key` (or `merge`) function threw
 * on it: `cause` is what it threw. Counted in `stats().refused`.
 *
 * @example
 * ```ts
 * import { BatcherItemError } from "@beamlet/beamlet/batcher";
 *
 * const error = new BatcherItemError("writes", "key", new TypeError("no id"));
 * console.log(error.step, (error.cause as Error).message); // "key" "no id"
 * ```
 */
export class BatcherItemError extends BatcherError {
  /** Which function threw. */
  readonly step: "key" | "merge";

  /** Built by `add` / `addAndWait` when `key` or `merge` throws. */
  constructor(batcher: string, step: "key" | "merge", cause: unknown) {
    super(batcher, `batcher ${batcher}: its ${step} function threw: ${formatReason(cause)}`, {
      cause,
    });
    this.name = "BatcherItemError";
    this.step = step;
  }
}

/**
 * The batcher is not running: an item added to it is refused (counted in
 * `stats().refused`), or — when its process was killed, which runs no
 * `terminate` — an item it had accepted and not flushed is lost (counted in
 * `stats().lost`, its `addAndWait` rejected with this error). `reason` is the
 * process's exit reason when known.
 *
 * @example
 * ```ts
 * import { BatcherStoppedError } from "@beamlet/beamlet/batcher";
 *
 * const error = new BatcherStoppedError("writes", "killed");
 * console.log(error.reason, error.message); // "killed" "batcher writes is not running (killed)"
 * ```
 */
export class BatcherStoppedError extends BatcherError {
  /** The exit reason of its process, if it has exited. */
  readonly reason: ExitReason | undefined;
  /** Accepted items lost with it (0 when this error is a refusal). */
  readonly lost: number;

  /** Built by the Batcher. */
  constructor(batcher: string, reason?: ExitReason, lost = 0) {
    super(
      batcher,
      `batcher ${batcher} is not running${
        reason === undefined ? "" : ` (${formatReason(reason)})`
      }${lost > 0 ? `: ${lost} accepted item${lost === 1 ? "" : "s"} lost` : ""}`,
    );
    this.name = "BatcherStoppedError";
    this.reason = reason;
    this.lost = lost;
  }
}

/**
 * A flush did not settle within `flushTimeout` ms: that attempt failed (the
 * flush's `info.signal` is aborted with this error).
 *
 * @example
 * ```ts
 * import { FlushTimeoutError } from "@beamlet/beamlet/batcher";
 *
 * console.log(new FlushTimeoutError("writes", 30_000).message); // "batcher writes: flush did not settle within 30000 ms"
 * ```
 */
export class FlushTimeoutError extends BatcherError {
  /** `"timeout"`. */
  readonly code = "timeout";
  /** The `flushTimeout`, ms. */
  readonly timeout: number;

  /** Built when a flush outlasts `flushTimeout`. */
  constructor(batcher: string, timeout: number) {
    super(batcher, `batcher ${batcher}: flush did not settle within ${timeout} ms`);
    this.name = "FlushTimeoutError";
    this.timeout = timeout;
  }
}

/**
 * A batch could not be flushed: its last attempt threw, rejected or timed out
 * (`cause`), and no retry was left. Reported through the system's logger,
 * executed as `beamlet.batcher.flush` with `ok: false`, its items counted in
 * `stats().failed`, and every `addAndWait` of its items rejected with it.
 *
 * @example
 * ```ts
 * import { BatchFlushError } from "@beamlet/beamlet/batcher";
 *
 * const error = new BatchFlushError("writes", 100, 3, "size", new Error("db down"));
 * console.log(error.items, error.attempts, error.trigger); // 100 3 "size"
 * ```
 */
export class BatchFlushError extends BatcherError {
  /** Items in the batch. */
  readonly items: number;
  /** Attempts made. */
  readonly attempts: number;
  /** What started the flush of this batch. */
  readonly trigger: FlushTrigger;

  /** Built when a batch's last attempt fails. */
  constructor(
    batcher: string,
    items: number,
    attempts: number,
    trigger: FlushTrigger,
    cause: unknown,
  ) {
    super(
      batcher,
      `batcher ${batcher}: flush of ${items} items failed after ${attempts} attempt${
        attempts === 1 ? "" : "s"
      }: ${formatReason(cause)}`,
      { cause },
    );
    this.name = "BatchFlushError";
    this.items = items;
    this.attempts = attempts;
    this.trigger = trigger;
  }
}
