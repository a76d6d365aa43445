/**
 * Event names as Map keys for bookkeeping (attach, detach, dedupe); never
 * built on the hot path, where `execute` walks a trie of segments instead (a
 * joined key cost ~100 ns a miss: a string built and hashed per call). An
 * event is keyed by its segments joined with U+0000, refused in segments at
 * attach time, so two attachable events never share a key.
 *
 * @module
 */

import type { TelemetryEvent } from "./types.ts";

const SEPARATOR = "\u0000";

/** The bookkeeping key of a checked event. */
export function eventKey(event: TelemetryEvent): string {
  return event.length === 1 ? event[0] : event.join(SEPARATOR);
}

/**
 * Checks an event name fully (attach time, not the hot path) and returns a
 * frozen copy. `allowEmpty` is for prefixes (`listHandlers`).
 */
export function checkEvent(
  where: string,
  what: string,
  event: unknown,
  allowEmpty = false,
): TelemetryEvent {
  if (!Array.isArray(event)) {
    throw new TypeError(`${where}: ${what} must be an array of strings, got ${describe(event)}`);
  }
  if (event.length === 0 && !allowEmpty) {
    throw new TypeError(`${where}: ${what} must be a non-empty array of strings, got []`);
  }
  for (let i = 0; i < event.length; i++) {
    const segment: unknown = event[i];
    if (typeof segment !== "string" || segment.length === 0) {
      throw new TypeError(
        `${where}: ${what}[${i}] must be a non-empty string, got ${describe(segment)}`,
      );
    }
    if (segment.includes(SEPARATOR)) {
      throw new TypeError(`${where}: ${what}[${i}] must not contain U+0000`);
    }
  }
  return Object.freeze([...event]);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return value === null ? "null" : typeof value;
}
