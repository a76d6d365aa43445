/**
 * Reading a thenable's `then` once, safely (internal): a Promise adopts any
 * object or function with a `then` method, so the kernel does too, and a
 * `then` getter that throws is an answer, not an escape.
 *
 * @module
 */

/** What reading a result's `then` threw (see {@linkcode thenOf}). */
let lastThenError: unknown = undefined;

/** What reading `then` threw, the last time {@linkcode thenOf} answered THEN_THREW. */
export function thenError(): unknown {
  return lastThenError;
}
/** {@linkcode thenOf}: reading `then` threw; the error is in `thenError`. */
export const THEN_THREW: unique symbol = Symbol("then threw");

/**
 * A result's `then` method if it is a thenable (read once: a getter runs
 * once), undefined if it is not, or THEN_THREW when reading it threw.
 */
export function thenOf(value: unknown): ((...args: unknown[]) => unknown) | undefined | symbol {
  // A Promise adopts any object or function with a `then` method: so do we.
  if ((typeof value !== "object" || value === null) && typeof value !== "function") {
    return undefined;
  }
  let then: unknown;
  try {
    then = (value as { then?: unknown }).then;
  } catch (error) {
    lastThenError = error;
    return THEN_THREW;
  }
  return typeof then === "function" ? then as (...args: unknown[]) => unknown : undefined;
}
