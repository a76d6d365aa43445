/**
 * Named errors of {@linkcode Histogram}.
 *
 * @module
 */

/**
 * A {@linkcode Histogram} was used after `free()` released its memory.
 *
 * @example Using a freed histogram
 * ```ts
 * import { Histogram, HistogramFreedError } from "@beamlet/beamlet/metrics";
 *
 * const latency = new Histogram();
 * latency.free();
 * try {
 *   latency.record(1);
 * } catch (error) {
 *   if (error instanceof HistogramFreedError) console.log(error.operation); // "record"
 * }
 * ```
 */
export class HistogramFreedError extends Error {
  /** The method that was called on the freed histogram, e.g. `"record"`. */
  readonly operation: string;

  /** Built by every `Histogram` method called after `free()`. */
  constructor(operation: string, options?: ErrorOptions) {
    super(`histogram: ${operation} called after free()`, options);
    this.name = "HistogramFreedError";
    this.operation = operation;
  }
}
