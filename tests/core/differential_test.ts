/**
 * Differential property: the same random call sequence, applied to a fresh
 * ReferenceCore and a fresh WasmCore, gives identical numbers on every call
 * and identical observable state after every step. `timerNextDue` is the one
 * call allowed to differ; both answers must satisfy its bound.
 *
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Core } from "../../src/core/core.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import { runPair, stepArb } from "./_pair.ts";

const makeReference = (budget: number) => new ReferenceCore({ reductionBudget: budget });
const makeWasm = (budget: number) => new WasmCore({ reductionBudget: budget });

test(
  "ReferenceCore and WasmCore agree on every call (1000 sequences)",
  { timeout: 120_000 },
  () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.array(stepArb, { maxLength: 100, size: "max" }),
        (budget, steps) => runPair(makeReference, makeWasm, budget, steps),
      ),
      { numRuns: 1000 },
    );
  },
);

test(
  "regression: the sequence that found the wheel-level bug (seed pin)",
  { timeout: 120_000 },
  () => {
    // WasmCore: advance(2^47 - 1); timerSchedule(2^47 - 1) → timerNextDue() = 0.
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.array(stepArb, { maxLength: 100, size: "max" }),
        (budget, steps) => runPair(makeReference, makeWasm, budget, steps),
      ),
      { seed: 1233131397, path: "4", endOnFailure: true },
    );
  },
);

test("both constructors accept and refuse the same reduction budgets", { timeout: 120_000 }, () => {
  const budgets: unknown[] = [
    undefined,
    1,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 53,
    0,
    -1,
    1.5,
    NaN,
    Infinity,
    "3",
  ];
  for (const budget of budgets) {
    const outcome = (make: () => Core) => {
      try {
        return `budget ${make().reductionBudget}`;
      } catch (error) {
        return (error as Error).name;
      }
    };
    const options = { reductionBudget: budget as number };
    assert.equal(
      outcome(() => new WasmCore(options)),
      outcome(() => new ReferenceCore(options)),
      `reductionBudget ${String(budget)}: WasmCore vs ReferenceCore`,
    );
  }
});

test(
  "ReferenceCore and WasmCore agree with a small slot limit (300 sequences)",
  { timeout: 120_000 },
  () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.constantFrom(1, 2, 3, 17, 255, 256, 257),
        fc.array(stepArb, { maxLength: 100, size: "max" }),
        (budget, slotLimit, steps) => {
          runPair(
            (b) => new ReferenceCore({ reductionBudget: b, slotLimit }),
            (b) => new WasmCore({ reductionBudget: b, slotLimit }),
            budget,
            steps,
          );
        },
      ),
      { numRuns: 300 },
    );
  },
);

test("both constructors accept and refuse the same slot limits", () => {
  const limits: unknown[] = [undefined, 1, 256, 2 ** 30, 2 ** 30 + 1, 0, -1, 1.5, NaN, "3"];
  for (const slotLimit of limits) {
    const outcome = (make: () => Core) => {
      try {
        return `limit ${make().slotLimit}`;
      } catch (error) {
        return (error as Error).name;
      }
    };
    const options = { slotLimit: slotLimit as number };
    assert.equal(
      outcome(() => new WasmCore(options)),
      outcome(() => new ReferenceCore(options)),
      `slotLimit ${String(slotLimit)}: WasmCore vs ReferenceCore`,
    );
  }
  assert.equal(new WasmCore().slotLimit, 2 ** 30);
});

test(
  "ReferenceCore and WasmCore agree with a small actor limit (300 sequences)",
  { timeout: 120_000 },
  () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.constantFrom(1, 2, 3, 7, 16),
        fc.array(stepArb, { maxLength: 100, size: "max" }),
        (budget, actorLimit, steps) => {
          runPair(
            (b) => new ReferenceCore({ reductionBudget: b, actorLimit }),
            (b) => new WasmCore({ reductionBudget: b, actorLimit }),
            budget,
            steps,
            actorLimit,
          );
        },
      ),
      { numRuns: 300 },
    );
  },
);

test("both constructors accept and refuse the same actor limits", () => {
  const limits: unknown[] = [undefined, 1, 8, 2 ** 20, 2 ** 20 + 1, 0, -1, 1.5, NaN, "3"];
  for (const actorLimit of limits) {
    const outcome = (make: () => Core) => {
      try {
        return `limit ${make().actorLimit}`;
      } catch (error) {
        return (error as Error).name;
      }
    };
    const options = { actorLimit: actorLimit as number };
    assert.equal(
      outcome(() => new WasmCore(options)),
      outcome(() => new ReferenceCore(options)),
      `actorLimit ${String(actorLimit)}: WasmCore vs ReferenceCore`,
    );
  }
  assert.equal(new WasmCore().actorLimit, 2 ** 20);
});
