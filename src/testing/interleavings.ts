/**
 * Random interleavings of concurrent senders, driven by fast-check's
 * scheduler (`fc.scheduler()`), against a GenServer on a test system.
 *
 * This module imports `fast-check` (install it yourself, as a dev
 * dependency); the main entry of beamlet does not.
 *
 * @module
 */

import fc from "fast-check";
import type { Arbitrary, IAsyncPropertyWithHooks, Parameters, Scheduler } from "fast-check";
import type { GenServer } from "../gen_server.ts";
import type { Pid } from "../pid.ts";
import type { StartOptions, System } from "../system.ts";
import { NotSettledError } from "./errors.ts";
import { createTestSystem, type TestSystem, type TestSystemOptions } from "./test_system.ts";

/**
 * One operation of a sender: run when the scheduler lets it; its result (awaited) is collected.
 *
 * @example Two senders' steps against one server
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import type { SenderStep } from "@beamlet/beamlet/testing";
 *
 * const system = new System();
 * const senders: SenderStep[][] = [
 *   [() => system.cast("counter", 1), () => system.cast("counter", 2)],
 *   [() => system.cast("counter", 10)],
 * ];
 * system.shutdown();
 * ```
 */
export type SenderStep = () => unknown;

/**
 * Runs several senders at once, each doing its steps in order (awaiting
 * each before the next), while the fast-check `scheduler` picks which
 * sender's next step happens next; the system runs until idle after each.
 * Resolves with each sender's results, in its order. A step that throws
 * rejects it; a state where no step can proceed and the system is idle
 * rejects with {@linkcode NotSettledError}.
 *
 * Use it inside `fc.asyncProperty(fc.scheduler(), ...)`: fast-check then
 * tries many orders, shrinks a failing one, and prints it.
 *
 * @example Two senders, one counter
 * ```ts
 * import fc from "fast-check";
 * import { createTestSystem, interleave } from "@beamlet/beamlet/testing";
 * import { noreply, ok, reply } from "@beamlet/beamlet";
 *
 * await fc.assert(fc.asyncProperty(fc.scheduler(), async (scheduler) => {
 *   const t = createTestSystem();
 *   const pid = await t.start({
 *     init: () => ok(0),
 *     handleCall: (_r: "get", _f: unknown, n: number) => reply(n, n),
 *     handleCast: (k: number, n: number) => noreply(n + k),
 *   });
 *   const add = (k: number) => () => t.system.cast(pid, k);
 *   await interleave(scheduler, t, [[add(1), add(2)], [add(10)]]);
 *   if ((await t.call(pid, "get")) !== 13) throw new Error("lost an update");
 *   t.dispose();
 * }), { numRuns: 20 });
 * ```
 */
export async function interleave(
  scheduler: Scheduler,
  harness: TestSystem,
  senders: ReadonlyArray<ReadonlyArray<SenderStep>>,
): Promise<unknown[][]> {
  const results: unknown[][] = senders.map(() => []);
  let finished = false;
  const all = Promise.all(senders.map(async (steps, sender) => {
    for (let index = 0; index < steps.length; index++) {
      await scheduler.schedule(Promise.resolve(), `sender ${sender} step ${index}`);
      results[sender].push(await steps[index]());
    }
  })).finally(() => (finished = true));
  all.catch(() => {}); // rethrown below
  while (!finished) {
    if (scheduler.count() > 0) {
      await scheduler.waitNext(1);
      await harness.runUntilIdle();
      continue;
    }
    await harness.runUntilIdle();
    if (finished || scheduler.count() > 0) continue;
    // A sender may be between its reply and its next step: let it get there.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    if (finished || scheduler.count() > 0) continue;
    throw new NotSettledError(
      "interleave",
      "the system is idle and some sender is still waiting (a reply that waits on a timer?)",
    );
  }
  await all;
  await harness.runUntilIdle();
  return results;
}

/**
 * What {@linkcode checkInterleavings} runs. `Op` is a sender's operation, as data.
 *
 * @example Concurrent adds are never lost
 * ```ts
 * import fc from "fast-check";
 * import { noreply, ok, reply } from "@beamlet/beamlet";
 * import type { InterleavingCheck } from "@beamlet/beamlet/testing";
 *
 * const check: InterleavingCheck<number, number, number> = {
 *   server: {
 *     init: (start) => ok(start),
 *     handleCall: (_request: "get", _from, n: number) => reply(n, n),
 *     handleCast: (add: number, n: number) => noreply(n + add),
 *   },
 *   arg: 0,
 *   senders: fc.array(fc.array(fc.nat(9), { maxLength: 3 }), { minLength: 2, maxLength: 3 }),
 *   perform: (add, { system, pid }) => system.cast(pid, add),
 *   check: async ({ senders, harness, pid }) => {
 *     const expected = senders.flat().reduce((a, b) => a + b, 0);
 *     if ((await harness.call(pid, "get")) !== expected) throw new Error("an add was lost");
 *   },
 * };
 * ```
 */
