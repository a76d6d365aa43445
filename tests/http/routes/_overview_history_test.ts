/**
 * GET /overview/history (the back-fill of the dashboard's charts) and what
 * the app adds to /overview: which actions and inspections are enabled,
 * and the host's memory. Sampling itself is tested on a manual scheduler
 * in tests/http/_overview_history_test.ts; here, the app's first sample.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fixture, json } from "../_fixtures.ts";

interface History {
  time: number;
  interval: number;
  points: {
    time: number;
    throughput: number | null;
    processes: number;
    runQueue: { high: number; normal: number; low: number };
    utilization: number;
    memoryBytes: number | null;
    calls: { queued: number | null; handling: number | null; roundTrip: number | null };
  }[];
}

describe("GET /overview/history", () => {
  it("answers the samples so far (one taken when the app starts), no-store, behind auth", async () => {
    const f = fixture();
    try {
      const response = await f.get("/overview/history");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const history = await json<History>(response);
      assert.equal(history.interval, 1000);
      assert.equal(typeof history.time, "number");
      assert.ok(history.points.length >= 1);
      const [first] = history.points;
      assert.deepEqual(Object.keys(first).sort(), [
        "calls",
        "memoryBytes",
        "processes",
        "runQueue",
        "throughput",
        "time",
        "utilization",
      ]);
      assert.equal(first.throughput, null);
      assert.equal(first.processes, 0);
      assert.deepEqual(Object.keys(first.runQueue).sort(), ["high", "low", "normal"]);
      assert.deepEqual(Object.keys(first.calls).sort(), ["handling", "queued", "roundTrip"]);
      assert.ok(first.memoryBytes === null || first.memoryBytes > 0);
      assert.equal((await f.app.request("/overview/history")).status, 401);
    } finally {
      f.close();
    }
  });

  it("answers an empty history with history: false", async () => {
    const f = fixture({ history: false });
    try {
      const history = await json<History>(await f.get("/overview/history"));
      assert.deepEqual(history.points, []);
      assert.equal(history.interval, 1000);
    } finally {
      f.close();
    }
  });

  it("refuses a history option that is not a boolean", () => {
    // deno-lint-ignore no-explicit-any
    assert.throws(() => fixture({ history: "yes" as any }), TypeError);
  });
});

describe("GET /overview, as the app adds to it", () => {
  it("says which actions and inspections are enabled, and the host memory", async () => {
    for (
      const [options, mutations] of [
        [{}, { kill: false, suspend: false, restart: false }],
        [{ mutations: { kill: true, restart: true } }, {
          kill: true,
          suspend: false,
          restart: true,
        }],
        [{ mutations: { suspend: true } }, { kill: false, suspend: true, restart: false }],
      ] as const
    ) {
      const f = fixture(options);
      try {
        const overview = await json(await f.get("/overview"));
        assert.deepEqual(overview.mutations, mutations);
        assert.deepEqual(overview.inspection, { state: false });
        assert.ok(overview.memoryBytes === null || typeof overview.memoryBytes === "number");
        assert.equal(typeof overview.scheduler, "object"); // the observer's view is all there
      } finally {
        f.close();
      }
    }
  });

  it("says when state inspection is on", async () => {
    // deno-lint-ignore no-explicit-any
    const f = fixture({ inspection: { state: true } } as any);
    try {
      const overview = await json(await f.get("/overview"));
      assert.deepEqual(overview.inspection, { state: true });
    } finally {
      f.close();
    }
  });
});
