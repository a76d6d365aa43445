/**
 * The core's histograms, on both cores: quantiles within 1/128 of the exact
 * nearest-rank quantile, exact count / sum / min / max, invalid values
 * counted, stale handles refused, merge, reset, and memory reuse.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type Core,
  CoreCode,
  HISTOGRAM_HIGHEST,
  HISTOGRAM_LOWEST,
  HistogramStat,
} from "../../src/core/core.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import { instantiateCore } from "../../wasm/core_wasm.ts";

const RELATIVE_ERROR = 1 / 128;
const QUANTILES = [0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

const CORES: [string, () => Core][] = [
  ["ReferenceCore", () => new ReferenceCore()],
  ["WasmCore", () => new WasmCore()],
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

function recordAll(core: Core, handle: number, values: readonly number[]): void {
  for (const value of values) assert.equal(core.histogramRecord(handle, value), CoreCode.Ok);
}

function stats(core: Core, handle: number): number[] {
  return [0, 1, 2, 3, 4].map((field) => core.histogramStat(handle, field));
}

for (const [name, makeCore] of CORES) {
  describe(`${name} histograms`, () => {
    it("reports quantiles within 1/128 of the exact nearest-rank value over 1e-3..1e9", () => {
      const core = makeCore();
      fc.assert(
        fc.property(
          fc.array(wideValue, { minLength: 1, maxLength: 300 }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
          (values, randomQs) => {
            const handle = core.histogramCreate();
            recordAll(core, handle, values);
            const sorted = [...values].sort((a, b) => a - b);
            for (const q of [...QUANTILES, ...randomQs]) {
              const exact = exactQuantile(sorted, q);
              const got = core.histogramQuantile(handle, q);
              if (Math.abs(got - exact) > exact * RELATIVE_ERROR) {
                assert.fail(`q=${q}: got ${got}, exact ${exact}`);
              }
            }
            assert.equal(core.histogramQuantile(handle, 0), sorted[0]);
            assert.equal(core.histogramQuantile(handle, 1), sorted[sorted.length - 1]);
            assert.equal(core.histogramFree(handle), CoreCode.Ok);
          },
        ),
        { numRuns: 200 },
      );
    });

    it("keeps count, sum, min and max exact", () => {
      const core = makeCore();
      fc.assert(
        fc.property(fc.array(wideValue, { maxLength: 200 }), (values) => {
          const handle = core.histogramCreate();
          recordAll(core, handle, values);
          let sum = 0;
          for (const value of values) sum += value;
          const empty = values.length === 0;
          assert.deepEqual(stats(core, handle), [
            values.length,
            sum,
            empty ? NaN : Math.min(...values),
            empty ? NaN : Math.max(...values),
            0,
          ]);
          core.histogramFree(handle);
        }),
        { numRuns: 200 },
      );
    });

    it("bounds countAtOrBelow between the exact count and the count through x's bucket", () => {
      const core = makeCore();
      fc.assert(
        fc.property(fc.array(wideValue, { maxLength: 200 }), wideValue, (values, x) => {
          const handle = core.histogramCreate();
          recordAll(core, handle, values);
          const got = core.histogramCountAtOrBelow(handle, x);
          const atOrBelow = values.filter((v) => v <= x).length;
          const throughBucket = values.filter((v) => v < x * (1 + 1 / 64)).length;
          assert.ok(atOrBelow <= got && got <= throughBucket, `${atOrBelow} <= ${got}`);
          if (values.length > 0) {
            assert.equal(core.histogramCountAtOrBelow(handle, Math.max(...values)), values.length);
            assert.equal(core.histogramCountAtOrBelow(handle, Math.min(...values) / 2), 0);
          }
          assert.equal(core.histogramCountAtOrBelow(handle, Infinity), values.length);
          assert.equal(core.histogramCountAtOrBelow(handle, -1), 0);
          core.histogramFree(handle);
        }),
        { numRuns: 200 },
      );
    });

    it("answers an empty histogram with zeros and NaN", () => {
      const core = makeCore();
      const handle = core.histogramCreate();
      assert.ok(handle > 0);
      assert.deepEqual(stats(core, handle), [0, 0, NaN, NaN, 0]);
      assert.ok(Number.isNaN(core.histogramQuantile(handle, 0.5)));
      assert.equal(core.histogramCountAtOrBelow(handle, 10), 0);
    });

    it("handles zero, the underflow bucket and the top bucket", () => {
      const core = makeCore();
      const handle = core.histogramCreate();
      recordAll(core, handle, [0, -0, HISTOGRAM_LOWEST / 8, 1, HISTOGRAM_HIGHEST * 4, 1e300]);
      assert.ok(Object.is(core.histogramStat(handle, HistogramStat.Min), 0));
      assert.equal(core.histogramStat(handle, HistogramStat.Max), 1e300);
      assert.equal(core.histogramQuantile(handle, 0.4), HISTOGRAM_LOWEST / 2);
      assert.equal(core.histogramQuantile(handle, 0.6), 1 + 1 / 128);
      assert.equal(core.histogramQuantile(handle, 1), 1e300);
      assert.equal(core.histogramCountAtOrBelow(handle, 0), 3);
    });

    it("refuses NaN, negative and infinite values and counts them as invalid", () => {
      const core = makeCore();
      const handle = core.histogramCreate();
      recordAll(core, handle, [5]);
      for (const bad of [NaN, -1, -Number.MIN_VALUE, Infinity, -Infinity]) {
        assert.equal(core.histogramRecord(handle, bad), CoreCode.BadArgument);
      }
      assert.deepEqual(stats(core, handle), [1, 5, 5, 5, 5]);
    });

    it("refuses bad arguments with BadArgument", () => {
      const core = makeCore();
      const handle = core.histogramCreate();
      for (const q of [-0.1, 1.1, NaN, Infinity]) {
        assert.equal(core.histogramQuantile(handle, q), CoreCode.BadArgument);
      }
      assert.equal(core.histogramCountAtOrBelow(handle, NaN), CoreCode.BadArgument);
      assert.equal(core.histogramStat(handle, 5), CoreCode.BadArgument);
      assert.equal(core.histogramStat(handle, -1), CoreCode.BadArgument);
    });

    it("refuses freed, stale and unknown handles with Stale, changing nothing", () => {
      const core = makeCore();
      const first = core.histogramCreate();
      const other = core.histogramCreate();
      recordAll(core, other, [1, 2, 3]);
      assert.equal(core.histogramFree(first), CoreCode.Ok);
      const reused = core.histogramCreate(); // FIFO reuse gives first's index a new generation
      assert.equal(reused & 0xffff, first & 0xffff);
      assert.notEqual(reused, first);
      for (const bad of [first, 0, -1, 12345, 0x7fff_ffff, first + (5 << 16)]) {
        assert.equal(core.histogramFree(bad), CoreCode.Stale);
        assert.equal(core.histogramRecord(bad, 1), CoreCode.Stale);
        assert.equal(core.histogramStat(bad, HistogramStat.Count), CoreCode.Stale);
        assert.equal(core.histogramQuantile(bad, 0.5), CoreCode.Stale);
        assert.equal(core.histogramCountAtOrBelow(bad, 1), CoreCode.Stale);
        assert.equal(core.histogramMerge(other, bad), CoreCode.Stale);
        assert.equal(core.histogramMerge(bad, other), CoreCode.Stale);
        assert.equal(core.histogramReset(bad), CoreCode.Stale);
      }
      assert.deepEqual(stats(core, other), [3, 6, 1, 3, 0]);
      assert.deepEqual(stats(core, reused), [0, 0, NaN, NaN, 0]);
      assert.equal(core.histogramCount(), 2);
    });

    it("merges as if both sets of samples were recorded in one", () => {
      const core = makeCore();
      const samples = fc.array(fc.oneof(wideValue, fc.constant(NaN)), { maxLength: 150 });
      fc.assert(
        fc.property(samples, samples, (a, b) => {
          const [x, y, both] = [
            core.histogramCreate(),
            core.histogramCreate(),
            core.histogramCreate(),
          ];
          for (const v of a) core.histogramRecord(x, v);
          for (const v of b) core.histogramRecord(y, v);
          for (const v of a) core.histogramRecord(both, v);
          for (const v of b) core.histogramRecord(both, v);
          assert.equal(core.histogramMerge(x, y), CoreCode.Ok);
          const [merged, direct] = [stats(core, x), stats(core, both)];
          assert.deepEqual(
            merged.filter((_, i) => i !== HistogramStat.Sum),
            direct.filter((_, i) => i !== HistogramStat.Sum),
          );
          assert.ok(Math.abs(merged[1] - direct[1]) <= direct[1] * 1e-12);
          for (const q of QUANTILES) {
            assert.ok(Object.is(core.histogramQuantile(x, q), core.histogramQuantile(both, q)));
          }
          for (const v of [...a, ...b].filter((v) => v >= 0)) {
            assert.equal(core.histogramCountAtOrBelow(x, v), core.histogramCountAtOrBelow(both, v));
          }
          assert.equal(core.histogramStat(y, HistogramStat.Count), b.filter((v) => v >= 0).length);
          for (const h of [x, y, both]) core.histogramFree(h);
        }),
        { numRuns: 100 },
      );
    });

    it("doubles a histogram merged into itself", () => {
      const core = makeCore();
      const h = core.histogramCreate();
      recordAll(core, h, [1, 2, 3]);
      core.histogramRecord(h, NaN);
      assert.equal(core.histogramMerge(h, h), CoreCode.Ok);
      assert.deepEqual(stats(core, h), [6, 12, 1, 3, 2]);
      assert.equal(core.histogramCountAtOrBelow(h, 2), 4);
    });

    it("resets to empty and records afresh", () => {
      const core = makeCore();
      const h = core.histogramCreate();
      recordAll(core, h, [1e-3, 7, 1e9]);
      core.histogramRecord(h, -5);
      assert.equal(core.histogramReset(h), CoreCode.Ok);
      assert.deepEqual(stats(core, h), [0, 0, NaN, NaN, 0]);
      assert.ok(Number.isNaN(core.histogramQuantile(h, 0.5)));
      recordAll(core, h, [3, 4]);
      assert.deepEqual(stats(core, h), [2, 7, 3, 4, 0]);
      assert.equal(core.histogramCountAtOrBelow(h, 3.5), 1);
      assert.equal(core.histogramCountAtOrBelow(h, 1e9), 2);
    });

    it("reuses freed indices first-in first-out and counts live histograms", () => {
      const core = makeCore();
      const handles = Array.from({ length: 100 }, () => core.histogramCreate());
      assert.deepEqual(handles, handles.map((_, i) => (1 << 16) | i));
      assert.equal(core.histogramCount(), 100);
      for (const h of [handles[7], handles[3]]) assert.equal(core.histogramFree(h), CoreCode.Ok);
      assert.equal(core.histogramCount(), 98);
      assert.equal(core.histogramCreate(), (2 << 16) | 7);
      assert.equal(core.histogramCreate(), (2 << 16) | 3);
      assert.equal(core.histogramCreate(), (1 << 16) | 100);
    });
  });
}

describe("WasmCore histogram memory", () => {
  it("gives a freed histogram's memory to the next one: create/free cycles do not grow memory", () => {
    const core = instantiateCore();
    const keep = Array.from({ length: 10 }, () => core.histogramCreate());
    const bytes = core.memory.buffer.byteLength;
    for (let round = 0; round < 1000; round++) {
      const h = core.histogramCreate();
      core.histogramRecord(h, round);
      assert.equal(core.histogramStat(h, HistogramStat.Count), 1); // a reused block starts empty
      assert.equal(core.histogramFree(h), CoreCode.Ok);
    }
    assert.equal(core.memory.buffer.byteLength, bytes);
    for (const h of keep) assert.equal(core.histogramFree(h), CoreCode.Ok);
    const again = Array.from({ length: 10 }, () => core.histogramCreate());
    assert.ok(again.every((h) => h > 0));
    assert.equal(core.memory.buffer.byteLength, bytes);
  });
});
