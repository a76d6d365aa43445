/**
 * The per-server latency sketch: exact count, min and max; quantiles within
 * 1/16 of the exact nearest-rank quantile; bad values ignored.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  SKETCH_BUCKETS,
  SKETCH_RELATIVE_ERROR,
  SKETCH_STATS,
  sketchCount,
  sketchMax,
  sketchQuantile,
  sketchRecord,
} from "../../src/observe/_latency_sketch.ts";

function sketches(n: number) {
  return { counts: new Uint32Array(n * SKETCH_BUCKETS), stats: new Float64Array(n * SKETCH_STATS) };
}

/** The exact nearest-rank quantile. */
function exact(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

describe("latency sketch", () => {
  it("is empty at first: count 0, quantiles and max NaN", () => {
    const { counts, stats } = sketches(1);
    assert.equal(sketchCount(stats, 0), 0);
    assert.ok(Number.isNaN(sketchMax(stats, 0)));
    assert.ok(Number.isNaN(sketchQuantile(counts, stats, 0, 0.5)));
  });

  it("gives quantiles within its error bound, exact max, sketches apart", () => {
    const { counts, stats } = sketches(2);
    const values: number[] = [];
    let x = 0.37;
    for (let i = 0; i < 5000; i++) {
      x = (x * 9301 + 49297) % 233280; // deterministic spread
      const value = (x / 233280) ** 3 * 2000 + 0.002;
      values.push(value);
      sketchRecord(counts, stats, 1, value);
    }
    values.sort((a, b) => a - b);
    assert.equal(sketchCount(stats, 0), 0);
    assert.equal(sketchCount(stats, 1), 5000);
    assert.equal(sketchMax(stats, 1), values[values.length - 1]);
    for (const q of [0.01, 0.5, 0.9, 0.95, 0.99, 1]) {
      const want = exact(values, q);
      const got = sketchQuantile(counts, stats, 1, q);
      assert.ok(Math.abs(got - want) <= want * SKETCH_RELATIVE_ERROR, `q ${q}: ${got} vs ${want}`);
    }
  });

  it("counts zero, clamps huge values to the top bucket, ignores NaN, negatives and Infinity", () => {
    const { counts, stats } = sketches(1);
    for (const value of [0, 0, 1e12, NaN, -1, Infinity]) sketchRecord(counts, stats, 0, value);
    assert.equal(sketchCount(stats, 0), 3);
    assert.equal(sketchQuantile(counts, stats, 0, 0.5), 0);
    assert.equal(sketchQuantile(counts, stats, 0, 1), 1e12);
    assert.equal(sketchMax(stats, 0), 1e12);
  });

  it("a single value is its own every quantile", () => {
    const { counts, stats } = sketches(1);
    sketchRecord(counts, stats, 0, 3.3);
    for (const q of [0, 0.5, 0.99, 1]) assert.equal(sketchQuantile(counts, stats, 0, q), 3.3);
  });
});
