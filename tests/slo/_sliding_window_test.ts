import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SlidingWindow } from "../../src/slo/_sliding_window.ts";

describe("SlidingWindow", () => {
  it("counts exactly the samples of the live sub-windows (model check)", {
    timeout: 120_000,
  }, () => {
    const step = fc.record({ dt: fc.nat(700), bad: fc.boolean(), value: fc.nat(50) });
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(step, { maxLength: 60 }),
        (buckets, slotMs, steps) => {
          const window = new SlidingWindow(buckets, slotMs, true);
          const model: { epoch: number; bad: boolean; value: number }[] = [];
          let now = 0;
          try {
            for (const { dt, bad, value } of steps) {
              now += dt;
              window.record(now, bad, value);
              model.push({ epoch: Math.floor(now / slotMs), bad, value });
              const newest = Math.floor(now / slotMs);
              for (const slots of [1, buckets]) {
                const live = model.filter((s) => s.epoch > newest - slots);
                assert.deepEqual(window.tally(now, slots), {
                  samples: live.length,
                  bad: live.filter((s) => s.bad).length,
                });
              }
              const live = model.filter((s) => s.epoch > newest - buckets).map((s) => s.value);
              live.sort((a, b) => a - b);
              const exact = live[Math.ceil(0.5 * live.length) - 1];
              const q = window.quantile(now, 0.5);
              // Histogram's bound: 1/128 relative, and values below 2^-20 (0) share one bucket.
              assert.ok(
                Math.abs(q - exact) <= exact / 128 + 2 ** -20,
                `median ${q}, exact ${exact}`,
              );
            }
          } finally {
            window.free();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("answers NaN for an empty window, or one without histograms", () => {
    const withHistograms = new SlidingWindow(4, 100, true);
    assert.ok(Number.isNaN(withHistograms.quantile(0, 0.9)));
    withHistograms.record(0, false, 3);
    assert.ok(Number.isNaN(withHistograms.quantile(400, 0.9))); // slid out
    withHistograms.free();
    const countsOnly = new SlidingWindow(4, 100, false);
    countsOnly.record(0, true, 3);
    assert.ok(Number.isNaN(countsOnly.quantile(0, 0.9)));
    assert.deepEqual(countsOnly.tally(0), { samples: 1, bad: 1 });
    countsOnly.free();
  });
});
