/**
 * Checking and translating client options (internal).
 *
 * @module
 */

import { MAX_BOUND, Overflow, Priority } from "./core/core.ts";
import type { OverflowPolicy, StartOptions } from "./options.ts";

const OVERFLOW_CODES: Record<OverflowPolicy, number> = {
  reject: Overflow.Reject,
  drop_oldest: Overflow.DropOldest,
  drop_newest: Overflow.DropNewest,
};
const PRIORITY_CODES = { high: Priority.High, normal: Priority.Normal, low: Priority.Low } as const;

/** Throws a RangeError unless `ms` is a finite delay >= 0. */
export function checkDelay(operation: string, ms: number): void {
  if (typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms)) {
    throw new RangeError(
      `${operation}: delay must be a finite number of ms >= 0, got ${String(ms)}`,
    );
  }
}

/** Throws a RangeError unless `ms` is >= 0 or Infinity. */
export function checkTimeout(operation: string, ms: number): void {
  if (typeof ms !== "number" || !(ms >= 0)) {
    throw new RangeError(`${operation} must be a number of ms >= 0 or Infinity, got ${String(ms)}`);
  }
}

/** The core `spawn` arguments for `start` options, or a TypeError / RangeError. */
export function spawnArguments(options: StartOptions): [number, number, number, number] {
  const mailbox = options.mailbox ?? {};
  const bound = mailbox.bound ?? Infinity;
  if (bound !== Infinity && (!Number.isInteger(bound) || bound < 1 || bound >= MAX_BOUND)) {
    throw new RangeError(
      `start: mailbox.bound must be an integer in 1..${MAX_BOUND - 1} or Infinity, got ${bound}`,
    );
  }
  const overflow = mailbox.overflow ?? "reject";
  if (!(overflow in OVERFLOW_CODES)) {
    throw new TypeError(
      `start: mailbox.overflow must be "reject", "drop_oldest" or "drop_newest", got ${
        String(overflow)
      }`,
    );
  }
  const capacity = mailbox.initialCapacity ?? 4;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 20) {
    throw new RangeError(
      `start: mailbox.initialCapacity must be an integer in 1..${1 << 20}, got ${capacity}`,
    );
  }
  const priority = options.priority ?? "normal";
  if (!(priority in PRIORITY_CODES)) {
    throw new TypeError(
      `start: priority must be "high", "normal" or "low", got ${String(priority)}`,
    );
  }
  return [
    capacity,
    bound === Infinity ? MAX_BOUND : bound,
    OVERFLOW_CODES[overflow],
    PRIORITY_CODES[priority],
  ];
}

/** A `tracer` option must implement every MessageTracer method. */
export function checkTracer(tracer: unknown): void {
  const t = tracer as Record<string, unknown> | null;
  const missing = ["send", "callEnd", "handleStart", "run", "handleEnd"].filter((method) =>
    typeof t !== "object" || t === null || typeof t[method] !== "function"
  );
  if (missing.length > 0) {
    throw new TypeError(
      `System: tracer must implement MessageTracer; missing ${missing.join(", ")}`,
    );
  }
}
