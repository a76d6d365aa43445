/**
 * Model-based properties of the scheduler core: every call of a random command
 * sequence returns what the naive model (`_model.ts`) predicts, and the
 * invariants in `_commands.ts` hold after every command, for both cores.
 *
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Core } from "../../src/core/core.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import { badInputCommands, coreCommands, runModel } from "./_commands.ts";

const CORES: [string, (budget: number) => Core][] = [
  ["ReferenceCore", (budget) => new ReferenceCore({ reductionBudget: budget })],
  ["WasmCore", (budget) => new WasmCore({ reductionBudget: budget })],
];

const budgetArb = fc.integer({ min: 3, max: 8 });

for (const [name, makeCore] of CORES) {
  test(`${name} follows the model (1000 command sequences)`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        budgetArb,
        fc.commands(coreCommands(), { maxCommands: 100, size: "max" }),
        (budget, cmds) => {
          runModel(makeCore, budget, cmds);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test(
    `${name}: garbage arguments never corrupt its state (1000 sequences)`,
    { timeout: 120_000 },
    () => {
      fc.assert(
        fc.property(
          budgetArb,
          fc.commands(badInputCommands(), { maxCommands: 80, size: "max" }),
          (budget, cmds) => {
            runModel(makeCore, budget, cmds);
          },
        ),
        { numRuns: 1000 },
      );
    },
  );
}

// ---- regressions -------------------------------------------------------------------
//
// Failures the properties found, pinned. The `{ seed, path }` pins replay the shrunk
// counterexample through the same generators; the explicit sequences say the same thing
// without depending on them.

for (const [name, makeCore] of CORES) {
  test(`${name}: regression — a timer straddling a multiple of 2^42 fires (wheel top level)`, {
    timeout: 120_000,
  }, () => {
    // WasmCore picked the wheel level from the highest bit where the deadline tick and
    // the wheel tick differ: 2^42 - 1 vs 2^42 differ at bit 42, level 7 of 7 levels:
    // timerSchedule trapped ("memory access out of bounds") or corrupted the wheel.
    const core = makeCore(4);
    assert.equal(core.advance(2 ** 42 - 1), 0);
    const id = core.timerSchedule(2 ** 42);
    assert.equal(id, 1 << 22);
    assert.equal(core.timerCount(), 1);
    assert.equal(core.timerNextDue(), 2 ** 42);
    assert.equal(core.advance(2 ** 42), 1);
    assert.equal(core.timerFired(0), id);
    assert.equal(core.timerCount(), 0);
  });

  test(`${name}: regression — a timer due at the tick after 2^47 - 1 (this-tick deadline)`, {
    timeout: 120_000,
  }, () => {
    const core = makeCore(4);
    assert.equal(core.advance(2 ** 47 - 1), 0);
    const id = core.timerSchedule(2 ** 47 - 1); // tick == floor(clock): due at 2^47
    assert.equal(id, 1 << 22);
    const due = core.timerNextDue();
    assert.ok(due > 2 ** 47 - 1 && due <= 2 ** 47, `timerNextDue() = ${due}`);
    assert.equal(core.advance(2 ** 47 - 0.5), 0);
    assert.equal(core.advance(2 ** 47), 1);
    assert.equal(core.timerFired(0), id);
  });

  test(`${name}: regression — the sequences that found the wheel-level bug (seed pins)`, {
    timeout: 120_000,
  }, () => {
    // `path` is the index of the failing run only: it replays the original (unshrunk)
    // sequence, which works whether or not the core still fails.
    const pins = [
      // WasmCore: advance(2^47 - 1); timerSchedule(2^47 - 1) → timerNextDue() = 0.
      { seed: 1871523340, path: "10" },
    ];
    for (const pin of pins) {
      fc.assert(
        fc.property(budgetArb, fc.commands(coreCommands(), { maxCommands: 100, size: "max" }), (
          budget,
          cmds,
        ) => {
          runModel(makeCore, budget, cmds);
        }),
        { ...pin, endOnFailure: true },
      );
    }
  });
}
