/**
 * A host call whose failure is harmless (internal): stopping what may be
 * stopped already.
 *
 * @module
 */

/** Calls a watch's or iterator's `stop`, which may throw once stopped already. */
export function stopQuietly(stop: () => void): void {
  try {
    stop();
  } catch {
    // already stopped
  }
}
