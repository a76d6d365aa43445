/**
 * Where metrics and reporters listen (internal): a `System`'s telemetry —
 * the system first, as every beamlet API takes it — or a bare `Telemetry`.
 *
 * @module
 */

import { Telemetry } from "../telemetry/telemetry.ts";

/** The telemetry of `source`; a TypeError naming `where` for anything else. */
export function telemetryOf(where: string, source: unknown): Telemetry {
  if (source instanceof Telemetry) return source;
  const telemetry = typeof source === "object" && source !== null
    ? (source as { telemetry?: unknown }).telemetry
    : undefined;
  if (telemetry instanceof Telemetry) return telemetry;
  throw new TypeError(`${where}: expected a System or a Telemetry`);
}
