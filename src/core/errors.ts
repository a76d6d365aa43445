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
 * The name of a {@linkcode CoreCode} value, or `"Unknown(<n>)"`.
 *
 * @example Naming a code
 * ```ts
 * import { CoreCode, coreCodeName } from "@beamlet/beamlet";
 *
 * coreCodeName(CoreCode.Full); // "Full"
 * ```
 */
export function coreCodeName(code: number): string {
  return NAMES.get(code) ?? `Unknown(${code})`;
}

/**
 * A core call failed with a negative {@linkcode CoreCode}.
 *
 * @example Catching a refused message
 * ```ts
 * import { CoreCode, CoreError, createCore, expectOk, Overflow, Priority } from "@beamlet/beamlet";
 *
 * const core = createCore();
 * const id = core.spawn(1, 1, Overflow.Reject, Priority.Normal);
 * expectOk(core.enqueue(id), "enqueue");
 * try {
 *   expectOk(core.enqueue(id), "enqueue");
 * } catch (error) {
 *   if (error instanceof CoreError && error.code === CoreCode.Full) console.log("refused");
 * }
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
 *
 * @example Spawning or throwing
 * ```ts
 * import { createCore, expectOk, Overflow, Priority } from "@beamlet/beamlet";
 *
 * const core = createCore();
 * const id = expectOk(core.spawn(4, 100, Overflow.Reject, Priority.Normal), "spawn");
 * ```
 */
export function expectOk(result: number, operation: string): number {
  if (result < 0) throw new CoreError(result, operation);
  return result;
}
