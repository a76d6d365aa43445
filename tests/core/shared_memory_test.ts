/**
 * Several instances in one `WebAssembly.Memory`: two scheduler cores (and a
 * histogram store) placed in one shared memory, driven with interleaved random
 * steps, each held to its own ReferenceCore on every call; one instance
 * running out of memory or into its limits leaves the other's state intact.
 *
 * Shared memory needs the host to allow `new WebAssembly.Memory({ shared: true })`
 * (Deno, Node and Bun do, with no flag); the same properties also run over an
 * unshared memory.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CoreCode, MAX_BOUND, Overflow, Priority } from "../../src/core/core.ts";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { HistogramStat } from "../../src/core/histogram_store.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";
import { ReferenceHistogramStore } from "../../src/core/reference_histogram_store.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import { WasmHistogramStore } from "../../src/core/wasm_histogram_store.ts";
import { chunksOf, memoryMap } from "../../src/core/_memory_map.ts";
import { Pair, type Step, stepArb } from "./_pair.ts";

const canShare = (() => {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })
      .buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
})();

/** Small maxima: many memories are made, and each reserves its maximum on some hosts. */
const MAXIMUM_PAGES = 1024;

const MEMORIES: [string, boolean][] = [["shared", true], ["unshared", false]];

/** Runs `step` on `pair`, naming the core in a failure. */
function drive(name: string, pair: Pair, step: Step): void {
  try {
    pair.step(step);
  } catch (error) {
    if (error instanceof assert.AssertionError) error.message = `core ${name}: ${error.message}`;
    throw error;
  }
}

/** Every chunk in the memory belongs to an instance placed there, and they tile the claimed area. */
function checkMap(memory: WebAssembly.Memory, instances: number): void {
  const map = memoryMap(memory);
  assert.equal(map.instances, instances);
  let owned = 0;
  for (let id = 1; id <= instances; id++) {
    const chunks = chunksOf(map, id);
    assert.ok(chunks.length >= 1, `instance ${id} owns a chunk`);
    owned += chunks.length;
  }
  assert.equal(owned, map.chunks.length, "no chunk without an owner");
}

