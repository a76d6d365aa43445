import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noreply, ok } from "../../src/gen_server.ts";
import type { System } from "../../src/system.ts";
import type { Measurements, Metadata } from "../../src/telemetry/types.ts";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";
import {
  monitorSlos,
  SLO_ALERT_EVENT,
  SLO_RESOLVE_EVENT,
  type SloDeclaration,
  SloMonitor,
} from "../../src/slo/mod.ts";

const CALL_STOP = ["beamlet", "call", "stop"] as const;

interface Heard {
  type: string;
  measurements: Measurements;
  metadata: Metadata;
  at: number;
}

/** Records every SLO alert/resolve event with the virtual time it was executed at. */
function listen(t: TestSystem): Heard[] {
  const heard: Heard[] = [];
  t.system.telemetry.attachMany(
    "test-listener",
    [SLO_ALERT_EVENT, SLO_RESOLVE_EVENT],
    (event, measurements, metadata) => {
      heard.push({ type: event[2], measurements, metadata, at: t.clock.now() });
    },
  );
  return heard;
}

/** Emits `["beamlet", "call", "stop"]` the way the kernel does, once per duration. */
function calls(system: System, name: string | undefined, durations: number[]): void {
  for (const duration of durations) {
    system.telemetry.execute(CALL_STOP, { duration, queue_time: 0 }, {
      pid: undefined,
      name,
      kind: "call",
    });
  }
}

const repeat = (n: number, value: number): number[] => Array.from({ length: n }, () => value);

const p90: SloDeclaration = {
  name: "cache-p90",
  kind: "latency",
  event: CALL_STOP,
  measurement: "duration",
  filter: { name: "cache" },
  quantile: 0.9,
  threshold: 5,
  window: 10_000,
  buckets: 10,
};

function near(actual: number, expected: number, relative = 1e-9): void {
  assert.ok(
    Math.abs(actual - expected) <= Math.abs(expected) * relative,
    `expected about ${expected}, got ${actual}`,
  );
}

