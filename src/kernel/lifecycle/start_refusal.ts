/**
 * A start refused inside a process (internal): the caller is told through
 * the Promise `ctx.start` returned, or by its own crash, as it chose.
 *
 * OTP raises `system_limit` (or `badarg`) in the process that called
 * `spawn`. A Promise cannot raise into its caller, and a rejection nobody
 * handles ends the host (Node and Deno exit, Bun stalls). So a refused start
 * returns a {@linkcode RefusedStart}: a rejected Promise, already marked
 * handled for the host, that notes whether the caller attached a handler
 * (`await`, `then`, `catch`, `finally`, `Promise.all`, ... all call `then`).
 * One host turn later (a macrotask: every microtask chain of the caller has
 * run by then), a refusal nobody observed crashes the caller with the error
 * as its exit reason, reported like any crash.
 *
 * Only refusals pay for this: a start that spawns returns its plain Promise.
 *
 * ```
 *   ctx.start ──▶ startFrom ──▶ spawned: Promise (plain) ───────────────▶ caller
 *                          └──▶ refused: RefusedStart (handled for the host)
 *                                  │ next macrotask
 *                                  ├─ observed: nothing more (the caller has the rejection)
 *                                  └─ not observed: the caller crashes with the error
 * ```
 *
 * @module
 */

import { Life, type Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";
import { crash, finalize } from "./exit.ts";
import { abandonPark } from "./park.ts";

const ignore = (): void => {};
const promiseThen = Promise.prototype.then;

/**
 * Marks a start Promise's rejection handled for the host (no unhandled
 * rejection ends it) without calling an overridden `then`, so that it does
 * not count as its caller's observation.
 */
export function markHandled(promise: Promise<unknown>): void {
  promiseThen.call(promise, undefined, ignore);
}

/**
 * A rejected start Promise that remembers whether a handler was attached.
 * Promises it derives (`then`, `catch`) are plain Promises.
 */
export class RefusedStart<T> extends Promise<T> {
  /** Whether anything attached a handler: then the caller has the rejection. */
  observed = false;

  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.observed = true;
    return super.then(onFulfilled, onRejected);
  }
}

/**
 * The start `caller` asked for is refused with `error`: a rejected
 * {@linkcode RefusedStart}, and a check one host turn later that crashes
 * `caller` unless it observed the rejection. The pending check counts as
 * work in flight, so `runUntilIdle` waits for it.
 */
export function refuseStart(rt: Runtime, caller: Process, error: unknown): Promise<never> {
  let reject!: (error: unknown) => void;
  const refusal = new RefusedStart<never>((_resolve, rejectIt) => reject = rejectIt);
  reject(error);
  // Handled for the host, without counting as the caller's observation.
  markHandled(refusal);
  // What the caller was running when it asked: the crash report's callback and message.
  const callback = caller.callback ?? "start";
  const message = caller.message;
  rt.inFlight++;
  setTimeout(() => settle(rt, caller, refusal, error, callback, message), 0);
  return refusal;
}

/** The check: an unobserved refusal crashes its caller, as a raise in the caller would. */
function settle(
  rt: Runtime,
  caller: Process,
  refusal: RefusedStart<never>,
  error: unknown,
  callback: string,
  message: unknown,
): void {
  rt.inFlight--;
  rt.sched.settled++;
  if (!refusal.observed && caller.life !== Life.Dead) {
    // A callback still awaiting is the code that "raised": its later settlement is ignored.
    abandonPark(rt, caller);
    const previous = rt.current;
    rt.current = caller;
    try {
      crash(rt, caller, callback, message, error);
    } catch (second) {
      finalize(rt, caller, second);
    } finally {
      rt.current = previous;
    }
  }
  rt.ports.notifyIdle(rt);
}
