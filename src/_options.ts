/**
 * Checking and translating client options (internal).
 *
 * @module
 */

import { MAX_BOUND, Overflow, Priority } from "./core/core.ts";
import { MAX_TIMEOUT_MS, type OverflowPolicy, type StartOptions } from "./options.ts";
import { describeValue, inspect } from "./_inspect.ts";

const OVERFLOW_CODES: Record<OverflowPolicy, number> = {
  reject: Overflow.Reject,
  drop_oldest: Overflow.DropOldest,
  drop_newest: Overflow.DropNewest,
};
const PRIORITY_CODES = { high: Priority.High, normal: Priority.Normal, low: Priority.Low } as const;

/**
 * A delay (`sendAfter`, `setTimer`): a number of ms in `0..MAX_TIMEOUT_MS`;
 * a TypeError for anything but a number, a RangeError for NaN, a negative,
 * an infinite or a too-large one.
 */
export function checkDelay(operation: string, ms: unknown): number {
  if (typeof ms !== "number") {
    throw new TypeError(`${operation}: delay must be a number of ms, got ${describeValue(ms)}`);
  }
  if (!(ms >= 0 && ms <= MAX_TIMEOUT_MS)) {
    throw new RangeError(
      `${operation}: delay must be a number of ms in 0..${MAX_TIMEOUT_MS}, got ${ms}`,
    );
  }
  return ms;
}

/**
 * A timeout: `fallback` when `ms` is undefined, `Infinity` for none, else a
 * number of ms in `0..MAX_TIMEOUT_MS`; a TypeError for anything but a number
 * (`"100"`, `true`, `[100]`, `100n` mean nothing), a RangeError for NaN, a
 * negative or a finite value past the timer wheel's range. `what` names the
 * option in the message (`"call: timeout"`).
 */
export function timeoutOf(what: string, ms: unknown, fallback: number): number {
  if (ms === undefined) return fallback;
  if (typeof ms !== "number") {
    throw new TypeError(
      `${what} must be a number of ms or Infinity, got ${describeValue(ms)}`,
    );
  }
  if (ms === Infinity) return ms;
  if (!(ms >= 0 && ms <= MAX_TIMEOUT_MS)) {
    throw new RangeError(
      `${what} must be a number of ms in 0..${MAX_TIMEOUT_MS} or Infinity, got ${ms}`,
    );
  }
  return ms;
}

/**
 * Runs `read` (which reads and checks options the caller handed over) and
 * turns whatever else than a TypeError or RangeError it throws — a getter
 * that throws, a Proxy trap — into a TypeError saying `what` could not be
 * read, with the original as its cause.
 */
export function readOptions<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw error;
    throw new TypeError(`${what} could not be read: ${inspect(error, 120)}`, { cause: error });
  }
}

/** Throws unless `value` is an object (options bags: `null` and primitives are refused by name). */
export function checkOptionsObject(what: string, value: unknown): void {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${what} must be an object, got ${describeValue(value)}`);
  }
}

/** The core `spawn` arguments of a process started with neither mailbox nor priority options. */
const DEFAULT_SPAWN: SpawnArguments = Object.freeze(
  [
    4,
    MAX_BOUND,
    OVERFLOW_CODES.reject,
    PRIORITY_CODES.normal,
  ] as const,
);

/** `spawn`'s initial capacity, bound, overflow policy and priority codes. */
export type SpawnArguments = readonly [number, number, number, number];

/**
 * The `expiredCalls` start option: whether the server runs `handleCall` for
 * a call whose caller gave up while it was queued (`"handle"`) rather than
 * skip it (`"skip"`, the default); a TypeError for anything else.
 */
export function handlesExpiredCalls(options: StartOptions): boolean {
  const policy = options.expiredCalls;
  if (policy === undefined || policy === "skip") return false;
  if (policy === "handle") return true;
  throw new TypeError(
    `start: expiredCalls must be "skip" or "handle", got ${describeValue(policy)}`,
  );
}

/** The core `spawn` arguments for `start` options, or a TypeError / RangeError. */
export function spawnArguments(options: StartOptions): SpawnArguments {
  const mailboxOption = options.mailbox;
  const priorityOption = options.priority;
  // Most starts set neither: no options to read, nothing to allocate.
  if (mailboxOption === undefined && priorityOption === undefined) return DEFAULT_SPAWN;
  const mailbox = mailboxOption ?? {};
  checkOptionsObject("start: mailbox", mailbox);
  const bound = mailbox.bound ?? Infinity;
  if (typeof bound !== "number") {
    throw new TypeError(`start: mailbox.bound must be a number, got ${describeValue(bound)}`);
  }
  if (bound !== Infinity && (!Number.isInteger(bound) || bound < 1 || bound >= MAX_BOUND)) {
    throw new RangeError(
      `start: mailbox.bound must be an integer in 1..${MAX_BOUND - 1} or Infinity, got ${bound}`,
    );
  }
  const overflow = mailbox.overflow ?? "reject";
  if (typeof overflow !== "string" || !Object.hasOwn(OVERFLOW_CODES, overflow)) {
    throw new TypeError(
      `start: mailbox.overflow must be "reject", "drop_oldest" or "drop_newest", got ${
        describeValue(overflow)
      }`,
    );
  }
  const capacity = mailbox.initialCapacity ?? 4;
  if (typeof capacity !== "number") {
    throw new TypeError(
      `start: mailbox.initialCapacity must be a number, got ${describeValue(capacity)}`,
    );
  }
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 20) {
    throw new RangeError(
      `start: mailbox.initialCapacity must be an integer in 1..${1 << 20}, got ${capacity}`,
    );
  }
  const priority = priorityOption ?? "normal";
  if (typeof priority !== "string" || !Object.hasOwn(PRIORITY_CODES, priority)) {
    throw new TypeError(
      `start: priority must be "high", "normal" or "low", got ${describeValue(priority)}`,
    );
  }
  return [
    capacity,
    bound === Infinity ? MAX_BOUND : bound,
    OVERFLOW_CODES[overflow as OverflowPolicy],
    PRIORITY_CODES[priority as keyof typeof PRIORITY_CODES],
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
