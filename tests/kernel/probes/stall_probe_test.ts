/**
 * The event-loop probe (`src/kernel/probes/stall_probe.ts`,
 * `monitor_install.ts`) on an injected host clock and timer: a tick that
 * fires late is a stall (told, counted, logged once per interval), one on
 * time is not; the probe stops when stopped, when its system is shut down,
 * and never runs in manual scheduling. No real time is measured.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type ProbeHost, startStallProbe } from "../../../src/kernel/probes/stall_probe.ts";
import { installMonitor } from "../../../src/kernel/probes/monitor_install.ts";
import { monitorSettings } from "../../../src/_monitor_settings.ts";
import { runtimeOf } from "../../../src/_runtime_access.ts";
import type { Report } from "../../../src/logger.ts";
import { System } from "../../../src/system.ts";
import { MONITOR_EVENT_LOOP_STALL } from "../../../src/telemetry/catalog/monitor_events.ts";

/** A host whose clock and single pending timer the test moves by hand. */
function fakeHost() {
  let now = 0;
  const pending: { task: () => void; ms: number; cancelled: boolean }[] = [];
  const host: ProbeHost = {
    now: () => now,
    setTimer(task, ms) {
      const timer = { task, ms, cancelled: false };
      pending.push(timer);
      return () => void (timer.cancelled = true);
    },
  };
  /** Lets the host's time pass by `ms` and fires the timer due (late by whatever blocked). */
  const fire = (ms: number) => {
    now += ms;
    const timer = pending.shift()!;
    assert.ok(timer && !timer.cancelled, "a probe timer is pending");
    timer.task();
  };
  const live = () => pending.filter((t) => !t.cancelled).length;
  return { host, fire, live };
}

describe("event-loop probe", () => {
  it("a tick that fires at least the threshold late is a stall; one on time is not", () => {
    const { host, fire, live } = fakeHost();
    const stalls: number[] = [];
    const stop = startStallProbe(500, 100, (delay) => (stalls.push(delay), true), host);
    fire(500); // on time
    fire(560); // 60 ms late: under the threshold
    fire(750); // 250 ms late
    assert.deepEqual(stalls, [250]);
    assert.equal(live(), 1);
    stop();
    assert.equal(live(), 0);
  });

  it("stops once its listener says the system is gone", () => {
    const { host, fire, live } = fakeHost();
    startStallProbe(500, 100, () => false, host);
    fire(900);
    assert.equal(live(), 0);
  });

  it("a stall on a system is told, counted and logged at most once per logInterval", () => {
    const { host, fire } = fakeHost();
    const notices: string[] = [];
    const system = new System({
      monitor: false,
      logger: { report: (r: Report) => void (r.kind === "notice" && notices.push(r.message)) },
    });
    const delays: number[] = [];
    system.telemetry.attach("stalls", MONITOR_EVENT_LOOP_STALL, (_e, m) => delays.push(m.delay));
    const rt = runtimeOf(system);
    installMonitor(rt, monitorSettings({ logInterval: 60_000 })!, host);
    fire(500 + 300);
    fire(500 + 150);
    assert.deepEqual(delays, [300, 150]);
    assert.equal(system.monitorStats().eventLoopStalls, 2);
    assert.equal(notices.length, 1);
    assert.match(
      notices[0],
      /the host's event loop was blocked 300 ms \(monitor\.eventLoopStall is 100 ms\)/,
    );
    system.shutdown();
  });

  it("shutdown stops the probe of a system", () => {
    const { host, live } = fakeHost();
    const system = new System({ monitor: false, logger: null });
    installMonitor(runtimeOf(system), monitorSettings({})!, host);
    assert.equal(live(), 1);
    system.shutdown();
    assert.equal(live(), 0);
  });

  it("a system's own probe runs in auto scheduling and stops at shutdown; none in manual", () => {
    const auto = new System({ logger: null });
    assert.notEqual(runtimeOf(auto).monitor!.stopProbe, undefined);
    auto.shutdown();
    assert.equal(runtimeOf(auto).monitor!.stopProbe, undefined);
    const manual = new System({ logger: null, scheduling: "manual" });
    assert.equal(runtimeOf(manual).monitor!.stopProbe, undefined);
  });
});
