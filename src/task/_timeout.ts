/**
 * Timeout argument checks of the task API (internal).
 *
 * @module
 */

/** A timeout in ms: a number >= 0, or `Infinity`. */
export function checkTimeout(timeout: unknown, who: string): void {
  if (typeof timeout !== "number" || !(timeout >= 0)) {
    throw new RangeError(
      `${who}: timeout must be a number of ms >= 0 or Infinity, got ${String(timeout)}`,
    );
  }
}
