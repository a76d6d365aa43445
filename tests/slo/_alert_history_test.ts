import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { AlertHistory } from "../../src/slo/_alert_history.ts";
import type { SloAlertRecord } from "../../src/slo/types.ts";

const record = (at: number): SloAlertRecord => ({
  type: at % 2 === 0 ? "alert" : "resolve",
  slo: "s",
  kind: "latency",
  at,
  state: "ok",
  burnRate: 0,
  shortBurnRate: undefined,
  burnRateThreshold: 1,
  value: 0,
  shortValue: undefined,
  threshold: 1,
  window: 1,
  shortWindow: undefined,
});

describe("AlertHistory", () => {
  it("keeps the newest `capacity` records, oldest first", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.nat(30), fc.nat(40), (capacity, n, limit) => {
        const history = new AlertHistory(capacity);
        const all = Array.from({ length: n }, (_, i) => record(i));
        all.forEach((r) => history.push(r));
        const kept = all.slice(Math.max(0, n - capacity));
        assert.deepEqual(history.list(), kept);
        assert.deepEqual(history.list(limit), kept.slice(Math.max(0, kept.length - limit)));
      }),
    );
  });
});
