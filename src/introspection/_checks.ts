/**
 * Argument checks shared by the introspection tools (internal).
 *
 * @module
 */

import { UnknownAttributeError } from "./errors.ts";
import { PROCESS_ATTRIBUTES, type ProcessAttribute } from "./process_attribute.ts";

/** Throws an {@linkcode UnknownAttributeError} unless `attribute` is a {@linkcode ProcessAttribute}. */
export function checkAttribute(where: string, attribute: unknown): ProcessAttribute {
  if (!PROCESS_ATTRIBUTES.includes(attribute as ProcessAttribute)) {
    throw new UnknownAttributeError(where, attribute, PROCESS_ATTRIBUTES);
  }
  return attribute as ProcessAttribute;
}

/** Throws a RangeError unless `value` is an integer >= 0 (or Infinity, when allowed). */
export function checkCount(where: string, what: string, value: unknown, infinite = false): number {
  if (
    typeof value !== "number" || value < 0 ||
    !(Number.isInteger(value) || (infinite && value === Infinity))
  ) {
    throw new RangeError(
      `${where}: ${what} must be an integer >= 0${infinite ? " or Infinity" : ""}, got ${
        String(value)
      }`,
    );
  }
  return value;
}

/** Throws a RangeError unless `ms` is a finite number >= 0 (or Infinity, when allowed). */
export function checkMs(where: string, what: string, ms: unknown, infinite = false): number {
  if (typeof ms !== "number" || !(ms >= 0) || (!infinite && !Number.isFinite(ms))) {
    throw new RangeError(
      `${where}: ${what} must be a ${infinite ? "" : "finite "}number of ms >= 0, got ${
        String(ms)
      }`,
    );
  }
  return ms;
}
