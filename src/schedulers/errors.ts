/**
 * Named errors of the codec that carries messages between schedulers as
 * bytes: a value that cannot be encoded, and bytes that cannot be decoded.
 *
 * @module
 */

/**
 * A value cannot cross schedulers: it is (or holds, at `path`) a function, a
 * symbol, or an instance of a class the codec does not know (a WeakMap, a
 * Promise, a class of the program's own...). Such a value only means
 * something inside the JavaScript realm that made it; send plain data
 * instead (objects, arrays, Maps, Sets, Dates, errors, typed arrays, pids).
 * Nothing was encoded: the message buffer is as it was before.
 *
 * @example Sending a function to another scheduler
 * ```ts
 * import { UnencodableError } from "@beamlet/beamlet/schedulers";
 *
 * const error = new UnencodableError("payload.handler", "a function");
 * console.log(error.message); // "payload.handler: a function cannot cross schedulers"
 * console.log(error instanceof TypeError, error.code); // true "unencodable"
 * ```
 */
export class UnencodableError extends TypeError {
  /** `"unencodable"`: what this error is. */
  readonly code = "unencodable";
  /** Where in the value: `payload`, `payload.handler`, `payload[2].from`, ... */
  readonly path: string;
  /** What is there: `a function`, `a symbol`, `an instance of WeakMap`, ... */
  readonly what: string;

  /** Built by the codec when it meets a value it cannot encode. */
  constructor(path: string, what: string, options?: ErrorOptions) {
    super(`${path}: ${what} cannot cross schedulers`, options);
    this.name = "UnencodableError";
    this.path = path;
    this.what = what;
  }
}

/**
 * Bytes given to the codec's reader are not an encoded value: a read past
 * the end of the batch, an unknown tag, or a packed value that does not
 * unpack. The bytes were corrupted, or written by another codec version.
 *
 * @example
 * ```ts
 * import { UndecodableError } from "@beamlet/beamlet/schedulers";
 *
 * const error = new UndecodableError("unknown tag 200 at byte 16");
 * console.log(error.code, error.message); // "undecodable" "unknown tag 200 at byte 16"
 * ```
 */
export class UndecodableError extends Error {
  /** `"undecodable"`: what this error is. */
  readonly code = "undecodable";

  /** Built by the codec's reader when the bytes make no sense. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UndecodableError";
  }
}
