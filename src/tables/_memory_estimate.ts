/**
 * A rough size in bytes of a table (internal), from a sample of its rows:
 * the figure `info().memory` reports. Each sampled row is measured by the
 * shared estimator (`src/_memory_estimate.ts`, which never calls an accessor
 * and survives hostile objects); the table adds its own bookkeeping per key.
 * Meant for comparing tables and watching growth, not for accounting.
 *
 * @module
 */

import { estimateBytes } from "../_memory_estimate.ts";

/** Rows sampled, at most. */
const SAMPLE = 64;
/** Bytes of the table's own bookkeeping per key (map slot, entry, list links). */
const PER_KEY = 64;
/** Bytes of an empty table. */
const BASE = 256;

/** The estimated bytes of a table of `keys` keys and `size` rows, sampling `rows`. */
export function estimateTableBytes(
  keys: number,
  size: number,
  rows: Iterable<readonly unknown[]>,
): number {
  if (size === 0) return BASE;
  let sampled = 0;
  let bytes = 0;
  for (const row of rows) {
    bytes += estimateBytes(row);
    if (++sampled >= SAMPLE) break;
  }
  const perRow = sampled === 0 ? 0 : bytes / sampled;
  return Math.round(BASE + keys * PER_KEY + size * perRow);
}