describe("latency SLO", () => {
  it("fires exactly one alert with the burn rate, then one resolve once the bad samples slide out", async () => {
    const t = createTestSystem();
    const heard = listen(t);
    const monitor = new SloMonitor(t.system, { slos: [p90], evaluationInterval: 1000 });

    // 20% of calls over 5 ms with a 10% budget: burning at 2x.
    calls(t.system, "cache", [...repeat(80, 1), ...repeat(20, 10)]);
    await t.advance(1000);
    assert.equal(heard.length, 1);
    const [alert] = heard;
    assert.equal(alert.type, "alert");
    assert.equal(alert.at, 1000);
    near(alert.measurements.burn_rate, 2);
    near(alert.measurements.value, 10, 1 / 128);
    assert.equal(alert.measurements.threshold, 5);
    assert.equal(alert.measurements.samples, 100);
    assert.deepEqual(alert.metadata, {
      slo: "cache-p90",
      kind: "latency",
      window: 10_000,
      state: "breached",
    });

    // Still breached (20 bad of 150): evaluations, periodic and on demand, stay quiet.
    await t.advance(2000);
    calls(t.system, "cache", repeat(50, 1));
    monitor.evaluate();
    await t.advance(5000);
    assert.equal(heard.length, 1);
    const [breached] = monitor.status();
    assert.equal(breached.state, "breached");
    near(breached.burnRate, (20 / 150) / 0.1);
    assert.equal(breached.since, 1000);

    // At 10 s the sub-window of t = 0 leaves the window: only the 50 good calls remain.
    await t.advance(2000);
    assert.deepEqual(heard.map((h) => [h.type, h.at]), [["alert", 1000], ["resolve", 10_000]]);
    assert.equal(heard[1].measurements.burn_rate, 0);
    assert.equal(heard[1].measurements.samples, 50);
    assert.equal(heard[1].metadata.state, "ok");
    near(heard[1].measurements.value, 1, 1 / 128);

    const [status] = monitor.status();
    assert.equal(status.state, "ok");
    assert.equal(status.since, 10_000);
    assert.equal(status.samples, 50);
    assert.deepEqual(status.recentAlerts.map((r) => [r.type, r.at, r.state]), [
      ["alert", 1000, "breached"],
      ["resolve", 10_000, "ok"],
    ]);
    assert.deepEqual(monitor.alerts(), status.recentAlerts);
    monitor.stop();
    t.dispose();
  });

  it("is on budget, not breached, when exactly the allowed fraction is bad", () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [p90]);
    // 1 - 0.9 is 0.09999999999999998 in floating point: 10 bad in 100 must still be ok.
    calls(t.system, "cache", [...repeat(90, 1), ...repeat(10, 10)]);
    const [status] = monitor.evaluate();
    assert.equal(status.state, "ok");
    near(status.burnRate, 1);
    near(status.value, 1, 1 / 128); // p90 is the 90th sample: a good one
    calls(t.system, "cache", [10]);
    assert.equal(monitor.evaluate()[0].state, "breached");
    monitor.stop();
    t.dispose();
  });

  it("counts only the events its filter keeps", () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [
      p90,
      { ...p90, name: "shards", filter: (meta) => String(meta.name).startsWith("shard-") },
      { ...p90, name: "everything", filter: undefined },
    ]);
    calls(t.system, "cache", repeat(3, 1));
    calls(t.system, "other", repeat(5, 100));
    calls(t.system, "shard-1", repeat(2, 100));
    calls(t.system, undefined, repeat(1, 1));
    const byName = Object.fromEntries(monitor.evaluate().map((s) => [s.name, s]));
    assert.equal(byName["cache-p90"].samples, 3);
    assert.equal(byName["cache-p90"].state, "ok");
    assert.equal(byName.shards.samples, 2);
    assert.equal(byName.shards.state, "breached");
    assert.equal(byName.everything.samples, 11);
    assert.equal(byName.everything.badSamples, 7);
    monitor.stop();
    t.dispose();
  });

  it("ignores and counts bad measurements and throwing filters, never throwing into execute", () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [
      { ...p90, filter: undefined },
      {
        ...p90,
        name: "throws",
        filter: () => {
          throw new Error("filter bug");
        },
      },
    ]);
    const execute = (m: Measurements) => t.system.telemetry.execute(CALL_STOP, m, {});
    assert.doesNotThrow(() => {
      execute({ duration: NaN });
      execute({ duration: -1 });
      execute({ duration: Infinity });
      execute({ queue_time: 3 });
      execute({ duration: 2 });
    });
    const [lenient, throwing] = monitor.evaluate();
    assert.equal(lenient.ignored, 4);
    assert.equal(lenient.samples, 1);
    assert.equal(throwing.ignored, 5);
    assert.equal(throwing.samples, 0);
    assert.equal(throwing.state, "no_data");
    // Neither handler was detached for failing.
    assert.equal(t.system.telemetry.stats().failedHandlers, 0);
    assert.equal(t.system.telemetry.listHandlers(CALL_STOP).length, 2);
    monitor.stop();
    t.dispose();
  });

  it("stays no_data below minSamples", () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [{ ...p90, minSamples: 5 }]);
    calls(t.system, "cache", repeat(4, 100));
    assert.equal(monitor.evaluate()[0].state, "no_data");
    assert.equal(monitor.alerts().length, 0);
    calls(t.system, "cache", [100]);
    assert.equal(monitor.evaluate()[0].state, "breached");
    monitor.stop();
    t.dispose();
  });

  it("resolves to no_data when every sample has slid out", async () => {
    const t = createTestSystem();
    const heard = listen(t);
    const monitor = monitorSlos(t.system, [p90], { evaluationInterval: 500 });
    calls(t.system, "cache", [100]);
    await t.advance(500);
    await t.advance(10_000);
    assert.deepEqual(heard.map((h) => [h.type, h.at, h.metadata.state]), [
      ["alert", 500, "breached"],
      ["resolve", 10_000, "no_data"],
    ]);
    assert.ok(Number.isNaN(heard[1].measurements.value));
    monitor.stop();
    t.dispose();
  });

  it("with a short window, resolves as soon as the short window stops burning", async () => {
    const t = createTestSystem();
    const heard = listen(t);
    const monitor = monitorSlos(t.system, [{ ...p90, shortWindow: 2000 }]);
    calls(t.system, "cache", repeat(10, 100));
    await t.advance(1000);
    assert.deepEqual(heard.map((h) => h.type), ["alert"]);
    await t.advance(1000);
    calls(t.system, "cache", repeat(10, 1)); // t = 2000: a sub-window of good calls only
    await t.advance(1000);
    // The long window still burns (10 bad of 20 = 5x); the short one (1 s..3 s) does not.
    assert.deepEqual(heard.map((h) => [h.type, h.at]), [["alert", 1000], ["resolve", 2000]]);
    const [status] = monitor.status();
    assert.equal(status.state, "ok");
    near(status.burnRate, 5);
    assert.equal(status.shortBurnRate, 0);
    monitor.stop();
    t.dispose();
  });

  it("says why it is ok while the long window is over: both windows' burn and value", async () => {
    // The demo's "ok (1832.0/250 ms)": the state needs both windows over the burn threshold,
    // the value shown was the long window's. The status and the records carry both.
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [{ ...p90, shortWindow: 2000, burnRateThreshold: 2 }]);
    calls(t.system, "cache", repeat(10, 100));
    await t.advance(1000);
    const [alerted] = monitor.status();
    assert.equal(alerted.state, "breached");
    assert.equal(alerted.burnRateThreshold, 2);
    assert.equal(alerted.shortWindow, 2000);
    near(alerted.shortBurnRate!, 10);
    near(alerted.shortValue!, 100);
    await t.advance(1000);
    calls(t.system, "cache", repeat(10, 1));
    await t.advance(1000);
    const [status] = monitor.status();
    assert.equal(status.state, "ok");
    near(status.burnRate, 5); // the long window: still over the threshold of 2 …
    near(status.value, 100); // … and its p90 still over 5 ms
    assert.equal(status.shortBurnRate, 0); // the short window: recovered
    near(status.shortValue!, 1);
    const [alert, resolve] = monitor.alerts();
    assert.equal(alert.type, "alert");
    near(alert.shortBurnRate!, 10);
    // The resolve came at t = 2000, when the short window (1 s..3 s) was still empty: the
    // record says so — long burn 10, short burn 0 — instead of a bare "ok · burn 10".
    assert.equal(resolve.type, "resolve");
    assert.equal(resolve.at, 2000);
    assert.equal(resolve.state, "ok");
    near(resolve.burnRate, 10);
    assert.equal(resolve.shortBurnRate, 0);
    assert.equal(resolve.burnRateThreshold, 2);
    assert.equal(resolve.shortWindow, 2000);
    assert.ok(Number.isNaN(resolve.shortValue));
    monitor.stop();
    t.dispose();
  });

  it("leaves the short-window fields undefined without a short window", () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [p90]);
    calls(t.system, "cache", repeat(10, 100));
    const [status] = monitor.evaluate();
    assert.equal(status.state, "breached");
    assert.equal(status.burnRateThreshold, 1);
    assert.equal(status.shortWindow, undefined);
    assert.equal(status.shortBurnRate, undefined);
    assert.equal(status.shortValue, undefined);
    monitor.stop();
    t.dispose();
  });
});

