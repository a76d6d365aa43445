/**
 * Named errors of the observation layer.
 *
 * @module
 */

/**
 * A {@linkcode ProcessTableWalker} was asked for a snapshot after it was
 * closed (its `signal` aborted, or `close()` was called) before it had
 * completed a single pass: there is nothing to answer with.
 *
 * @example Telling a closed walker apart
 * ```ts
 * import { ProcessTableWalker, System, WalkerClosedError } from "@beamlet/beamlet";
 *
 * const walker = new ProcessTableWalker(new System());
 * walker.close();
 * await walker.snapshot().catch((error) => {
 *   if (error instanceof WalkerClosedError) console.log(error.message); // "process table walker closed"
 * });
 * ```
 */
export class WalkerClosedError extends Error {
  /** Built by the walker when a snapshot is asked of it once closed. */
  constructor(options?: ErrorOptions) {
    super("process table walker closed", options);
    this.name = "WalkerClosedError";
  }
}
