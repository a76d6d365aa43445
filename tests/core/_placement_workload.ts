/**
 * A deterministic workload for placement tests: places `ROUNDS` scheduler
 * cores and histogram stores in a memory (each claims chunks as it grows) and
 * drives them; the same workload on reference implementations gives the
 * answers every instance must return.
 *
 * @module
 */

import { type Core, Overflow, Priority } from "../../src/core/core.ts";
import type { HistogramStore } from "../../src/core/histogram_store.ts";
import { HistogramStat } from "../../src/core/histogram_store.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";
import { ReferenceHistogramStore } from "../../src/core/reference_histogram_store.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import { WasmHistogramStore } from "../../src/core/wasm_histogram_store.ts";

const ROUNDS = 12;

/** What one run answered, and the instance ids it was given. */
export interface PlacementResult {
  readonly answers: number[];
  readonly instanceIds: number[];
}

function drive(core: Core, store: HistogramStore, seed: number, answers: number[]): void {
  const ids: number[] = [];
  for (let i = 0; i < 40; i++) ids.push(core.spawn(1, 1000, Overflow.Reject, Priority.Normal));
  // Enough messages that rings and the slot stack grow past the first chunk.
  for (let n = 0; n < 4000; n++) answers.push(core.enqueue(ids[(n * 7 + seed) % ids.length]));
  for (let id = core.next(); id > 0; id = core.next()) {
    let handled = 0;
    while (handled < 50 && core.dequeue(id) >= 0) handled++;
    answers.push(id, handled, core.release(id, handled, 0));
  }
  answers.push(core.actorCount(), core.slotsInUse(), core.timerSchedule(seed + 5));
  const h = store.histogramCreate();
  for (let n = 1; n <= 500; n++) store.histogramRecord(h, (n * (seed + 3)) % 977);
  answers.push(h, store.histogramQuantile(h, 0.9), store.histogramStat(h, HistogramStat.Sum));
}

/** Places and drives `ROUNDS` cores and stores in `memory`. */
export function runPlacementWorkload(memory: WebAssembly.Memory, seed: number): PlacementResult {
  const answers: number[] = [];
  const instanceIds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const core = new WasmCore({ memory });
    const store = new WasmHistogramStore({ memory });
    instanceIds.push(core.instanceId, store.instanceId);
    drive(core, store, seed + round, answers);
  }
  return { answers, instanceIds };
}

/** The answers the same workload gets from the reference implementations. */
export function referenceAnswers(seed: number): number[] {
  const answers: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    drive(new ReferenceCore(), new ReferenceHistogramStore(), seed + round, answers);
  }
  return answers;
}
