/**
 * Which option values must be accepted, which refused, and which the runtime
 * may decide (private: not a test file). The rule: timeouts are
 * finite values within the timer wheel's range or `Infinity` for none;
 * anything else is a TypeError or RangeError before anything is delivered or
 * registered.
 *
 * @module
 */

import fc from "fast-check";
import { MAX_TIMER_DELAY } from "../../src/core/core.ts";
import { describeHostile, type Hostile, hostileNumberLike, make } from "./_hostile.ts";

/** Must be accepted, must be refused, or may be either (then it must work, or leave nothing). */
export type Validity = "valid" | "invalid" | "either";

/**
 * Delays up to here are within range wherever the clock stands; between here
 * and {@linkcode MAX_TIMER_DELAY} it depends on the clock: either is right.
 */
export const SAFE_DELAY = 2 ** 35;

/** A timeout: a finite number of ms >= 0 within range, or (when `infinity`) `Infinity`. */
export function timeoutValidity(value: unknown, infinity: boolean): Validity {
  if (typeof value !== "number" || Number.isNaN(value)) return "invalid";
  if (value === Infinity) return infinity ? "valid" : "invalid";
  if (!(value >= 0)) return "invalid";
  if (value <= SAFE_DELAY) return "valid";
  return value > MAX_TIMER_DELAY ? "invalid" : "either";
}

/** The strictest of several validities. */
export function combine(...validities: Validity[]): Validity {
  if (validities.includes("invalid")) return "invalid";
  return validities.includes("either") ? "either" : "valid";
}

/** An option value: absent, sane, or hostile. */
export type OptionValue = { readonly kind: "absent" } | { readonly kind: "sane" } | Hostile;

/** An option value generator: absent or sane half the time, hostile otherwise. */
export function optionValue(
  hostileArb: fc.Arbitrary<Hostile> = hostileNumberLike(),
): fc.Arbitrary<OptionValue> {
  return fc.oneof(
    { arbitrary: fc.constant({ kind: "absent" as const }), weight: 1 },
    { arbitrary: fc.constant({ kind: "sane" as const }), weight: 1 },
    { arbitrary: hostileArb, weight: 2 },
  );
}

/** Builds an option value (`sane` given by the caller); `absent` is `undefined`. */
export function makeOption(value: OptionValue, sane: unknown): unknown {
  if (value.kind === "absent") return undefined;
  if (value.kind === "sane") return sane;
  return make(value);
}

/** An option value, in words. */
export function describeOption(value: OptionValue, sane: unknown): string {
  if (value.kind === "absent") return "absent";
  if (value.kind === "sane") return `${JSON.stringify(sane)} (sane)`;
  return describeHostile(value);
}
