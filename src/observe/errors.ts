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
 * import { System } from "@beamlet/beamlet";
 * import { ProcessTableWalker, WalkerClosedError } from "@beamlet/beamlet/observe";
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

/**
 * A request to the observation layer that is malformed (an event prefix
 * that is not dotted segments, too many prefixes, a process id that is not
 * a serial number). An adapter answers it as a client error (HTTP 400).
 *
 * @example An adapter telling a bad request apart
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { MalformedObserveRequestError, SystemObserver } from "@beamlet/beamlet/observe";
 *
 * const observer = new SystemObserver(new System());
 * try {
 *   observer.processDetail("not-a-number");
 * } catch (error) {
 *   console.log(error instanceof MalformedObserveRequestError); // true
 * }
 * observer.close();
 * ```
 */
export class MalformedObserveRequestError extends Error {
  /** Built with a short message that is safe to show the client. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MalformedObserveRequestError";
  }
}

/**
 * No live process has the process id asked for. An adapter answers it as
 * "not found" (HTTP 404).
 *
 * @example An adapter answering "not found"
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { ProcessNotFoundError, SystemObserver } from "@beamlet/beamlet/observe";
 *
 * const observer = new SystemObserver(new System());
 * try {
 *   observer.processDetail("999999");
 * } catch (error) {
 *   console.log(error instanceof ProcessNotFoundError); // true
 * }
 * observer.close();
 * ```
 */
export class ProcessNotFoundError extends Error {
  /** The process id asked for. */
  readonly id: string;

  /** Built when no live process has `id`. */
  constructor(id: string, options?: ErrorOptions) {
    super("no such process", options);
    this.name = "ProcessNotFoundError";
    this.id = id;
  }
}
