/**
 * Which telemetry events an event subscription listens to. Telemetry attaches
 * to exact names, so a prefix is expanded over the events known now: the
 * runtime's own (callbacks, processes, mailboxes, scheduler, tables, tasks,
 * supervisors, SLOs, handler failures), every event someone is attached to,
 * and the prefix itself as an event name.
 *
 * @module
 */

import type { Telemetry } from "../telemetry/telemetry.ts";
import type { TelemetryEvent } from "../telemetry/types.ts";
import { EVENT_CATALOG } from "../telemetry/catalog/mod.ts";
import { MalformedObserveRequestError } from "./errors.ts";

/** Prefixes one stream may ask for. */
export const MAX_PREFIXES = 16;
/** Events one stream may listen to. */
export const MAX_EVENTS = 512;

/** The runtime's own events: every declaration of the catalog. */
const BUILT_IN: readonly TelemetryEvent[] = EVENT_CATALOG;

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The `prefix` query values as event prefixes (`"beamlet.call"` →
 * `["beamlet", "call"]`); `["beamlet"]` when none is given.
 *
 * @throws {MalformedObserveRequestError} for a malformed prefix or too many of them.
 */
export function parsePrefixes(values: readonly string[] | undefined): TelemetryEvent[] {
  if (values === undefined || values.length === 0) return [["beamlet"]];
  if (values.length > MAX_PREFIXES) {
    throw new MalformedObserveRequestError(`at most ${MAX_PREFIXES} prefixes`);
  }
  return values.map((value) => {
    const segments = value.split(".");
    if (segments.length > 16 || !segments.every((segment) => SEGMENT.test(segment))) {
      throw new MalformedObserveRequestError("malformed prefix");
    }
    return segments;
  });
}

function startsWith(event: TelemetryEvent, prefix: TelemetryEvent): boolean {
  if (prefix.length > event.length) return false;
  for (let i = 0; i < prefix.length; i++) if (event[i] !== prefix[i]) return false;
  return true;
}

/** The known events under any of `prefixes` (at most {@linkcode MAX_EVENTS}), each once. */
export function eventsUnder(
  telemetry: Telemetry,
  prefixes: readonly TelemetryEvent[],
): TelemetryEvent[] {
  const candidates = [
    ...BUILT_IN,
    ...telemetry.listHandlers().map((handler) => handler.event),
    ...prefixes,
  ];
  const seen = new Set<string>();
  const found: TelemetryEvent[] = [];
  for (const event of candidates) {
    if (found.length >= MAX_EVENTS) break;
    if (!prefixes.some((prefix) => startsWith(event, prefix))) continue;
    const key = event.join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(event);
  }
  return found;
}
