/**
 * /overview: every field, call latency after calls, top mailboxes and
 * counts by status from the walker's snapshot (with its age), SLOs; no
 * scan of the process table per request.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SloMonitor } from "../../../src/slo/slo_monitor.ts";
import { System } from "../../../src/system.ts";
import { echo, fixture, forbidScans, json } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

describe("GET /overview", () => {
  it("answers the scheduler, processes, tables, call latency and top mailboxes", async () => {
    const f = fixture({ manualWalker: true });
    try {
      f.refresh();
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

      f.refresh();
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
        label: "full",
        messageQueueLength: 4,
      });
      assert.ok(body.topMailboxes.length <= 10);
    } finally {
      f.close();
    }
  });

  it("serves counts and mailboxes from the walker's last snapshot, saying how old it is", async () => {
    let now = 0;
    const system = new System({ logger: null, clock: { now: () => now } });
    const f = fixture({ manualWalker: true }, system);
    try {
      const pid = (await system.start(echo))!;
      system.suspend(pid);
      f.refresh();
      system.cast(pid, "queued after the snapshot");
      now += 800;
      const body = await json<Json>(await f.get("/overview"));
      assert.equal(body.snapshotAgeMs, 800);
      assert.equal(body.byStatus.suspended, 1);
      assert.equal(body.topMailboxes[0].messageQueueLength, 0); // as the snapshot saw it
      assert.equal(body.processes, 1); // read directly
    } finally {
      f.close();
    }
  });

  it("costs no scan of the process table per request, however many ask", async () => {
    const f = fixture({ manualWalker: true });
    try {
      for (let i = 0; i < 50; i++) await f.system.start(echo);
      f.refresh();
      forbidScans(f.system, { walker: false });
      let summaries = 0;
      const summary = f.system.processSummary.bind(f.system);
      Object.defineProperty(f.system, "processSummary", {
        value: (target: Parameters<typeof summary>[0]) => (summaries++, summary(target)),
      });
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => f.get("/overview")),
      );
      for (const response of responses) assert.equal(response.status, 200);
      assert.equal(summaries, 0);
      const body = await json<Json>(responses[0]);
      assert.equal(body.byStatus.waiting, 50);
    } finally {
      f.close();
    }
  });

  it("answers 503 once the app is closed before any snapshot was taken", async () => {
    const f = fixture();
    f.controller.abort();
    try {
      const response = await f.get("/overview");
      assert.equal(response.status, 503);
      assert.deepEqual(await json(response), { error: "closed" });
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