export interface InterleavingCheck<S, A, Op> {
  /** The GenServer under test. */
  server: GenServer<S, A>;
  /** Its `init` argument. */
  arg: A;
  /** The operations of each sender (at least two senders, to race). */
  senders: Arbitrary<Op[][]>;
  /** Does one operation against the server; its result is collected. */
  perform(op: Op, target: { system: System; pid: Pid; sender: number }): unknown;
  /** Checks the outcome of one interleaving; throw (or use assert) to fail. */
  check(outcome: InterleavingOutcome<Op>): void | Promise<void>;
  /** Options of `start`. */
  startOptions?: StartOptions;
  /** Options of each run's fresh {@linkcode TestSystem}. */
  systemOptions?: TestSystemOptions;
}

/**
 * One interleaving's outcome: who did what, what each got back, and the system to inspect.
 *
 * @example Every cast was accepted
 * ```ts
 * import type { InterleavingOutcome } from "@beamlet/beamlet/testing";
 *
 * const allAccepted = (outcome: InterleavingOutcome<number>) =>
 *   outcome.results.every((results) => results.every((delivery) => delivery === "ok"));
 * ```
 */
export interface InterleavingOutcome<Op> {
  /** Each sender's operations. */
  readonly senders: Op[][];
  /** Each sender's results, in order. */
  readonly results: unknown[][];
  /** The run's test system (the server still running: call it to read its state). */
  readonly harness: TestSystem;
  /** The server. */
  readonly pid: Pid;
}

/**
 * The fast-check property behind {@linkcode checkInterleavings}.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { interleavingProperty } from "@beamlet/beamlet/testing";
 * import { noreply, ok } from "@beamlet/beamlet";
 *
 * const property = interleavingProperty({
 *   server: { init: () => ok(null), handleCast: (_m: unknown, s: null) => noreply(s) },
 *   arg: undefined,
 *   senders: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 2, maxLength: 3 }),
 *   perform: (op, { system, pid }) => system.cast(pid, op),
 *   check: ({ results }) => {
 *     if (!results.flat().every((delivery) => delivery === "ok")) throw new Error("refused");
 *   },
 * });
 * console.log((await fc.check(property, { numRuns: 10 })).failed); // false
 * ```
 */
export function interleavingProperty<S, A, Op>(
  spec: InterleavingCheck<S, A, Op>,
): IAsyncPropertyWithHooks<[Scheduler, Op[][]]> {
  return fc.asyncProperty(fc.scheduler(), spec.senders, async (scheduler, senders) => {
    const harness = createTestSystem(spec.systemOptions);
    try {
      const pid = await harness.start(spec.server, spec.arg, spec.startOptions);
      const system = harness.system;
      const results = await interleave(
        scheduler,
        harness,
        senders.map((ops, sender) =>
          ops.map((op) => () => spec.perform(op, { system, pid, sender }))
        ),
      );
      await spec.check({ senders, results, harness, pid });
    } finally {
      harness.dispose();
    }
  });
}

/**
 * Property-tests a GenServer under concurrent senders: fast-check generates
 * each sender's operations and, with `fc.scheduler()`, the order in which
 * the senders' operations reach the server (each sender's own order is
 * kept, as in a real client awaiting each step). Every run is a fresh
 * {@linkcode TestSystem}; `check` judges the outcome. Finds lost updates,
 * read-modify-write races across calls, and ordering assumptions; a failure
 * is shrunk and printed with its schedule.
 *
 * @example Per-sender ordering is kept
 * ```ts
 * import fc from "fast-check";
 * import { checkInterleavings } from "@beamlet/beamlet/testing";
 * import { noreply, ok, reply } from "@beamlet/beamlet";
 *
 * type Entry = { sender: number; seq: number };
 * await checkInterleavings({
 *   server: {
 *     init: () => ok<Entry[]>([]),
 *     handleCall: (_r: "log", _f: unknown, log: Entry[]) => reply(log, log),
 *     handleCast: (entry: Entry, log: Entry[]) => noreply([...log, entry]),
 *   },
 *   arg: undefined,
 *   senders: fc.array(fc.nat({ max: 4 }), { minLength: 2, maxLength: 3 })
 *     .map((lengths) => lengths.map((n, sender) => Array.from({ length: n }, (_, seq) => ({ sender, seq })))),
 *   perform: (entry, { system, pid }) => system.cast(pid, entry),
 *   check: async ({ harness, pid }) => {
 *     const log = await harness.call<Entry[]>(pid, "log");
 *     const last = new Map<number, number>();
 *     for (const { sender, seq } of log) {
 *       if ((last.get(sender) ?? -1) >= seq) throw new Error(`sender ${sender} reordered`);
 *       last.set(sender, seq);
 *     }
 *   },
 * }, { numRuns: 50 });
 * ```
 */
export async function checkInterleavings<S, A, Op>(
  spec: InterleavingCheck<S, A, Op>,
  params?: Parameters<[Scheduler, Op[][]]>,
): Promise<void> {
  await fc.assert(interleavingProperty(spec), params);
}
