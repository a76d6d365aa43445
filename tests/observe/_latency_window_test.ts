/**
 * The overview's sliding latency window: samples count for `window` to
 * `2 × window` ms of the clock given, then are forgotten.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LatencyWindow } from "../../src/observe/_latency_window.ts";

describe("LatencyWindow", () => {
  it("is null before any sample", () => {
    const w = new LatencyWindow(1000);
    assert.equal(w.summary(0), null);
    w.free();
  });

  it("keeps the last window and the one before it, then forgets", () => {
    const w = new LatencyWindow(1000);
    w.record(5, 0);
    w.record(7, 500);
    assert.equal(w.summary(900)?.count, 2);
    w.record(100, 1200); // the first window is now the previous one
    const both = w.summary(1500);
    assert.equal(both?.count, 3);
    assert.ok((both?.max ?? 0) >= 99);
    assert.equal(w.summary(2100)?.count, 1); // the first window's samples are gone
    assert.equal(w.summary(4000), null); // two idle windows: all gone
    w.free();
  });

  it("rotates on reads as well as on samples", () => {
    const w = new LatencyWindow(1000);
    w.record(1, 0);
    assert.equal(w.summary(1999)?.count, 1);
    assert.equal(w.summary(2000), null);
    w.free();
  });
});
