/**
 * The adapter's limits, checked and filled in with their defaults.
 *
 * @module
 */

import type { TelemetryLimits } from "./options.ts";

/** Limits with every default filled in. */
export interface Limits {
  readonly maxPageSize: number;
  readonly maxSseClients: number;
  readonly sseQueueSize: number;
  readonly sseHeartbeatMs: number;
  readonly maxTreeNodes: number;
}

/** Largest `offset` of a page: anything beyond is a malformed request, not a deep page. */
export const MAX_OFFSET = 1_000_000_000;

function integerIn(name: string, value: unknown, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `createTelemetryApp: limits.${name} must be an integer in ${min}..${max}, got ${
        String(value)
      }`,
    );
  }
  return value;
}

/** Checks `limits` and fills in the defaults. */
export function resolveLimits(limits: TelemetryLimits | undefined): Limits {
  if (limits === undefined) limits = {};
  if (typeof limits !== "object" || limits === null) {
    throw new TypeError("createTelemetryApp: limits must be an object");
  }
  return {
    maxPageSize: integerIn("maxPageSize", limits.maxPageSize, 100, 1, 10_000),
    maxSseClients: integerIn("maxSseClients", limits.maxSseClients, 16, 0, 1024),
    sseQueueSize: integerIn("sseQueueSize", limits.sseQueueSize, 256, 1, 65_536),
    sseHeartbeatMs: integerIn("sseHeartbeatMs", limits.sseHeartbeatMs, 15_000, 1, 2 ** 31 - 1),
    maxTreeNodes: integerIn("maxTreeNodes", limits.maxTreeNodes, 1000, 1, 100_000),
  };
}
