/**
 * Entry points: `Task.await`, `Task.yield` and `Task.shutdown` timeouts
 * (private: not a test file). A bad timeout is refused with a TypeError or
 * RangeError and leaves the task alone; a good one settles the awaiter by
 * then on the system's clock (virtual time in tests), with the outcome Elixir
 * gives; every table returns to baseline once the task is gone.
 *
 * @module
 */

import fc from "fast-check";
import { Task } from "../../src/task/task.ts";
import { describeHostile, describeValue, type Hostile, hostile, make } from "./_hostile.ts";
import type { EntryPoint } from "./_property.ts";
import { describeError, isNamedError, isValidationError, type Run } from "./_run.ts";
import {
  describeOption,
  makeOption,
  type OptionValue,
  optionValue,
  timeoutValidity,
} from "./_validity.ts";

/** What the task's function does. */
export type TaskWork =
  | { readonly kind: "never" }
  | { readonly kind: "value" }
  | { readonly kind: "throws"; readonly value: Hostile };

/** One input: the work, and the timeout given to the awaiter. */
export interface TaskInput {
  readonly work: TaskWork;
  readonly timeout: OptionValue | { readonly kind: "brutalKill" };
}

type Op = "await" | "yield" | "shutdown";

const SANE_TIMEOUT = 100;

function describeWork(work: TaskWork): string {
  if (work.kind === "never") return "a task that never finishes";
  if (work.kind === "value") return "a task that returns 42";
  return `a task that throws ${describeHostile(work.value)}`;
}

function describeTimeout(timeout: TaskInput["timeout"]): string {
  return timeout.kind === "brutalKill" ? '"brutal_kill"' : describeOption(timeout, SANE_TIMEOUT);
}

async function playTask(run: Run, op: Op, input: TaskInput): Promise<void> {
  const system = run.t.system;
  const empty = run.tables();
  const work = input.work;
  const fn = work.kind === "never"
    ? () => new Promise<never>(() => {})
    : work.kind === "value"
    ? () => 42
    : () => {
      throw make(work.value);
    };
  const spawned = run.track(() => Task.async(system, fn));
  if (!await run.drive(0)) return;
  if (spawned.state !== "fulfilled") {
    run.fail("other", `Task.async failed: ${describeError(spawned.error)}`);
    return;
  }
  const task = spawned.value!;
  const timeout = input.timeout.kind === "brutalKill"
    ? "brutal_kill"
    : makeOption(input.timeout, SANE_TIMEOUT);
  const validity = timeout === undefined || (op === "shutdown" && timeout === "brutal_kill")
    ? "valid"
    : timeoutValidity(timeout, true);
  const aliveBefore = system.isAlive(task.pid);
  // Results are boxed: a task's value must not be adopted by the harness.
  const awaited = run.track(() => {
    const t = timeout as number;
    const p: Promise<unknown> = op === "await"
      ? (timeout === undefined ? Task.await(task) : Task.await(task, t))
      : op === "yield"
      ? (timeout === undefined ? Task.yield(task) : Task.yield(task, t))
      : (timeout === undefined
        ? Task.shutdown(task)
        : Task.shutdown(task, timeout as number | "brutal_kill"));
    return p.then((value) => ({ value }));
  });
  const finite = typeof timeout === "number" && Number.isFinite(timeout) && validity !== "invalid";
  const wait = finite ? (timeout as number) + 1 : typeof timeout === "undefined" ? 5001 : 10;
  if (!await run.drive(wait)) return;
  const what = `Task.${op}(${describeWork(work)}, ${describeValue(timeout)})`;
  if (validity === "invalid") {
    run.check(awaited.state === "rejected", "other", `${what} accepted a timeout it must refuse`);
    if (awaited.state === "rejected") {
      run.check(
        isValidationError(awaited.error),
        "other",
        () =>
          `${what} refused it with ${describeError(awaited.error)}, not a TypeError or RangeError`,
      );
    }
    if (aliveBefore) {
      run.check(
        system.isAlive(task.pid),
        "other",
        `${what} refused its timeout but the task was killed anyway`,
      );
    }
  } else if (
    validity === "valid" &&
    (finite || timeout === undefined || work.kind !== "never" || timeout === "brutal_kill")
  ) {
    if (run.expectSettled(awaited, "unsettledCall", what)) {
      if (awaited.state === "rejected") {
        run.check(
          isNamedError(awaited.error),
          "other",
          () => `${what} rejected with ${describeError(awaited.error)}`,
        );
      }
    }
  }
  if (system.isAlive(task.pid)) {
    run.kill(task.pid);
    if (!await run.drive(0)) return;
  }
  if (validity !== "invalid") {
    run.expectSettled(awaited, "unsettledCall", `${what} (once the task is gone)`);
  }
  run.expectTables(empty, "after the task exited");
}

const work: fc.Arbitrary<TaskWork> = fc.oneof(
  fc.constant({ kind: "never" as const }),
  fc.constant({ kind: "value" as const }),
  fc.record({ kind: fc.constant("throws" as const), value: hostile() }),
);

function taskEntry(op: Op): EntryPoint<TaskInput> {
  return {
    name: `Task.${op} timeout: a bad one is refused, a good one settles on the system clock`,
    input: fc.record({
      work,
      timeout: op === "shutdown"
        ? fc.oneof(
          { arbitrary: optionValue(), weight: 5 },
          { arbitrary: fc.constant({ kind: "brutalKill" as const }), weight: 1 },
        )
        : optionValue(),
    }),
    describe: (input) =>
      `Task.${op}(${describeWork(input.work)}, ${describeTimeout(input.timeout)})`,
    run: (input, run) => playTask(run, op, input),
  };
}

/** The three Task entry points. */
export const taskEntries: readonly EntryPoint<TaskInput>[] = [
  taskEntry("await"),
  taskEntry("yield"),
  taskEntry("shutdown"),
];
