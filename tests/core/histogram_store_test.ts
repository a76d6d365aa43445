/**
 * The store's histograms, on both stores: quantiles within 1/128 of the exact
 * nearest-rank quantile, exact count / sum / min / max, invalid values
 * counted, stale handles refused, merge, reset, and memory reuse.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CoreCode } from "../../src/core/core.ts";
import {
  HISTOGRAM_HIGHEST,
  HISTOGRAM_LOWEST,
  HistogramStat,
  type HistogramStore,
} from "../../src/core/histogram_store.ts";
import { ReferenceHistogramStore } from "../../src/core/reference_histogram_store.ts";
import { WasmHistogramStore } from "../../src/core/wasm_histogram_store.ts";

const RELATIVE_ERROR = 1 / 128;
const QUANTILES = [0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

const STORES: [string, () => HistogramStore][] = [
  ["ReferenceHistogramStore", () => new ReferenceHistogramStore()],
  ["WasmHistogramStore", () => new WasmHistogramStore()],
];

/** Values spread evenly in log scale over [1e-3, 1e9], plus a few exact edge values. */
const wideValue = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -3, max: 9, noNaN: true }).map((x) => 10 ** x) },
  { weight: 1, arbitrary: fc.constantFrom(1e-3, 1, 2, 1000, 1024, 1e9, 1 + 1 / 64, 0.5) },
);

