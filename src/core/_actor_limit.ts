/**
 * The actor-limit option both cores take (internal), checked in one place so
 * they accept and refuse exactly the same values.
 *
 * @module
 */

import { MAX_ACTORS } from "./core.ts";

/** `limit`, or the default (2^20); a RangeError (naming `owner`) unless an integer in 1..2^20. */
export function actorLimitOf(limit: number | undefined, owner: string): number {
  const value = limit ?? MAX_ACTORS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_ACTORS) {
    throw new RangeError(
      `${owner}: actorLimit must be an integer in 1..${MAX_ACTORS}, got ${String(value)}`,
    );
  }
  return value;
}
