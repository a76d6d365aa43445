/**
 * A rough size in bytes of a table (internal), from a sample of its rows:
 * the figure `info().memory` reports. It follows V8's usual layouts (an array
 * header and 8 bytes a slot, a string header and a byte or two a character,
 * 8 bytes a number) and is meant for comparing tables and watching growth,
 * not for accounting.
 *
 * @module
 */

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
    bytes += estimateBytes(row, 3);
    if (++sampled >= SAMPLE) break;
  }
  const perRow = sampled === 0 ? 0 : bytes / sampled;
  return Math.round(BASE + keys * PER_KEY + size * perRow);
}

/** The estimated bytes of `value`, looking `depth` levels into objects. */
export function estimateBytes(value: unknown, depth: number): number {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "undefined":
    case "symbol":
      return 8;
    case "bigint":
      return 16;
    case "string":
      return 16 + value.length * 2;
    case "function":
      return 64;
  }
  if (value === null) return 8;
  if (depth <= 0) return 32;
  if (Array.isArray(value)) {
    let bytes = 16 + value.length * 8;
    const n = Math.min(value.length, 32);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += estimateBytes(value[i], depth - 1);
    if (n > 0) bytes += (sum / n) * value.length;
    return bytes;
  }
  const keys = Object.keys(value as object);
  let bytes = 24 + keys.length * 16;
  const n = Math.min(keys.length, 32);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += estimateBytes((value as Record<string, unknown>)[keys[i]], depth - 1);
  }
  if (n > 0) bytes += (sum / n) * keys.length;
  return bytes;
}
