/**
 * The differential harness (internal to the tests): a {@linkcode Pair} of
 * cores — a ReferenceCore and a WasmCore — called with the same arguments
 * and held to the same answers, and {@linkcode stepArb}, random steps that
 * drive a pair (calls with real and garbage arguments, scheduler slices,
 * churn that wraps generations).
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { type Core, MAX_BOUND, MAX_TIMER_DELAY } from "../../src/core/core.ts";
import { CoreModel } from "./_model.ts";
import {
  boundaryTime,
  GARBAGE_IDS,
  GARBAGE_NUMBERS,
  GARBAGE_TIMER_IDS,
  show,
} from "./_commands.ts";

/** An argument: a plain number, or the n-th actor / timer id seen so far. */
type Arg =
  | { n: number }
  | { actor: number }
  | { timer: number }
  | { time: number }
  | { boundary: [bits: number, before: number] };

export type Step =
  | { call: string; args: Arg[] }
  | { slice: number; blocked: number }
  | { churnActors: number }
  | { churnTimers: number };

const STAT_FIELDS = 14;

/** Both cores and the ids they handed out, plus a model that tracks timer deadlines. */
export class Pair {
  readonly actors: number[] = [];
  readonly timers: number[] = [];
  readonly model: CoreModel;
  readonly log: string[] = [];

  constructor(
    readonly reference: Core,
    readonly wasm: Core,
    budget: number,
    actorLimit?: number,
  ) {
    this.model = new CoreModel(budget, actorLimit);
  }

  resolve(arg: Arg): number {
    if ("n" in arg) return arg.n;
    if ("time" in arg) return this.model.clock + arg.time;
    if ("boundary" in arg) return boundaryTime(this.model.clock, ...arg.boundary);
    if ("actor" in arg) {
      return this.actors.length > 0
        ? this.actors[arg.actor % this.actors.length]
        : GARBAGE_IDS[arg.actor % GARBAGE_IDS.length];
    }
    return this.timers.length > 0
      ? this.timers[arg.timer % this.timers.length]
      : GARBAGE_TIMER_IDS[arg.timer % GARBAGE_TIMER_IDS.length];
  }

  /** Calls both cores (and the model, to follow timers); asserts both agree. */
  call(name: string, args: number[], remember = true): number {
    const a = (this.reference as unknown as Record<string, (...x: number[]) => number>)[name](
      ...args,
    );
    const b = (this.wasm as unknown as Record<string, (...x: number[]) => number>)[name](...args);
    (this.model as unknown as Record<string, (...x: number[]) => number>)[name](...args);
    const line = `${name}(${args.map(show).join(", ")}) = ${show(a)}`;
    this.log.push(line);
    if (this.log.length > 40) this.log.shift();
    if (!Object.is(a, b)) {
      assert.fail(
        `${name}(${args.map(show).join(", ")}): reference ${show(a)}, wasm ${show(b)}\n` +
          `last calls:\n  ${this.log.join("\n  ")}`,
      );
    }
    if (remember && name === "spawn" && a > 0) this.actors.push(a);
    if (remember && name === "timerSchedule" && a > 0) this.timers.push(a);
    return a;
  }

  step(step: Step): void {
    if ("call" in step) {
      const args = step.args.map((arg) => this.resolve(arg));
      if (step.call === "spawn" && Math.min(args[0] | 0, args[1] | 0) > 4096) args[0] = 5;
      this.call(step.call, args);
    } else if ("slice" in step) {
      const id = this.call("next", []);
      if (id > 0) {
        let handled = 0;
        while (handled < Math.min(step.slice, this.model.reductionBudget)) {
          if (this.call("dequeue", [id]) < 0) break;
          handled += 1;
        }
        this.call("release", [id, handled, step.blocked]);
      }
    } else if ("churnActors" in step) {
      const cycles = step.churnActors * Math.max(1, this.model.freeActorIndices.length);
      for (let i = 0; i < cycles; i++) {
        const id = this.call("spawn", [1, 1, 0, 1], i === 0);
        if (id > 0) this.call("free", [id]);
      }
    } else {
      const cycles = step.churnTimers * Math.max(1, this.model.freeTimerIndices.length);
      for (let i = 0; i < cycles; i++) {
        const id = this.call("timerSchedule", [this.model.clock + 3], i === 0);
        if (id > 0) this.call("timerCancel", [id]);
      }
    }
    this.compareState();
  }

  /** Every observable number, on both cores. */
  compareState(): void {
    this.call("actorCount", []);
    this.call("slotsInUse", []);
    this.call("timerCount", []);
    this.call("now", []);
    for (let p = -1; p <= 3; p++) this.call("runQueueLength", [p]);
    // Live actors (as the model sees them) and the last few ids seen, live or not.
    const ids = new Set([...this.model.actors.keys(), ...this.actors.slice(-6)]);
    for (const id of ids) {
      for (let field = 0; field <= STAT_FIELDS; field++) this.call("stat", [id, field]);
    }
    for (let i = 0; this.call("timerFired", [i]) >= 0; i++);
    const floor = Math.floor(this.model.clock);
    const earliest = this.model.earliestTick();
    for (const core of [this.reference, this.wasm]) {
      const due = core.timerNextDue();
      if (core.timerCount() === 0) {
        assert.equal(due, -1, `${core.kind}: timerNextDue with no timer`);
      } else {
        assert.ok(
          Number.isInteger(due) && floor < due && due <= earliest,
          `${core.kind}: timerNextDue() = ${due}, clock ${this.model.clock}, earliest ${earliest}` +
            `\nlast calls:\n  ${this.log.join("\n  ")}`,
        );
      }
    }
  }
}

