/**
 * Differential property for histograms: the same random sequence of
 * histogram calls (create, free, record, stat, quantile, countAtOrBelow,
 * merge, reset — with stale handles and invalid numbers mixed in), applied to
 * a fresh ReferenceHistogramStore and a fresh WasmHistogramStore, returns identical numbers on
 * every call (`Object.is`, so NaN and -0 count).
 *
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { HistogramStore } from "../../src/core/histogram_store.ts";
import { ReferenceHistogramStore } from "../../src/core/reference_histogram_store.ts";
import { WasmHistogramStore } from "../../src/core/wasm_histogram_store.ts";

type Step =
  | { op: "create" | "count" }
  | { op: "free" | "reset"; h: number }
  | { op: "record"; h: number; value: number; times: number }
  | { op: "stat"; h: number; field: number }
  | { op: "quantile"; h: number; q: number }
  | { op: "countAtOrBelow"; h: number; x: number }
  | { op: "merge"; h: number; other: number };

/** Handles are picked from those handed out so far (freed ones included), else garbage. */
const handlePick = fc.nat({ max: 1000 });
const GARBAGE_HANDLES = [0, -1, 1, 65535, 1 << 16, 0x7fff_ffff, -0x8000_0000];

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -8, max: 12, noNaN: true }).map((x) => 10 ** x) },
  { weight: 2, arbitrary: fc.double({ noNaN: false }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -0, 2 ** -20, 2 ** -21, 2 ** 43, 2 ** 43 - 1, 1e300, 5e-324),
  },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ op: "create" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "count" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("free" as const), h: handlePick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reset" as const), h: handlePick }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant("record" as const),
      h: handlePick,
      value,
      times: fc.integer({ min: 1, max: 20 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("stat" as const),
      h: handlePick,
      field: fc.integer({ min: -1, max: 5 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("quantile" as const),
      h: handlePick,
      q: fc.oneof(fc.double({ min: 0, max: 1 }), fc.double(), fc.constantFrom(0, 0.5, 0.99, 1)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("countAtOrBelow" as const), h: handlePick, x: value }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("merge" as const), h: handlePick, other: handlePick }),
  },
);

function run(store: HistogramStore, steps: readonly Step[]): number[] {
  const handles: number[] = [];
  const pick = (n: number) =>
    handles.length > 0 && n % 8 !== 7
      ? handles[n % handles.length]
      : GARBAGE_HANDLES[n % GARBAGE_HANDLES.length];
  const results: number[] = [];
  for (const s of steps) {
    switch (s.op) {
      case "create": {
        const h = store.histogramCreate();
        handles.push(h);
        results.push(h);
        break;
      }
      case "count":
        results.push(store.histogramCount());
        break;
      case "free":
        results.push(store.histogramFree(pick(s.h)));
        break;
      case "reset":
        results.push(store.histogramReset(pick(s.h)));
        break;
      case "record":
        for (let i = 0; i < s.times; i++) results.push(store.histogramRecord(pick(s.h), s.value));
        break;
      case "stat":
        results.push(store.histogramStat(pick(s.h), s.field));
        break;
      case "quantile":
        results.push(store.histogramQuantile(pick(s.h), s.q));
        break;
      case "countAtOrBelow":
        results.push(store.histogramCountAtOrBelow(pick(s.h), s.x));
        break;
      case "merge":
        results.push(store.histogramMerge(pick(s.h), pick(s.other)));
        break;
    }
    // After every step, every histogram's observable state.
    for (const h of handles) {
      for (let field = 0; field < 5; field++) results.push(store.histogramStat(h, field));
      for (const q of [0, 0.1, 0.5, 0.9, 0.999, 1]) results.push(store.histogramQuantile(h, q));
    }
  }
  return results;
}

test(
  "histograms: ReferenceHistogramStore and WasmHistogramStore return identical numbers on every call",
  {
    timeout: 120_000,
  },
  () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const reference = run(new ReferenceHistogramStore(), steps);
        const wasm = run(new WasmHistogramStore(), steps);
        assert.equal(wasm.length, reference.length);
        for (let i = 0; i < reference.length; i++) {
          if (!Object.is(reference[i], wasm[i])) {
            assert.fail(`result #${i}: reference ${reference[i]}, wasm ${wasm[i]}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  },
);

test("histograms: both stores put every power of two and its neighbours in the same bucket", () => {
  const reference = new ReferenceHistogramStore();
  const wasm = new WasmHistogramStore();
  for (let e = -1074; e <= 1023; e++) {
    const p = 2 ** e;
    const values = [p, p * (1 + 2 ** -52), p * (1 - 2 ** -53), p * 1.5, p * (1 + 1 / 64)];
    const [a, b] = [reference.histogramCreate(), wasm.histogramCreate()];
    for (const v of values) {
      reference.histogramRecord(a, v);
      wasm.histogramRecord(b, v);
    }
    for (const q of [0.2, 0.4, 0.6, 0.8]) {
      assert.ok(
        Object.is(reference.histogramQuantile(a, q), wasm.histogramQuantile(b, q)),
        `2^${e}`,
      );
    }
    for (const x of values) {
      assert.equal(reference.histogramCountAtOrBelow(a, x), wasm.histogramCountAtOrBelow(b, x));
    }
    reference.histogramFree(a);
    wasm.histogramFree(b);
  }
});
