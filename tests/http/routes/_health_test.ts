/**
 * /health (no auth): `{ status }` and nothing else — "ok", or "degraded"
 * while an SLO is breached; /health/details (auth): uptime, process count
 * and SLOs.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SloMonitor } from "../../../src/slo/slo_monitor.ts";
import { System } from "../../../src/system.ts";
import { echo, fixture, forbidScans, json } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const SLO = {
  name: "checkout-p50",
  kind: "latency",
  event: ["app", "job", "stop"],
  quantile: 0.5,
  threshold: 10,
  window: 60_000,
  minSamples: 1,
} as const;

/** A fixture whose one SLO is breached. */
function breached() {
  const system = new System({ logger: null });
  const monitor = new SloMonitor(system, { slos: [SLO] });
  const f = fixture({ slo: monitor }, system);
  for (let i = 0; i < 10; i++) {
    system.telemetry.execute(["app", "job", "stop"], { duration: 500 }, {});
  }
  monitor.evaluate();
  return {
    f,
    close() {
      monitor.stop();
      f.close();
    },
  };
}

describe("GET /health", () => {
  it("answers { status: ok } without auth, and nothing else", async () => {
    const f = fixture();
    try {
      await f.system.start(echo);
      const response = await f.app.request("/health");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      assert.deepEqual(await json(response), { status: "ok" });
    } finally {
      f.close();
    }
  });

  it("the public /health discloses no SLO detail, only that one is breached", async () => {
    const { f, close } = breached();
    try {
      const response = await f.app.request("/health");
      const text = await response.text();
      assert.deepEqual(JSON.parse(text), { status: "degraded" });
      for (const secret of ["checkout-p50", "threshold", "500", "alert", "uptime", "processes"]) {
        assert.equal(text.includes(secret), false, secret);
      }
    } finally {
      close();
    }
  });

  it("costs no scan of the process table", async () => {
    const f = fixture();
    try {
      for (let i = 0; i < 10; i++) await f.system.start(echo);
      forbidScans(f.system, { walker: false });
      Object.defineProperty(f.system, "tableSizes", {
        value: () => {
          throw new Error("the public /health read the tables");
        },
      });
      assert.deepEqual(await json(await f.app.request("/health")), { status: "ok" });
    } finally {
      f.close();
    }
  });
});

describe("GET /health/details", () => {
  it("needs auth, and answers the status, uptime, process count and SLOs", async () => {
    const { f, close } = breached();
    try {
      await f.system.start(echo);
      assert.equal((await f.app.request("/health/details")).status, 401);
      const body = await json<Json>(await f.get("/health/details"));
      assert.equal(body.status, "degraded");
      assert.equal(typeof body.uptimeMs, "number");
      assert.equal(body.processes, 1);
      assert.equal(body.slos[0].name, "checkout-p50");
      assert.equal(body.slos[0].state, "breached");
      const overview = await json<Json>(await f.get("/overview"));
      assert.equal(overview.alerts.length, 1);
      assert.equal(overview.alerts[0].type, "alert");
    } finally {
      close();
    }
  });

  it("leaves slos out without an SLO monitor", async () => {
    const f = fixture();
    try {
      const body = await json<Json>(await f.get("/health/details"));
      assert.deepEqual(Object.keys(body).sort(), ["processes", "status", "uptimeMs"]);
      assert.equal(body.status, "ok");
    } finally {
      f.close();
    }
  });
});