for (const [kind, shared] of MEMORIES) {
  describe(`two cores in one ${kind} memory`, () => {
    test(
      "each agrees with its own reference on every call, steps interleaved (300 runs)",
      { timeout: 300_000, skip: shared && !canShare ? "no shared memory on this host" : false },
      () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 3, max: 8 }),
            fc.integer({ min: 3, max: 8 }),
            fc.constantFrom(1, 3, 255, 2 ** 30),
            fc.array(fc.tuple(fc.boolean(), stepArb), { maxLength: 120, size: "max" }),
            (budgetA, budgetB, slotLimitA, steps) => {
              const memory = createCoreMemory({ shared, maximumPages: MAXIMUM_PAGES });
              assert.equal(memory.buffer instanceof SharedArrayBuffer, shared);
              const a = new Pair(
                new ReferenceCore({ reductionBudget: budgetA, slotLimit: slotLimitA }),
                new WasmCore({ reductionBudget: budgetA, slotLimit: slotLimitA, memory }),
                budgetA,
              );
              const b = new Pair(
                new ReferenceCore({ reductionBudget: budgetB }),
                new WasmCore({ reductionBudget: budgetB, memory }),
                budgetB,
              );
              a.compareState();
              b.compareState();
              for (const [onA, step] of steps) {
                if (onA) drive("A", a, step);
                else drive("B", b, step);
              }
              // Both again at the end: the last steps on one never touched the other.
              a.compareState();
              b.compareState();
              checkMap(memory, 2);
            },
          ),
          { numRuns: 300 },
        );
      },
    );

    test(
      "a core and a histogram store in one memory each agree with their reference",
      { skip: shared && !canShare ? "no shared memory on this host" : false },
      () => {
        const memory = createCoreMemory({ shared, maximumPages: MAXIMUM_PAGES });
        const core = new Pair(new ReferenceCore(), new WasmCore({ memory }), 2000);
        const stores = [new ReferenceHistogramStore(), new WasmHistogramStore({ memory })];
        fc.assert(
          fc.property(
            fc.array(fc.tuple(stepArb, fc.double({ min: 0, max: 1e6, noNaN: true })), {
              maxLength: 60,
            }),
            (steps) => {
              const handles = stores.map((s) => s.histogramCreate());
              assert.equal(handles[0], handles[1]);
              for (const [step, value] of steps) {
                drive("core", core, step);
                const [r, w] = stores.map((s, i) => s.histogramRecord(handles[i], value));
                assert.equal(w, r);
              }
              for (const field of Object.values(HistogramStat)) {
                const [r, w] = stores.map((s, i) => s.histogramStat(handles[i], field));
                assert.ok(Object.is(r, w), `stat ${field}: reference ${r}, wasm ${w}`);
              }
              for (const [s, i] of [[stores[0], 0], [stores[1], 1]] as const) {
                assert.equal(s.histogramFree(handles[i]), CoreCode.Ok);
              }
            },
          ),
          { numRuns: 50 },
        );
        checkMap(memory, 2);
      },
    );

    test(
      "one core running out of memory leaves the other's state intact",
      { timeout: 120_000, skip: shared && !canShare ? "no shared memory on this host" : false },
      () => {
        fc.assert(
          fc.property(
            fc.array(stepArb, { minLength: 1, maxLength: 60 }),
            fc.array(
              fc.constantFrom<Step>({ slice: Infinity, blocked: 0 }, { slice: 2, blocked: 0 }),
              {
                maxLength: 10,
              },
            ),
            (before, after) => {
              const memory = createCoreMemory({ shared, maximumPages: 16 });
              const hog = new WasmCore({ memory });
              const victim = new Pair(new ReferenceCore(), new WasmCore({ memory }), 2000);
              for (const step of before) drive("victim", victim, step);
              // The hog takes every page the memory may still grow to.
              const id = hog.spawn(1, MAX_BOUND, Overflow.Reject, Priority.Normal);
              assert.ok(id > 0 || id === CoreCode.OutOfMemory);
              let last = 0;
              let accepted = 0;
              while (id > 0 && (last = hog.enqueue(id)) >= 0) accepted++;
              if (id > 0) assert.equal(last, CoreCode.OutOfMemory);
              assert.equal(memory.buffer.byteLength, 16 * 65536);
              // Nothing the victim had changed, and calls that need no new memory still agree.
              victim.compareState();
              for (const step of after) drive("victim", victim, step);
              // The hog's own state is whole too: it hands back every message it accepted.
              if (id > 0) {
                assert.equal(hog.stat(id, 6), accepted);
                assert.equal(hog.free(id), accepted);
                assert.equal(hog.slotsInUse(), 0);
              }
              checkMap(memory, 2);
            },
          ),
          { numRuns: 40 },
        );
      },
    );
  });
}

test("a core at its slot limit leaves a core in the same memory unaffected", () => {
  const memory = createCoreMemory({ shared: canShare, maximumPages: MAXIMUM_PAGES });
  const small = new WasmCore({ memory, slotLimit: 2 });
  const big = new WasmCore({ memory });
  const a = small.spawn(4, 100, Overflow.Reject, Priority.Normal);
  const b = big.spawn(4, 100, Overflow.Reject, Priority.Normal);
  assert.ok(small.enqueue(a) >= 0 && small.enqueue(a) >= 0);
  assert.equal(small.enqueue(a), CoreCode.Limit);
  for (let i = 0; i < 50; i++) assert.equal(big.enqueue(b), i);
  assert.equal(big.slotsInUse(), 50);
  assert.equal(small.slotsInUse(), 2);
  assert.deepEqual([small.instanceId, big.instanceId], [1, 2]);
});
