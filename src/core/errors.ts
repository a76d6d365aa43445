/**
 * Turning the core's numeric result codes into named errors, for callers that
 * prefer exceptions to codes (everything off the hot path).
 *
 * @module
 */

import { CoreCode } from "./core.ts";

const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CoreCode).map(([name, code]) => [code, name]),
);

/**
 * The name of a {@linkcode CoreCode} value (`coreCodeName(-2)` is `"Full"`),
 * or `"Unknown(<n>)"`.
 */
export function coreCodeName(code: number): string {
  return NAMES.get(code) ?? `Unknown(${code})`;
}

/**
 * A core call failed with a negative {@linkcode CoreCode}.
 *
 * @example Turning a refused enqueue into an error
 * ```ts
 * import { CoreCode, CoreError, createCore, Overflow, Priority } from "@beamlet/beamlet/core";
 *
 * const core = createCore();
 * const id = core.spawn(1, 1, Overflow.Reject, Priority.Normal);
 * core.enqueue(id); // the mailbox now holds its bound of 1
 * const slot = core.enqueue(id);
 * const error = slot < 0 ? new CoreError(slot, "enqueue") : undefined;
 * console.log(error?.code === CoreCode.Full, error?.codeName); // true "Full"
 * console.log(error?.message); // "core enqueue failed: Full (-2)"
 * ```
 */
export class CoreError extends Error {
  /** The numeric code the core returned. */
  readonly code: number;
  /** The code's name, e.g. `"Stale"`. */
  readonly codeName: string;
  /** The core call that failed, e.g. `"enqueue"`. */
  readonly operation: string;

  /** Makes the error for `code`, returned by the core call `operation`. */
  constructor(code: number, operation: string, options?: ErrorOptions) {
    const codeName = coreCodeName(code);
    super(`core ${operation} failed: ${codeName} (${code})`, options);
    this.name = "CoreError";
    this.code = code;
    this.codeName = codeName;
    this.operation = operation;
  }
}

/**
 * Returns `result` when it is not negative, else throws a {@linkcode CoreError}.
 */
export function expectOk(result: number, operation: string): number {
  if (result < 0) throw new CoreError(result, operation);
  return result;
}