/** Exact nearest-rank quantile of sorted samples. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

function recordAll(store: HistogramStore, handle: number, values: readonly number[]): void {
  for (const value of values) assert.equal(store.histogramRecord(handle, value), CoreCode.Ok);
}

function stats(store: HistogramStore, handle: number): number[] {
  return [0, 1, 2, 3, 4].map((field) => store.histogramStat(handle, field));
}

for (const [name, makeStore] of STORES) {
  describe(`${name} histograms`, () => {
    it("reports quantiles within 1/128 of the exact nearest-rank value over 1e-3..1e9", () => {
      const store = makeStore();
      fc.assert(
        fc.property(
          fc.array(wideValue, { minLength: 1, maxLength: 300 }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
          (values, randomQs) => {
            const handle = store.histogramCreate();
            recordAll(store, handle, values);
            const sorted = [...values].sort((a, b) => a - b);
            for (const q of [...QUANTILES, ...randomQs]) {
              const exact = exactQuantile(sorted, q);
              const got = store.histogramQuantile(handle, q);
              if (Math.abs(got - exact) > exact * RELATIVE_ERROR) {
                assert.fail(`q=${q}: got ${got}, exact ${exact}`);
              }
            }
            assert.equal(store.histogramQuantile(handle, 0), sorted[0]);
            assert.equal(store.histogramQuantile(handle, 1), sorted[sorted.length - 1]);
            assert.equal(store.histogramFree(handle), CoreCode.Ok);
          },
        ),
        { numRuns: 200 },
      );
    });

    it("keeps count, sum, min and max exact", () => {
      const store = makeStore();
      fc.assert(
        fc.property(fc.array(wideValue, { maxLength: 200 }), (values) => {
          const handle = store.histogramCreate();
          recordAll(store, handle, values);
          let sum = 0;
          for (const value of values) sum += value;
          const empty = values.length === 0;
          assert.deepEqual(stats(store, handle), [
            values.length,
            sum,
            empty ? NaN : Math.min(...values),
            empty ? NaN : Math.max(...values),
            0,
          ]);
          store.histogramFree(handle);
        }),
        { numRuns: 200 },
      );
    });

    it("bounds countAtOrBelow between the exact count and the count through x's bucket", () => {
      const store = makeStore();
      fc.assert(
        fc.property(fc.array(wideValue, { maxLength: 200 }), wideValue, (values, x) => {
          const handle = store.histogramCreate();
          recordAll(store, handle, values);
          const got = store.histogramCountAtOrBelow(handle, x);
          const atOrBelow = values.filter((v) => v <= x).length;
          const throughBucket = values.filter((v) => v < x * (1 + 1 / 64)).length;
          assert.ok(atOrBelow <= got && got <= throughBucket, `${atOrBelow} <= ${got}`);
          if (values.length > 0) {
            assert.equal(store.histogramCountAtOrBelow(handle, Math.max(...values)), values.length);
            assert.equal(store.histogramCountAtOrBelow(handle, Math.min(...values) / 2), 0);
          }
          assert.equal(store.histogramCountAtOrBelow(handle, Infinity), values.length);
          assert.equal(store.histogramCountAtOrBelow(handle, -1), 0);
          store.histogramFree(handle);
        }),
        { numRuns: 200 },
      );
    });

    it("answers an empty histogram with zeros and NaN", () => {
      const store = makeStore();
      const handle = store.histogramCreate();
      assert.ok(handle > 0);
      assert.deepEqual(stats(store, handle), [0, 0, NaN, NaN, 0]);
      assert.ok(Number.isNaN(store.histogramQuantile(handle, 0.5)));
      assert.equal(store.histogramCountAtOrBelow(handle, 10), 0);
    });

    it("handles zero, the underflow bucket and the top bucket", () => {
      const store = makeStore();
      const handle = store.histogramCreate();
      recordAll(store, handle, [0, -0, HISTOGRAM_LOWEST / 8, 1, HISTOGRAM_HIGHEST * 4, 1e300]);
      assert.ok(Object.is(store.histogramStat(handle, HistogramStat.Min), 0));
      assert.equal(store.histogramStat(handle, HistogramStat.Max), 1e300);
      assert.equal(store.histogramQuantile(handle, 0.4), HISTOGRAM_LOWEST / 2);
      assert.equal(store.histogramQuantile(handle, 0.6), 1 + 1 / 128);
      assert.equal(store.histogramQuantile(handle, 1), 1e300);
      assert.equal(store.histogramCountAtOrBelow(handle, 0), 3);
    });

    it("refuses NaN, negative and infinite values and counts them as invalid", () => {
      const store = makeStore();
      const handle = store.histogramCreate();
      recordAll(store, handle, [5]);
      for (const bad of [NaN, -1, -Number.MIN_VALUE, Infinity, -Infinity]) {
        assert.equal(store.histogramRecord(handle, bad), CoreCode.BadArgument);
      }
      assert.deepEqual(stats(store, handle), [1, 5, 5, 5, 5]);
    });

    it("refuses bad arguments with BadArgument", () => {
      const store = makeStore();
      const handle = store.histogramCreate();
      for (const q of [-0.1, 1.1, NaN, Infinity]) {
        assert.equal(store.histogramQuantile(handle, q), CoreCode.BadArgument);
      }
      assert.equal(store.histogramCountAtOrBelow(handle, NaN), CoreCode.BadArgument);
      assert.equal(store.histogramStat(handle, 5), CoreCode.BadArgument);
      assert.equal(store.histogramStat(handle, -1), CoreCode.BadArgument);
    });

    it("refuses freed, stale and unknown handles with Stale, changing nothing", () => {
      const store = makeStore();
      const first = store.histogramCreate();
      const other = store.histogramCreate();
      recordAll(store, other, [1, 2, 3]);
      assert.equal(store.histogramFree(first), CoreCode.Ok);
      const reused = store.histogramCreate(); // FIFO reuse gives first's index a new generation
      assert.equal(reused & 0xffff, first & 0xffff);
      assert.notEqual(reused, first);
      for (const bad of [first, 0, -1, 12345, 0x7fff_ffff, first + (5 << 16)]) {
        assert.equal(store.histogramFree(bad), CoreCode.Stale);
        assert.equal(store.histogramRecord(bad, 1), CoreCode.Stale);
        assert.equal(store.histogramStat(bad, HistogramStat.Count), CoreCode.Stale);
        assert.equal(store.histogramQuantile(bad, 0.5), CoreCode.Stale);
        assert.equal(store.histogramCountAtOrBelow(bad, 1), CoreCode.Stale);
        assert.equal(store.histogramMerge(other, bad), CoreCode.Stale);
        assert.equal(store.histogramMerge(bad, other), CoreCode.Stale);
        assert.equal(store.histogramReset(bad), CoreCode.Stale);
      }
      assert.deepEqual(stats(store, other), [3, 6, 1, 3, 0]);
      assert.deepEqual(stats(store, reused), [0, 0, NaN, NaN, 0]);
      assert.equal(store.histogramCount(), 2);
    });

    it("merges as if both sets of samples were recorded in one", () => {
      const store = makeStore();
      const samples = fc.array(fc.oneof(wideValue, fc.constant(NaN)), { maxLength: 150 });
      fc.assert(
        fc.property(samples, samples, (a, b) => {
          const [x, y, both] = [
            store.histogramCreate(),
            store.histogramCreate(),
            store.histogramCreate(),
          ];
          for (const v of a) store.histogramRecord(x, v);
          for (const v of b) store.histogramRecord(y, v);
          for (const v of a) store.histogramRecord(both, v);
          for (const v of b) store.histogramRecord(both, v);
          assert.equal(store.histogramMerge(x, y), CoreCode.Ok);
          const [merged, direct] = [stats(store, x), stats(store, both)];
          assert.deepEqual(
            merged.filter((_, i) => i !== HistogramStat.Sum),
            direct.filter((_, i) => i !== HistogramStat.Sum),
          );
          assert.ok(Math.abs(merged[1] - direct[1]) <= direct[1] * 1e-12);
          for (const q of QUANTILES) {
            assert.ok(Object.is(store.histogramQuantile(x, q), store.histogramQuantile(both, q)));
          }
          for (const v of [...a, ...b].filter((v) => v >= 0)) {
            assert.equal(
              store.histogramCountAtOrBelow(x, v),
              store.histogramCountAtOrBelow(both, v),
            );
          }
          assert.equal(store.histogramStat(y, HistogramStat.Count), b.filter((v) => v >= 0).length);
          for (const h of [x, y, both]) store.histogramFree(h);
        }),
        { numRuns: 100 },
      );
    });

    it("doubles a histogram merged into itself", () => {
      const store = makeStore();
      const h = store.histogramCreate();
      recordAll(store, h, [1, 2, 3]);
      store.histogramRecord(h, NaN);
      assert.equal(store.histogramMerge(h, h), CoreCode.Ok);
      assert.deepEqual(stats(store, h), [6, 12, 1, 3, 2]);
      assert.equal(store.histogramCountAtOrBelow(h, 2), 4);
    });

    it("resets to empty and records afresh", () => {
      const store = makeStore();
      const h = store.histogramCreate();
      recordAll(store, h, [1e-3, 7, 1e9]);
      store.histogramRecord(h, -5);
      assert.equal(store.histogramReset(h), CoreCode.Ok);
      assert.deepEqual(stats(store, h), [0, 0, NaN, NaN, 0]);
      assert.ok(Number.isNaN(store.histogramQuantile(h, 0.5)));
      recordAll(store, h, [3, 4]);
      assert.deepEqual(stats(store, h), [2, 7, 3, 4, 0]);
      assert.equal(store.histogramCountAtOrBelow(h, 3.5), 1);
      assert.equal(store.histogramCountAtOrBelow(h, 1e9), 2);
    });

    it("reuses freed indices first-in first-out and counts live histograms", () => {
      const store = makeStore();
      const handles = Array.from({ length: 100 }, () => store.histogramCreate());
      assert.deepEqual(handles, handles.map((_, i) => (1 << 16) | i));
      assert.equal(store.histogramCount(), 100);
      for (const h of [handles[7], handles[3]]) assert.equal(store.histogramFree(h), CoreCode.Ok);
      assert.equal(store.histogramCount(), 98);
      assert.equal(store.histogramCreate(), (2 << 16) | 7);
      assert.equal(store.histogramCreate(), (2 << 16) | 3);
      assert.equal(store.histogramCreate(), (1 << 16) | 100);
    });
  });
}

describe("WasmHistogramStore histogram memory", () => {
  it("gives a freed histogram's memory to the next one: create/free cycles do not grow memory", () => {
    const store = new WasmHistogramStore();
    const keep = Array.from({ length: 10 }, () => store.histogramCreate());
    const bytes = store.memory.buffer.byteLength;
    for (let round = 0; round < 1000; round++) {
      const h = store.histogramCreate();
      store.histogramRecord(h, round);
      assert.equal(store.histogramStat(h, HistogramStat.Count), 1); // a reused block starts empty
      assert.equal(store.histogramFree(h), CoreCode.Ok);
    }
    assert.equal(store.memory.buffer.byteLength, bytes);
    for (const h of keep) assert.equal(store.histogramFree(h), CoreCode.Ok);
    const again = Array.from({ length: 10 }, () => store.histogramCreate());
    assert.ok(again.every((h) => h > 0));
    assert.equal(store.memory.buffer.byteLength, bytes);
  });
});
