/**
 * The budget of failed token attempts (internal): fixed windows per client
 * key (one shared key by default), bounded in the keys it remembers.
 * Successes never refill a budget: a legitimate client polling with the
 * right token must not reset an attacker's count.
 *
 * @module
 */

import type { Context } from "hono";
import type { TokenThrottle } from "./options.ts";

/** Keys remembered at once; newer keys beyond share {@linkcode OVERFLOW_KEY}'s budget. */
export const MAX_KEYS = 10_000;
/** The budget of every request when there is no `clientKey` (or it failed). */
export const SHARED_KEY = "";
/** The budget shared by keys beyond {@linkcode MAX_KEYS}. */
export const OVERFLOW_KEY = "\u0000overflow";
/** Characters of a client key kept (longer keys are cut). */
const MAX_KEY_LENGTH = 256;

interface Window {
  readonly startedAt: number;
  failures: number;
}

function integerIn(name: string, value: unknown, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `createTelemetryApp: auth.throttle.${name} must be an integer in ${min}..${max}, got ${
        String(value)
      }`,
    );
  }
  return value;
}

/** Failed attempts per window, per client key. */
export class FailureThrottle {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly #clientKey: ((c: Context) => string) | undefined;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();
  #sweptAt = -Infinity;

  /**
   * Checks `options` (see {@linkcode TokenThrottle}); `now` is the clock
   * windows are measured on.
   *
   * @throws {TypeError} for options that are not an object or a `clientKey` that is not a function.
   * @throws {RangeError} for a budget or window out of range.
   */
  constructor(options: TokenThrottle | undefined, now: () => number) {
    if (options === undefined) options = {};
    if (typeof options !== "object" || options === null) {
      throw new TypeError("createTelemetryApp: auth.throttle must be an object");
    }
    const { clientKey } = options;
    if (clientKey !== undefined && typeof clientKey !== "function") {
      throw new TypeError(
        "createTelemetryApp: auth.throttle.clientKey must be a function (c) => string",
      );
    }
    this.maxFailures = integerIn("maxFailures", options.maxFailures, 20, 1, 1_000_000);
    this.windowMs = integerIn("windowMs", options.windowMs, 60_000, 1, 2 ** 31 - 1);
    this.#clientKey = clientKey;
    this.#now = now;
  }

  /** The budget `c` counts against. */
  keyOf(c: Context): string {
    if (this.#clientKey === undefined) return SHARED_KEY;
    let key: unknown;
    try {
      key = this.#clientKey(c);
    } catch {
      return SHARED_KEY;
    }
    if (typeof key !== "string") return SHARED_KEY;
    const cut = key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
    if (this.#windows.has(cut) || this.#windows.size < MAX_KEYS) return cut;
    this.#sweep();
    return this.#windows.size < MAX_KEYS ? cut : OVERFLOW_KEY;
  }

  /** Ms until `key` may present a token again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const window = this.#current(key);
    if (window === undefined || window.failures < this.maxFailures) return 0;
    return Math.max(1, window.startedAt + this.windowMs - this.#now());
  }

  /** Counts a failed attempt against `key`. */
  fail(key: string): void {
    const window = this.#current(key);
    if (window !== undefined) window.failures++;
    else this.#windows.set(key, { startedAt: this.#now(), failures: 1 });
  }

  /** The window of `key` if it has not ended (an ended one is forgotten). */
  #current(key: string): Window | undefined {
    const window = this.#windows.get(key);
    if (window === undefined) return undefined;
    if (this.#now() - window.startedAt < this.windowMs) return window;
    this.#windows.delete(key);
    return undefined;
  }

  /** Forgets ended windows, at most once per window length (so a flood of new keys stays cheap). */
  #sweep(): void {
    const now = this.#now();
    if (now - this.#sweptAt < this.windowMs) return;
    this.#sweptAt = now;
    for (const [key, window] of this.#windows) {
      if (now - window.startedAt >= this.windowMs) this.#windows.delete(key);
    }
  }
}
