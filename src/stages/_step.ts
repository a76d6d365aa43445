/**
 * Steps that may be asynchronous (internal): a stage's callbacks may return
 * Promises, so each step returns `void` or a Promise of it and the next one
 * runs after it — synchronously when nothing was a Promise. A stage stops
 * by throwing a {@linkcode StageStop}, which its GenServer turns into a stop
 * result.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";

/** A step: done, or a Promise of done. */
export type Step = void | Promise<void>;

/** Thrown inside a stage to stop it with `reason` (the GenServer wrapper catches it). */
export class StageStop {
  constructor(readonly reason: ExitReason, readonly hasReply = false, readonly reply?: unknown) {}
}

/** Whether a value is a thenable (a Promise adopts it). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

/** Runs `next` on a value or, once settled, on a Promise's value. */
export function then<T>(value: T | PromiseLike<T>, next: (value: T) => Step): Step {
  if (isThenable(value)) return Promise.resolve(value).then(next);
  return next(value as T);
}
