/**
 * The slot-limit option both cores take (internal), checked in one place so
 * they accept and refuse exactly the same values.
 *
 * @module
 */

import { MAX_BOUND } from "./core.ts";

/** `limit`, or the default (2^30); a RangeError (naming `owner`) unless an integer in 1..2^30. */
export function slotLimitOf(limit: number | undefined, owner: string): number {
  const value = limit ?? MAX_BOUND;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_BOUND) {
    throw new RangeError(
      `${owner}: slotLimit must be an integer in 1..${MAX_BOUND}, got ${String(value)}`,
    );
  }
  return value;
}
