/**
 * Named errors of the testing helpers.
 *
 * @module
 */

/**
 * The default reason of a crash injected with {@linkcode TestSystem.crashAt}.
 *
 * @example Recognising an injected crash in the reports
 * ```ts
 * import { createTestSystem, InjectedCrashError } from "@beamlet/beamlet/testing";
 * import { noreply, ok } from "@beamlet/beamlet";
 *
 * const t = createTestSystem();
 * const pid = await t.start({ init: () => ok(0), handleCast: (_m, n: number) => noreply(n + 1) });
 * t.crashAt(pid, 1);
 * t.system.cast(pid, "boom");
 * await t.runUntilIdle();
 * console.log(t.reports[0].reason instanceof InjectedCrashError); // true
 * ```
 */
export class InjectedCrashError extends Error {
  /** The process made to crash, as text. */
  readonly target: string;
  /** Which of its next messages it crashed on (1 = the next one). */
  readonly atMessage: number;

  /** Built by `crashAt` when no reason is given. */
  constructor(target: string, atMessage: number) {
    super(`injected crash of ${target} at its message #${atMessage}`);
    this.name = "InjectedCrashError";
    this.target = target;
    this.atMessage = atMessage;
  }
}

/**
 * An operation a test helper drove to completion did not complete: the
 * system ran until idle and the Promise was still pending (a `noreply`
 * waiting for a timer, a caller waiting on another one, a reply that never
 * comes). Move time with `advance`, or await the system's own Promise.
 *
 * @example A call that waits on a timer
 * ```ts
 * import { createTestSystem, NotSettledError } from "@beamlet/beamlet/testing";
 * import { noreply, ok } from "@beamlet/beamlet";
 *
 * const t = createTestSystem();
 * const pid = await t.start({ init: () => ok(0), handleCall: (_r, _f, n: number) => noreply(n) });
 * await t.call(pid, "ping").catch((error) => {
 *   console.log(error instanceof NotSettledError); // true
 * });
 * ```
 */
export class NotSettledError extends Error {
  /** What was pending (`"call"`, `"start"`, `"interleave"`...). */
  readonly operation: string;

  /** Built by the helpers when the system is idle and the operation is still pending. */
  constructor(operation: string, detail: string, options?: ErrorOptions) {
    super(`${operation} did not settle: ${detail}`, options);
    this.name = "NotSettledError";
    this.operation = operation;
  }
}

/**
 * A GenServer did not do what its model predicts: a reply differs, or a
 * command the model accepts failed (a crash, a refused message). Thrown by
 * the model-based helpers of `properties.ts`; fast-check shrinks and prints
 * the command sequence that led to it.
 *
 * @example Catching a model mismatch
 * ```ts
 * import { ModelMismatchError } from "@beamlet/beamlet/testing";
 *
 * const error = new ModelMismatchError("call(\"pop\")", "b", "a");
 * console.log(error.expected, error.actual); // "b" "a"
 * ```
 */
export class ModelMismatchError extends Error {
  /** The command, as printed in the counterexample. */
  readonly command: string;
  /** What the model predicted. */
  readonly expected: unknown;
  /** What the server did (a reply, or the error it failed with). */
  readonly actual: unknown;

  /** Built by the model-based helpers. */
  constructor(
    command: string,
    expected: unknown,
    actual: unknown,
    options?: ErrorOptions & { detail?: string },
  ) {
    super(
      options?.detail ??
        `${command}: the model predicts ${show(expected)}, the server gave ${show(actual)}`,
      options,
    );
    this.name = "ModelMismatchError";
    this.command = command;
    this.expected = expected;
    this.actual = actual;
  }
}

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}
