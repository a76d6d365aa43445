/**
 * Running a user callback that may return a value or a Promise (internal):
 * synchronous results are used at once (no microtask per message), a
 * thenable is awaited, and a throw, a rejection or a `then` that throws all
 * come back as a failure.
 *
 * @module
 */

import { THEN_THREW, thenError, thenOf } from "../_thenable.ts";

/** A value or a Promise of it. */
export type Maybe<T> = T | Promise<T>;

/** Calls `call`, then `onValue` or `onError` with its outcome: synchronously when it was synchronous. */
export function settle<R>(
  call: () => unknown,
  onValue: (value: unknown) => R,
  onError: (error: unknown) => R,
): R | Promise<Awaited<R>> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return onError(error);
  }
  const then = thenOf(result);
  if (then === undefined) return onValue(result);
  if (then === THEN_THREW) return onError(thenError());
  return Promise.resolve(result as PromiseLike<unknown>).then(onValue, onError) as Promise<
    Awaited<R>
  >;
}

/** Whether `value` is a Promise this module made. */
export function isPromise<T>(value: Maybe<T>): value is Promise<T> {
  return value instanceof Promise;
}
