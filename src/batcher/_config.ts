/**
 * The Batcher's options, checked once and frozen into a config (internal).
 *
 * @module
 */

import { describeValue } from "../_inspect.ts";
import { checkOptionsObject, readOptions, timeoutOf } from "../_options.ts";
import { MAX_TIMEOUT_MS } from "../options.ts";
import type { BatcherOptions, FlushInfo } from "./options.ts";

const DEFAULT_MAX_PENDING = 10_000;
const DEFAULT_FLUSH_TIMEOUT = 30_000;

/** The checked options. */
export interface BatcherConfig<T> {
  readonly name: string | undefined;
  readonly maxItems: number;
  readonly interval: number;
  readonly flush: (items: T[], info: FlushInfo) => unknown;
  readonly key: ((item: T) => unknown) | undefined;
  readonly merge: ((older: T, newer: T) => T) | undefined;
  readonly attempts: number;
  readonly backoff: number | ((failedAttempt: number) => number);
  readonly maxPending: number;
  readonly flushTimeout: number;
}

/** Checks `options` (TypeError / RangeError naming the option) and fills in the defaults. */
export function checkConfig<T>(
  where: string,
  options: BatcherOptions<T, unknown>,
): BatcherConfig<T> {
  checkOptionsObject(`${where}: options`, options);
  return readOptions(`${where}: options`, () => readConfig(where, options));
}

function readConfig<T>(where: string, options: BatcherOptions<T, unknown>): BatcherConfig<T> {
  const { name, maxItems, interval, flush, key, merge, retry } = options;
  if (name !== undefined && (typeof name !== "string" || name.length === 0)) {
    throw new TypeError(`${where}: name must be a non-empty string, got ${describeValue(name)}`);
  }
  checkPositiveInteger(where, "maxItems", maxItems, false);
  if (typeof interval !== "number") {
    throw new TypeError(
      `${where}: interval must be a number of ms, got ${describeValue(interval)}`,
    );
  }
  if (!(interval > 0 && interval <= MAX_TIMEOUT_MS)) {
    throw new RangeError(
      `${where}: interval must be a number of ms in (0, ${MAX_TIMEOUT_MS}], got ${interval}`,
    );
  }
  if (typeof flush !== "function") {
    throw new TypeError(`${where}: flush must be a function, got ${describeValue(flush)}`);
  }
  if (key !== undefined && typeof key !== "function") {
    throw new TypeError(`${where}: key must be a function, got ${describeValue(key)}`);
  }
  if (merge !== undefined && typeof merge !== "function") {
    throw new TypeError(`${where}: merge must be a function, got ${describeValue(merge)}`);
  }
  if (merge !== undefined && key === undefined) {
    throw new TypeError(`${where}: merge needs key (items are merged per key)`);
  }
  let attempts = 1;
  let backoff: BatcherConfig<T>["backoff"] = 0;
  if (retry !== undefined) {
    checkOptionsObject(`${where}: retry`, retry);
    attempts = checkPositiveInteger(where, "retry.attempts", retry.attempts, false);
    const given = retry.backoff ?? 0;
    if (typeof given === "number") {
      if (!(given >= 0 && given <= MAX_TIMEOUT_MS)) {
        throw new RangeError(
          `${where}: retry.backoff must be a number of ms in 0..${MAX_TIMEOUT_MS}, got ${given}`,
        );
      }
    } else if (typeof given !== "function") {
      throw new TypeError(
        `${where}: retry.backoff must be a number of ms or a function, got ${describeValue(given)}`,
      );
    }
    backoff = given;
  }
  const maxPending = options.maxPending === undefined
    ? DEFAULT_MAX_PENDING
    : checkPositiveInteger(where, "maxPending", options.maxPending, true);
  const flushTimeout = timeoutOf(
    `${where}: flushTimeout`,
    options.flushTimeout,
    DEFAULT_FLUSH_TIMEOUT,
  );
  if (flushTimeout === 0) throw new RangeError(`${where}: flushTimeout must be > 0, got 0`);
  return Object.freeze({
    name,
    maxItems,
    interval,
    flush,
    key,
    merge,
    attempts,
    backoff,
    maxPending,
    flushTimeout,
  });
}

function checkPositiveInteger(
  where: string,
  what: string,
  value: unknown,
  infinity: boolean,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${where}: ${what} must be a positive integer, got ${describeValue(value)}`,
    );
  }
  if (infinity && value === Infinity) return value;
  if (!(Number.isSafeInteger(value) && value >= 1)) {
    throw new RangeError(
      `${where}: ${what} must be a positive integer${infinity ? " or Infinity" : ""}, got ${value}`,
    );
  }
  return value;
}

/** The ms to wait before retrying after attempt `failed` failed: a bad backoff result waits 0. */
export function backoffAfter<T>(config: BatcherConfig<T>, failed: number): number {
  const { backoff } = config;
  let ms: unknown = backoff;
  if (typeof backoff === "function") {
    try {
      ms = backoff(failed);
    } catch {
      ms = 0;
    }
  }
  return typeof ms === "number" && ms >= 0 && ms <= MAX_TIMEOUT_MS ? ms : 0;
}
