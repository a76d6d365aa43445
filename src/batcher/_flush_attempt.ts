/**
 * One attempt at flushing a batch (internal): the user's flush function,
 * raced against `flushTimeout` on the system clock, its throw or rejection
 * caught as the attempt's failure.
 *
 * @module
 */

import { THEN_THREW, thenError, thenOf } from "../_thenable.ts";
import type { Batch, BatcherCore } from "./_batcher_core.ts";
import { FlushTimeoutError } from "./errors.ts";
import type { FlushInfo } from "./options.ts";

/** How an attempt ended: `error` is set when it failed. */
export type AttemptOutcome = { readonly failed: false } | {
  readonly failed: true;
  readonly error: unknown;
};

const SUCCEEDED: AttemptOutcome = Object.freeze({ failed: false });

/** Runs the next attempt of `batch` (counted); settles when it succeeded, failed or timed out. */
export function attemptFlush<T>(core: BatcherCore<T>, batch: Batch<T>): Promise<AttemptOutcome> {
  const system = core.system!;
  batch.attempts++;
  if (batch.attempts === 1) batch.startedAt = system.now();
  else core.counters.retries++;
  const { flush, flushTimeout } = core.config;
  const controller = new AbortController();
  const info: FlushInfo = {
    batcher: core.label,
    trigger: batch.trigger,
    attempt: batch.attempts,
    signal: controller.signal,
  };
  let result: unknown;
  try {
    result = flush(batch.entries.map((entry) => entry.item), info);
  } catch (error) {
    return Promise.resolve({ failed: true, error });
  }
  const then = thenOf(result);
  if (then === THEN_THREW) return Promise.resolve({ failed: true, error: thenError() });
  if (then === undefined) return Promise.resolve(SUCCEEDED);
  return new Promise<AttemptOutcome>((resolve) => {
    let done = false;
    let timer: ReturnType<typeof system.setTimer> | undefined;
    const finish = (outcome: AttemptOutcome) => {
      if (done) return;
      done = true;
      if (timer !== undefined) system.cancelTimer(timer);
      resolve(outcome);
    };
    if (flushTimeout !== Infinity) {
      timer = system.setTimer(flushTimeout, () => {
        timer = undefined;
        const error = new FlushTimeoutError(core.label, flushTimeout);
        finish({ failed: true, error });
        try {
          controller.abort(error);
        } catch {
          // An abort listener that throws is the flush's own business.
        }
      });
    }
    try {
      (then as (ok: (v: unknown) => void, ko: (e: unknown) => void) => unknown).call(
        result,
        () => finish(SUCCEEDED),
        (error: unknown) => finish({ failed: true, error }),
      );
    } catch (error) {
      finish({ failed: true, error });
    }
  });
}
