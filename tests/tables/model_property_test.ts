/**
 * Model-based property of every table type: random sequences of inserts,
 * lookups, deletes, takes, counters, element updates, matches, selects,
 * ranges, walks, deleteAll, heir changes and owner exits (killed, crashed,
 * shut down — with and without a live heir) agree with the Map-based model
 * in `_model.ts`; keys come from small domains of numbers, strings and arrays
 * so that they collide and array keys are equal by structure. Each table
 * has a random access mode, and each step runs from host code, inside the
 * owner's callback, or (public tables) inside another process's callback —
 * all allowed, so every one must give the model's answer.
 *
 * `BEAMLET_TABLES_RUNS=<percent>` scales the run counts.
 *
 * @module
 */

import { test } from "node:test";
import fc from "fast-check";
import { opArb } from "./_arbitraries.ts";
import { PROPERTY_TIMEOUT, runs } from "./_fixtures.ts";
import type { ModelType } from "./_model.ts";
import { outcomes, runModel } from "./_model_run.ts";

const TYPES: ModelType[] = ["set", "ordered_set", "bag", "duplicate_bag"];
const RUNS = runs(150);
const TIMEOUT = PROPERTY_TIMEOUT;

for (const type of TYPES) {
  test(`Table "${type}" agrees with the model (${RUNS} random operation sequences)`, {
    timeout: TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1, 2).chain((keyPos) =>
          fc.record({
            keyPos: fc.constant(keyPos),
            ops: fc.array(opArb(keyPos, true), { maxLength: 60, size: "max" }),
            withHeir: fc.boolean(),
            access: fc.constantFrom("public" as const, "protected" as const, "private" as const),
            runners: fc.array(fc.nat({ max: 2 }), { maxLength: 8 }),
          })
        ),
        async ({ keyPos, ops, withHeir, access, runners }) =>
          await runModel(type, keyPos, ops, withHeir, access, runners),
      ),
      { numRuns: RUNS, includeErrorInReport: true },
    );
  });
}

test(`a long sequence without owner changes agrees with the model (${runs(20)} runs per type)`, {
  timeout: TIMEOUT,
}, async () => {
  for (const type of TYPES) {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb(0, false), { minLength: 100, maxLength: 300 }),
        async (ops) => await runModel(type, 0, ops, false),
      ),
      { numRuns: runs(20), includeErrorInReport: true },
    );
  }
});

test("(statistics: BEAMLET_TABLES_STATS=1 prints how often each outcome was checked)", () => {
  let print = false;
  try {
    print = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env?.BEAMLET_TABLES_STATS === "1";
  } catch {
    // Deno without --allow-env
  }
  if (print) console.log([...outcomes].sort().map(([k, n]) => `${k} ${n}`).join("\n"));
});
