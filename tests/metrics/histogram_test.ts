/**
 * The `Histogram` class over both cores: recording, exact stats, quantiles
 * within the documented bound, argument checks, merge, reset and free.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { HistogramStore } from "../../src/core/histogram_store.ts";
import { CoreError } from "../../src/core/errors.ts";
import { ReferenceHistogramStore } from "../../src/core/reference_histogram_store.ts";
import { WasmHistogramStore } from "../../src/core/wasm_histogram_store.ts";
import { Histogram, HISTOGRAM_RELATIVE_ERROR } from "../../src/metrics/histogram.ts";
import { HistogramFreedError } from "../../src/metrics/histogram_errors.ts";

const STORES: [string, () => HistogramStore][] = [
  ["ReferenceHistogramStore", () => new ReferenceHistogramStore()],
  ["WasmHistogramStore", () => new WasmHistogramStore()],
];

describe("Histogram without a store", () => {
  it("gets a store of its own: no store is shared behind the caller's back", () => {
    const a = new Histogram();
    const b = new Histogram();
    a.record(1);
    b.record(2);
    assert.throws(() => a.merge(b), { name: "TypeError", message: /same store/ });
    assert.equal(a.count, 1);
    a.free();
    b.free();
  });

  it("takes a histogram store passed as the deprecated core option, and ignores any other", () => {
    const store = new ReferenceHistogramStore();
    const a = new Histogram({ core: store });
    const b = new Histogram({ store });
    assert.equal(store.histogramCount(), 2);
    a.merge(b);
    const c = new Histogram({ core: {} });
    assert.equal(store.histogramCount(), 2);
    c.free();
  });

  it("refuses a store that is not one", () => {
    assert.throws(
      () => new Histogram({ store: {} as HistogramStore }),
      { name: "TypeError", message: /store must be a HistogramStore/ },
    );
  });

  it("documents a 1/128 relative error bound", () => {
    assert.equal(HISTOGRAM_RELATIVE_ERROR, 1 / 128);
  });
});

for (const [name, makeStore] of STORES) {
  describe(`Histogram on ${name}`, () => {
    it("keeps count, sum, min, max exact and quantiles within the bound", () => {
      const store = makeStore();
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -3, max: 9, noNaN: true }).map((x) => 10 ** x), {
            minLength: 1,
            maxLength: 200,
          }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (values, q) => {
            const h = new Histogram({ store });
            for (const v of values) assert.equal(h.record(v), true);
            const sorted = [...values].sort((a, b) => a - b);
            let sum = 0;
            for (const v of values) sum += v;
            assert.equal(h.count, values.length);
            assert.equal(h.sum, sum);
            assert.equal(h.min, sorted[0]);
            assert.equal(h.max, sorted[sorted.length - 1]);
            assert.equal(h.invalid, 0);
            const exact = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
            assert.ok(Math.abs(h.quantile(q) - exact) <= exact * HISTOGRAM_RELATIVE_ERROR);
            assert.equal(h.quantile(0), sorted[0]);
            assert.equal(h.quantile(1), sorted[sorted.length - 1]);
            h.free();
          },
        ),
        { numRuns: 100 },
      );
    });

    it("reports NaN for min, max and quantiles while empty", () => {
      const h = new Histogram({ store: makeStore() });
      assert.equal(h.count, 0);
      assert.equal(h.sum, 0);
      assert.ok(Number.isNaN(h.min) && Number.isNaN(h.max) && Number.isNaN(h.quantile(0.5)));
      assert.equal(h.countAtOrBelow(100), 0);
    });

    it("refuses NaN, negative, infinite and non-number values without throwing", () => {
      const h = new Histogram({ store: makeStore() });
      for (const bad of [NaN, -1, Infinity, -Infinity, "3" as unknown as number, undefined]) {
        assert.equal(h.record(bad as number), false);
      }
      assert.equal(h.record(0), true);
      assert.equal(h.invalid, 6);
      assert.equal(h.count, 1);
    });

    it("throws RangeError for a quantile outside [0, 1] or a NaN bound", () => {
      const h = new Histogram({ store: makeStore() });
      h.record(1);
      for (const q of [-0.01, 1.01, NaN, Infinity, "0.5" as unknown as number]) {
        assert.throws(() => h.quantile(q), RangeError);
      }
      assert.throws(() => h.countAtOrBelow(NaN), RangeError);
    });

    it("counts samples at or below a bound, rounding up within the bound's bucket", () => {
      const h = new Histogram({ store: makeStore() });
      for (const v of [1, 2, 3, 100, 100.5]) h.record(v);
      assert.equal(h.countAtOrBelow(0.5), 0);
      assert.equal(h.countAtOrBelow(2.5), 2);
      assert.equal(h.countAtOrBelow(100), 5); // 100.5 shares 100's bucket [100, 101)
      assert.equal(h.countAtOrBelow(1000), 5);
    });

    it("merges another histogram's samples and invalid count, leaving it unchanged", () => {
      const store = makeStore();
      const a = new Histogram({ store });
      const b = new Histogram({ store });
      a.record(1);
      b.record(10);
      b.record(-1);
      a.merge(b);
      assert.deepEqual([a.count, a.sum, a.min, a.max, a.invalid], [2, 11, 1, 10, 1]);
      assert.deepEqual([b.count, b.sum, b.invalid], [1, 10, 1]);
    });

    it("refuses to merge histograms of different stores", () => {
      const a = new Histogram({ store: makeStore() });
      const b = new Histogram({ store: makeStore() });
      assert.throws(() => a.merge(b), TypeError);
    });

    it("resets to empty", () => {
      const h = new Histogram({ store: makeStore() });
      h.record(5);
      h.record(NaN);
      h.reset();
      assert.deepEqual([h.count, h.sum, h.invalid], [0, 0, 0]);
      assert.ok(Number.isNaN(h.max));
      h.record(7);
      assert.equal(h.quantile(0.5), 7);
    });

    it("frees its memory; any later use throws HistogramFreedError", () => {
      const store = makeStore();
      const h = new Histogram({ store });
      const other = new Histogram({ store });
      assert.equal(store.histogramCount(), 2);
      h.free();
      assert.equal(store.histogramCount(), 1);
      const uses: [string, () => unknown][] = [
        ["record", () => h.record(1)],
        ["count", () => h.count],
        ["sum", () => h.sum],
        ["min", () => h.min],
        ["max", () => h.max],
        ["invalid", () => h.invalid],
        ["quantile", () => h.quantile(0.5)],
        ["countAtOrBelow", () => h.countAtOrBelow(1)],
        ["merge", () => h.merge(other)],
        ["merge", () => other.merge(h)],
        ["reset", () => h.reset()],
        ["free", () => h.free()],
      ];
      for (const [operation, use] of uses) {
        assert.throws(use, (error: unknown) => {
          assert.ok(error instanceof HistogramFreedError);
          assert.equal(error.name, "HistogramFreedError");
          assert.equal(error.operation, operation);
          return true;
        });
      }
      assert.equal(other.count, 0);
      // The next histogram reuses the freed memory (and a fresh handle generation).
      const next = new Histogram({ store });
      assert.equal(next.count, 0);
      assert.equal(store.histogramCount(), 2);
    });
  });
}

describe("Histogram construction", () => {
  it("throws a CoreError when the store refuses to create one", () => {
    const store = new ReferenceHistogramStore();
    const full = Object.assign(Object.create(store), {
      histogramCreate: () => -9,
    }) as HistogramStore;
    assert.throws(() => new Histogram({ store: full }), (error: unknown) => {
      assert.ok(error instanceof CoreError);
      assert.equal(error.codeName, "Limit");
      return true;
    });
  });
});
