/**
 * /overview (every field, call latency after calls, top mailboxes, SLOs)
 * and /health (no auth, degraded while an SLO is breached).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SloMonitor } from "../../../src/slo/slo_monitor.ts";
import { System } from "../../../src/system.ts";
import { echo, fixture, json } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

describe("GET /overview", () => {
  it("answers the scheduler, processes, tables, call latency and top mailboxes", async () => {
    const f = fixture();
    try {
      const before = await json<Json>(await f.get("/overview"));
      assert.equal(before.callLatency, null);
      assert.deepEqual(before.topMailboxes, []);
      assert.deepEqual(before.slos, []);
      assert.deepEqual(before.alerts, []);

      const pid = (await f.system.start(echo, undefined, { name: "echo" }))!;
      for (let i = 0; i < 20; i++) assert.equal(await f.system.call(pid, i), i);
      const full = (await f.system.start(echo, undefined, { name: "full" }))!;
      f.system.suspend(full);
      for (let i = 0; i < 4; i++) f.system.cast(full, i);

      const body = await json<Json>(await f.get("/overview"));
      assert.ok(Math.abs(body.time - Date.now()) < 60_000);
      assert.equal(typeof body.uptimeMs, "number");
      assert.deepEqual(Object.keys(body.scheduler.runQueue).sort(), ["high", "low", "normal"]);
      for (
        const key of ["utilization", "slices", "processRuns", "messages", "busyMs", "inFlight"]
      ) {
        assert.equal(typeof body.scheduler[key], "number", key);
      }
      assert.ok(body.scheduler.messages >= 20);
      assert.equal(body.processes, 2);
      assert.deepEqual(Object.keys(body.byStatus).sort(), [
        "exiting",
        "runnable",
        "running",
        "suspended",
        "waiting",
      ]);
      assert.equal(body.byStatus.suspended, 1);
      assert.equal(body.tables.processes, 2);
      assert.equal(body.callLatency.count, 20);
      for (const key of ["p50", "p95", "p99", "max"]) {
        assert.ok(body.callLatency[key] >= 0, key);
      }
      assert.ok(body.callLatency.p50 <= body.callLatency.max * 1.01);
      assert.deepEqual(body.topMailboxes[0], {
        id: String(full.serial),
        pid: String(full),
        name: "full",
        messageQueueLength: 4,
      });
      assert.ok(body.topMailboxes.length <= 10);
    } finally {
      f.close();
    }
  });

  it("reports the SLOs and their alerts", async () => {
    const system = new System({ logger: null });
    const monitor = new SloMonitor(system, {
      slos: [{ name: "q", kind: "mailbox_age", target: "cache", threshold: 1000, window: 60_000 }],
    });
    const g = fixture({ slo: monitor }, system);
    try {
      const body = await json<Json>(await g.get("/overview"));
      assert.equal(body.slos.length, 1);
      assert.equal(body.slos[0].name, "q");
      assert.deepEqual(body.alerts, []);
    } finally {
      monitor.stop();
      g.close();
    }
  });
});

describe("GET /health", () => {
  it("answers ok without auth", async () => {
    const f = fixture();
    try {
      await f.system.start(echo);
      const response = await f.app.request("/health");
      assert.equal(response.status, 200);
      const body = await json<Json>(response);
      assert.equal(body.status, "ok");
      assert.equal(body.processes, 1);
      assert.equal(typeof body.uptimeMs, "number");
      assert.equal("slos" in body, false);
    } finally {
      f.close();
    }
  });

  it("answers degraded while an SLO is breached", async () => {
    const system = new System({ logger: null });
    const slo = {
      name: "p50",
      kind: "latency",
      event: ["app", "job", "stop"],
      quantile: 0.5,
      threshold: 10,
      window: 60_000,
      minSamples: 1,
    } as const;
    const monitor = new SloMonitor(system, { slos: [slo] });
    const g = fixture({ slo: monitor }, system);
    try {
      for (let i = 0; i < 10; i++) {
        system.telemetry.execute(["app", "job", "stop"], { duration: 500 }, {});
      }
      monitor.evaluate();
      const body = await json<Json>(await g.app.request("/health"));
      assert.equal(body.status, "degraded");
      assert.equal(body.slos[0].state, "breached");
      const overview = await json<Json>(await g.get("/overview"));
      assert.equal(overview.alerts.length, 1);
      assert.equal(overview.alerts[0].type, "alert");
    } finally {
      monitor.stop();
      g.close();
    }
  });
});