const num = (arb: fc.Arbitrary<number>): fc.Arbitrary<Arg> => arb.map((n) => ({ n }));
const actorArg: fc.Arbitrary<Arg> = fc.oneof(
  { arbitrary: fc.nat(1000).map((actor) => ({ actor })), weight: 8 },
  { arbitrary: num(fc.constantFrom(...GARBAGE_IDS)), weight: 1 },
);
const timerArg: fc.Arbitrary<Arg> = fc.oneof(
  { arbitrary: fc.nat(1000).map((timer) => ({ timer })), weight: 8 },
  { arbitrary: num(fc.constantFrom(...GARBAGE_TIMER_IDS)), weight: 1 },
);
const garbage = num(fc.constantFrom(...GARBAGE_NUMBERS));
const small = (min: number, max: number) => num(fc.integer({ min, max }));
const maybeBad = (good: fc.Arbitrary<Arg>) =>
  fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: garbage, weight: 1 });
const timeArg: fc.Arbitrary<Arg> = fc.oneof(
  {
    arbitrary: fc.tuple(fc.integer({ min: -3, max: 30 }), fc.constantFrom(0, 0, 0.5, 0.25)).map((
      [n, f],
    ) => ({ time: n + f })),
    weight: 8,
  },
  { arbitrary: fc.integer({ min: 0, max: 100000 }).map((time) => ({ time })), weight: 2 },
  {
    arbitrary: fc.constantFrom(MAX_TIMER_DELAY - 1, MAX_TIMER_DELAY, MAX_TIMER_DELAY + 1, 2 ** 37)
      .map((time) => ({ time })),
    weight: 1,
  },
  { arbitrary: num(fc.constantFrom(NaN, Infinity, -Infinity, -1)), weight: 1 },
);
/** Advances also go to just before a multiple of a power of two. */
const advanceArg: fc.Arbitrary<Arg> = fc.oneof(
  { arbitrary: timeArg, weight: 8 },
  {
    arbitrary: fc.tuple(
      fc.constantFrom(12, 24, 36, 41, 42, 43, 47, 48),
      fc.constantFrom(1, 2, 10, 0.5),
    ).map((boundary) => ({ boundary })),
    weight: 1,
  },
);

const call = (name: string, ...args: fc.Arbitrary<Arg>[]): fc.Arbitrary<Step> =>
  fc.tuple(...args).map((resolved) => ({ call: name, args: resolved }));

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: call(
      "spawn",
      maybeBad(fc.oneof(small(1, 9), num(fc.constant(MAX_BOUND)))),
      maybeBad(fc.oneof(small(1, 12), num(fc.constantFrom(100, MAX_BOUND)))),
      maybeBad(small(0, 2)),
      maybeBad(small(0, 2)),
    ),
    weight: 8,
  },
  { arbitrary: call("free", actorArg), weight: 2 },
  { arbitrary: call("enqueue", actorArg), weight: 16 },
  { arbitrary: call("dequeue", actorArg), weight: 4 },
  { arbitrary: call("stat", actorArg, garbage), weight: 1 },
  { arbitrary: call("hibernate", actorArg), weight: 2 },
  { arbitrary: call("setPriority", actorArg, maybeBad(small(0, 2))), weight: 3 },
  { arbitrary: call("next"), weight: 5 },
  {
    arbitrary: call("release", actorArg, maybeBad(small(0, 9)), maybeBad(small(0, 1))),
    weight: 5,
  },
  { arbitrary: call("wake", actorArg), weight: 3 },
  { arbitrary: call("runQueueLength", garbage), weight: 1 },
  { arbitrary: call("advance", advanceArg), weight: 6 },
  { arbitrary: call("timerSchedule", timeArg), weight: 7 },
  { arbitrary: call("timerCancel", timerArg), weight: 3 },
  { arbitrary: call("timerFired", garbage), weight: 1 },
  {
    arbitrary: fc.record({
      slice: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 8 })),
      blocked: fc.constantFrom(0, 0, 0, 1),
    }),
    weight: 10,
  },
  { arbitrary: fc.constantFrom(1, 2, 2047).map((churnActors) => ({ churnActors })), weight: 1 },
  { arbitrary: fc.constantFrom(1, 2, 511).map((churnTimers) => ({ churnTimers })), weight: 1 },
);

/** Runs one sequence on fresh cores. */
export function runPair(
  makeReference: (budget: number) => Core,
  makeWasm: (budget: number) => Core,
  budget: number,
  steps: Step[],
  actorLimit?: number,
): void {
  const pair = new Pair(makeReference(budget), makeWasm(budget), budget, actorLimit);
  assert.equal(pair.reference.reductionBudget, pair.wasm.reductionBudget);
  pair.compareState();
  for (const step of steps) pair.step(step);
}
