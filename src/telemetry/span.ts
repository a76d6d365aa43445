/**
 * What a span's function can set for its stop event.
 *
 * @module
 */

import type { Metadata } from "./types.ts";

/**
 * Handed to the function run by `Telemetry.span`: set `metadata` (starts as
 * the span's start metadata) and add `measurements` for the `stop` event.
 * This replaces `:telemetry.span`'s `{Result, StopMetadata}` return tuple, so
 * the function returns its plain result and `span` returns it unchanged.
 * The `exception` event carries the start metadata, as in `:telemetry`.
 *
 * @example Adding the result size to the stop event
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 *
 * const telemetry = new Telemetry();
 * const rows = telemetry.span(["app", "query"], { table: "users" }, (stop) => {
 *   const rows = ["ada", "grace"];
 *   stop.metadata = { ...stop.metadata, rows: rows.length };
 *   stop.measurements.rows = rows.length;
 *   return rows;
 * });
 * console.log(rows.length); // 2
 * ```
 */
export interface SpanStop {
  /** Metadata of the `stop` event; starts as the start metadata. */
  metadata: Metadata;
  /** Extra measurements of the `stop` event, merged after `duration` / `monotonic_time`. */
  measurements: Record<string, number>;
}