describe("error rate SLO", () => {
  it("burns on exception events out of stop + exception events", () => {
    const t = createTestSystem();
    const heard = listen(t);
    const monitor = monitorSlos(t.system, [{
      name: "cache-errors",
      kind: "error_rate",
      prefix: ["beamlet", "call"],
      filter: { name: "cache" },
      objective: 0.99,
      window: 60_000,
    }]);
    calls(t.system, "cache", repeat(97, 1));
    for (let i = 0; i < 3; i++) {
      t.system.telemetry.execute(["beamlet", "call", "exception"], { duration: 1 }, {
        name: "cache",
        kind: "call",
        reason: "boom",
      });
    }
    t.system.telemetry.execute(["beamlet", "call", "exception"], { duration: 1 }, {
      name: "other",
    });
    const [status] = monitor.evaluate();
    assert.equal(status.state, "breached");
    assert.equal(status.samples, 100);
    near(status.value, 0.03);
    near(status.threshold, 0.01);
    near(status.burnRate, 3);
    assert.equal(heard.length, 1);
    near(heard[0].measurements.burn_rate, 3);
    monitor.stop();
    t.dispose();
  });
});

describe("mailbox age SLO", () => {
  it("alerts on a suspended process's ageing queue and resolves once it drains", async () => {
    const t = createTestSystem();
    const heard = listen(t);
    const pid = await t.start(
      { init: () => ok(0), handleCast: (n: number, sum: number) => noreply(sum + n) },
      undefined,
      { name: "cache" },
    );
    const monitor = monitorSlos(t.system, [{
      name: "cache-queue",
      kind: "mailbox_age",
      target: "cache",
      threshold: 2500,
      objective: 0.5,
      window: 10_000,
    }]);
    t.system.suspend(pid);
    t.system.cast(pid, 1);
    // Sampled at 1 s .. 5 s: ages 1000 .. 5000; 3 of 5 over 2500 ms with half allowed: 1.2x.
    await t.advance(4000);
    assert.equal(heard.length, 0);
    assert.equal(monitor.status()[0].state, "ok");
    await t.advance(1000);
    assert.equal(heard.length, 1);
    assert.equal(heard[0].at, 5000);
    near(heard[0].measurements.burn_rate, 1.2);
    near(heard[0].measurements.value, 3000, 1 / 128); // the median sampled age
    assert.equal(heard[0].metadata.kind, "mailbox_age");

    t.system.resume(pid);
    await t.runUntilIdle();
    await t.advance(1000); // age 0 sampled: 3 of 6 over, on budget
    assert.deepEqual(heard.map((h) => [h.type, h.at]), [["alert", 5000], ["resolve", 6000]]);
    const [status] = monitor.status();
    assert.equal(status.samples, 6);
    assert.equal(status.badSamples, 3);
    monitor.stop();
    t.dispose();
  });

  it("takes no sample while the target is not alive", async () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [{
      name: "ghost",
      kind: "mailbox_age",
      target: "nobody",
      threshold: 10,
      window: 10_000,
    }]);
    await t.advance(3000);
    const [status] = monitor.status();
    assert.equal(status.state, "no_data");
    assert.equal(status.samples, 0);
    assert.equal(status.evaluatedAt, 3000);
    monitor.stop();
    t.dispose();
  });
});

describe("SloMonitor lifecycle and data", () => {
  it("status() is plain, serializable data", () => {
    const t = createTestSystem({ startAt: 42 });
    const monitor = monitorSlos(t.system, [p90]);
    const [status] = monitor.status();
    assert.deepEqual(status, {
      name: "cache-p90",
      kind: "latency",
      state: "no_data",
      burnRate: 0,
      shortBurnRate: undefined,
      burnRateThreshold: 1,
      value: NaN,
      shortValue: undefined,
      threshold: 5,
      objective: 0.9,
      window: 10_000,
      shortWindow: undefined,
      samples: 0,
      badSamples: 0,
      ignored: 0,
      since: 42,
      evaluatedAt: undefined,
      recentAlerts: [],
    });
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(monitor.status())));
    monitor.stop();
    t.dispose();
  });

  it("stop() detaches its handlers, cancels its timer and evaluates no more", async () => {
    const t = createTestSystem();
    const before = t.system.tableSizes().timers;
    const monitor = monitorSlos(t.system, [
      p90,
      {
        name: "errors",
        kind: "error_rate",
        prefix: ["beamlet", "call"],
        objective: 0.9,
        window: 1000,
      },
      { name: "queue", kind: "mailbox_age", target: "cache", threshold: 1, window: 1000 },
    ], { evaluationInterval: 100 });
    const ours = () =>
      t.system.telemetry.listHandlers().filter((h) => String(h.id).startsWith("beamlet.slo"));
    assert.equal(ours().length, 3); // latency: 1 event; error_rate: stop + exception
    assert.equal(t.system.tableSizes().timers, before + 1);
    await t.advance(350);
    assert.equal(monitor.status()[0].evaluatedAt, 300);
    assert.equal(t.system.tableSizes().timers, before + 1); // re-armed, never piled up

    monitor.stop();
    monitor.stop(); // idempotent
    assert.equal(monitor.stopped, true);
    assert.deepEqual(ours(), []);
    assert.equal(t.system.telemetry.stats().handlers, 0);
    assert.equal(t.system.tableSizes().timers, before);
    assert.equal(t.system.nextTimerDue(), undefined);
    calls(t.system, "cache", [100]);
    await t.advance(1000);
    assert.equal(monitor.evaluate()[0].evaluatedAt, 300);
    assert.equal(monitor.status()[0].samples, 0);
    t.dispose();
  });

  it("keeps a bounded history of alert and resolve records", () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [{ ...p90, filter: undefined, window: 1000 }], {
      historySize: 3,
    });
    // Flap: breached (10 bad), then ok once 100 good calls join, three times over.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      calls(t.system, "x", repeat(10, 100));
      monitor.evaluate();
      calls(t.system, "x", repeat(1000, 1));
      monitor.evaluate();
    }
    const all = monitor.alerts();
    assert.deepEqual(all.map((r) => [r.type, r.at]), [
      ["resolve", 2000],
      ["alert", 3000],
      ["resolve", 3000],
    ]);
    assert.deepEqual(monitor.alerts(1), [all[2]]);
    assert.deepEqual(monitor.alerts(0), []);
    assert.equal(monitor.status()[0].recentAlerts.length, 3);
    monitor.stop();
    t.dispose();
  });

  it("an alert handler may stop the monitor or evaluate again without harm", () => {
    const t = createTestSystem();
    const monitor = monitorSlos(t.system, [
      { ...p90, name: "a", filter: undefined },
      { ...p90, name: "b", filter: undefined },
    ]);
    let alerts = 0;
    t.system.telemetry.attach("reentrant", SLO_ALERT_EVENT, () => {
      alerts++;
      monitor.evaluate();
      monitor.stop();
    });
    calls(t.system, "x", [100]);
    monitor.evaluate();
    assert.equal(alerts, 1);
    assert.equal(monitor.stopped, true);
    assert.deepEqual(monitor.status().map((s) => s.state), ["breached", "no_data"]);
    assert.equal(t.system.telemetry.stats().failedHandlers, 0);
    t.dispose();
  });

  it("two monitors on one system keep apart", () => {
    const t = createTestSystem();
    const one = monitorSlos(t.system, [p90]);
    const two = monitorSlos(t.system, [p90]);
    calls(t.system, "cache", [1]);
    assert.equal(one.evaluate()[0].samples, 1);
    assert.equal(two.evaluate()[0].samples, 1);
    one.stop();
    calls(t.system, "cache", [1]);
    assert.equal(two.evaluate()[0].samples, 2);
    two.stop();
    t.dispose();
  });
});
