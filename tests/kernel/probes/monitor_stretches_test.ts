/**
 * The system monitor (`src/kernel/probes/monitor_stretches.ts`): long
 * callbacks seen on a virtual clock (a handler moves the clock as a slow
 * one would take time), exact alone or within a run, only the synchronous
 * part of an async callback, busy time and long-callback counts per
 * process, procCount rankings, long scheduler slices, and the log's rate
 * limit. Stretches shared by several processes (the default span
 * attribution) are in monitor_stretches_span_test.ts. Nothing here depends
 * on the machine's speed.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, noreply, ok } from "../../../src/gen_server.ts";
import type { Report } from "../../../src/logger.ts";
import { System, type SystemOptions } from "../../../src/system.ts";
import {
  MONITOR_LONG_CALLBACK,
  MONITOR_LONG_SCHEDULE,
} from "../../../src/telemetry/catalog/monitor_events.ts";
import { procCount } from "../../../src/introspection/proc_count.ts";
import { inspectProcess } from "../../../src/introspection/inspect_process.ts";
import { ManualClock, startManual } from "../../_helpers.ts";

interface Seen {
  duration: number;
  exact: boolean;
  callbacks: number;
  callback: string;
  name: string | undefined;
}

/** A manual system on a virtual clock, its long callbacks and notices collected. */
function monitored(options: SystemOptions = {}) {
  const clock = new ManualClock();
  const notices: string[] = [];
  const system = new System({
    scheduling: "manual",
    clock,
    logger: { report: (r: Report) => void (r.kind === "notice" && notices.push(r.message)) },
    ...options,
  });
  const seen: Seen[] = [];
  system.telemetry.attach("long", MONITOR_LONG_CALLBACK, (_e, m, meta) => {
    seen.push({
      duration: m.duration,
      exact: meta.exact,
      callbacks: meta.callbacks,
      callback: meta.callback,
      name: meta.name,
    });
  });
  return { system, clock, seen, notices };
}

/** A server whose cast `ms` moves the clock by that many ms. */
function worker(clock: ManualClock): GenServer<number, undefined> {
  return {
    init: () => ok(0),
    handleCast: (ms: number, n) => {
      clock.advance(ms);
      return noreply(n + 1);
    },
    handleCall: (_r: "n", _from, n) => ({ type: "reply", reply: n, state: n }),
  };
}

describe("system monitor: long callbacks", () => {
  it("a handler that advances the virtual clock is a long callback, exact, counted and listed", async () => {
    const { system, clock, seen } = monitored();
    const pid = await startManual(system, worker(clock), undefined, { name: "slow" });
    system.cast(pid, 5);
    await system.runUntilIdle();
    assert.deepEqual(seen, [{
      duration: 5,
      exact: true,
      callbacks: 1,
      callback: "cast",
      name: "slow",
    }]);
    const info = system.processInfo(pid)!;
    assert.equal(info.longCallbacks, 1);
    assert.equal(info.busyMs, 5);
    assert.equal(inspectProcess(system, pid)!.work.busyMs, 5);
    const stats = system.monitorStats();
    assert.equal(stats.enabled, true);
    assert.equal(stats.longCallbacks, 1);
    assert.equal(stats.recent.length, 1);
    assert.equal(stats.recent[0].pid, pid);
    assert.equal(stats.recent[0].callback, "cast");
    assert.deepEqual(stats.thresholds, { longCallback: 1, longSchedule: 50, eventLoopStall: 100 });
  });

  it("callbacks under the budget are not told, however many; their time is still busy time", async () => {
    const { system, clock, seen } = monitored();
    const pid = await startManual(system, worker(clock));
    for (let i = 0; i < 500; i++) system.cast(pid, 0.01);
    await system.runUntilIdle();
    assert.deepEqual(seen, []);
    const info = system.processInfo(pid)!;
    assert.equal(info.longCallbacks, 0);
    assert.ok(Math.abs(info.busyMs - 5) < 1e-6, `busyMs ${info.busyMs}`);
  });

  it("a slow callback among fast ones is told with its run (exact: false); the next one alone", async () => {
    const { system, clock, seen } = monitored();
    const pid = await startManual(system, worker(clock));
    // Spans of 1, 2, 4, 8, 16, 32, 32 messages: the 70th is in the run 64..95,
    // after which the scheduler checks the 96th alone.
    for (let i = 1; i <= 200; i++) system.cast(pid, i === 70 || i === 96 ? 3 : 0);
    await system.runUntilIdle();
    assert.equal(seen.length, 2);
    assert.equal(seen[0].exact, false);
    assert.equal(seen[0].callbacks, 32);
    assert.equal(seen[0].duration, 3);
    assert.deepEqual(seen[1], {
      duration: 3,
      exact: true,
      callbacks: 1,
      callback: "cast",
      name: undefined,
    });
    assert.equal(system.processInfo(pid)!.longCallbacks, 2);
  });

  it('attribution "run": a run\'s last stretch is measured when the run ends, not with the next process', async () => {
    const { system, clock, seen } = monitored({ monitor: { attribution: "run" } });
    const a = await startManual(system, worker(clock), undefined, { name: "a" });
    const b = await startManual(system, worker(clock), undefined, { name: "b" });
    system.cast(a, 0);
    system.cast(a, 2); // a's run: 2 messages, the second slow
    system.cast(b, 0); // b's messages: fast
    system.cast(b, 0);
    await system.runUntilIdle();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].name, "a");
    assert.equal(system.processInfo(a)!.busyMs, 2);
    assert.equal(system.processInfo(b)!.busyMs, 0);
  });

  it("only the synchronous part of an async callback counts", async () => {
    const { system, clock, seen } = monitored();
    const pid = await startManual(system, {
      init: () => ok(null),
      handleCast: async (_m: "go", state) => {
        clock.advance(2); // holds the scheduler
        await Promise.resolve();
        clock.advance(10); // a continuation: the scheduler is not running it
        return noreply(state);
      },
    });
    system.cast(pid, "go");
    await system.runUntilIdle();
    assert.deepEqual(seen, [{
      duration: 2,
      exact: true,
      callbacks: 1,
      callback: "cast",
      name: undefined,
    }]);
    assert.equal(system.processInfo(pid)!.busyMs, 2);
  });

  it("init and terminate are callbacks too", async () => {
    const { system, clock, seen } = monitored();
    const pid = await startManual(system, {
      init: () => {
        clock.advance(4);
        return ok(null);
      },
      terminate: () => void clock.advance(6),
    });
    const stopped = system.stop(pid);
    await system.runUntilIdle();
    await stopped;
    assert.deepEqual(seen.map((s) => [s.callback, s.duration]), [["init", 4], ["terminate", 6]]);
  });

  it("procCount ranks processes by busy time and by long callbacks", async () => {
    const { system, clock } = monitored();
    const idle = await startManual(system, worker(clock), undefined, { name: "idle" });
    const busy = await startManual(system, worker(clock), undefined, { name: "busy" });
    const spiky = await startManual(system, worker(clock), undefined, { name: "spiky" });
    for (let i = 0; i < 100; i++) system.cast(busy, 0.5);
    system.cast(spiky, 3);
    system.cast(spiky, 3);
    system.cast(idle, 0);
    await system.runUntilIdle();
    assert.deepEqual(procCount(system, "busyMs", 2).map((r) => r.name), ["busy", "spiky"]);
    const [top] = procCount(system, "longCallbacks", 1);
    assert.equal(top.name, "spiky");
    assert.equal(top.value, 2);
    assert.equal(top.info.longCallbacks, 2);
    assert.equal(procCount(system, "busyMs", 1)[0].value, 50);
  });

  it("every process's counts are its own: many processes, and a new one where an old one was", async () => {
    const { system, clock } = monitored({ monitor: { log: false } });
    const pids = [];
    for (let i = 0; i < 150; i++) pids.push(await startManual(system, worker(clock)));
    for (const [i, pid] of pids.entries()) system.cast(pid, 1 + i);
    await system.runUntilIdle();
    for (const [i, pid] of pids.entries()) {
      assert.deepEqual(
        [system.processInfo(pid)!.busyMs, system.processInfo(pid)!.longCallbacks],
        [1 + i, 1],
      );
    }
    for (const pid of pids) system.exit(pid, "kill");
    await system.runUntilIdle();
    const fresh = await startManual(system, worker(clock));
    assert.deepEqual(
      [system.processInfo(fresh)!.busyMs, system.processInfo(fresh)!.longCallbacks],
      [
        0,
        0,
      ],
    );
  });

  it("the budget is configurable, and monitor: false measures nothing", async () => {
    const loose = monitored({ monitor: { longCallback: 10 } });
    const p1 = await startManual(loose.system, worker(loose.clock));
    loose.system.cast(p1, 5);
    loose.system.cast(p1, 12);
    await loose.system.runUntilIdle();
    assert.deepEqual(loose.seen.map((s) => s.duration), [12]);

    const off = monitored({ monitor: false });
    const p2 = await startManual(off.system, worker(off.clock));
    off.system.cast(p2, 5);
    await off.system.runUntilIdle();
    assert.deepEqual(off.seen, []);
    assert.equal(off.system.processInfo(p2)!.busyMs, 0);
    assert.equal(off.system.monitorStats().enabled, false);
    assert.equal(off.system.monitorStats().thresholds, null);
  });

  it("remembers the last 100 long callbacks, newest first", async () => {
    const { system, clock } = monitored({ monitor: { log: false } });
    const pid = await startManual(system, worker(clock));
    for (let i = 1; i <= 130; i++) system.cast(pid, 1 + i / 1000);
    await system.runUntilIdle();
    const stats = system.monitorStats();
    assert.equal(stats.longCallbacks, 130);
    assert.equal(stats.recent.length, 100);
    assert.ok(Math.abs(stats.recent[0].duration - 1.13) < 1e-9);
    assert.ok(Math.abs(stats.recent[99].duration - 1.031) < 1e-9);
  });
});

describe("system monitor: what is not a callback's time", () => {
  it("the sender's own work after waking the system is not charged to the receiver", async () => {
    const clock = new ManualClock();
    const system = new System({ clock, logger: null });
    const seen: number[] = [];
    system.telemetry.attach("long", MONITOR_LONG_CALLBACK, (_e, m) => void seen.push(m.duration));
    const pid = await system.start(worker(clock));
    for (let i = 0; i < 10; i++) {
      system.cast(pid, 0);
      clock.advance(0.5); // the sender keeps working, synchronously, between its casts
    }
    await system.runUntilIdle();
    assert.deepEqual(seen, []);
    assert.equal(system.processInfo(pid)!.busyMs, 0);
    system.shutdown();
  });
});

describe("system monitor: logging", () => {
  it("at most one line per process per logInterval, with the count folded since the last", async () => {
    const { system, clock, notices } = monitored({
      monitor: { logThreshold: 1, logInterval: 1000 },
    });
    const pid = await startManual(system, worker(clock), undefined, { name: "slow" });
    for (let i = 0; i < 3; i++) system.cast(pid, 2);
    await system.runUntilIdle();
    assert.equal(notices.length, 1);
    assert.match(notices[0], /^#PID<[^>]+> \(slow\): a cast callback held the scheduler 2\.0 ms/);
    assert.match(notices[0], /monitor\.longCallback/);
    clock.advance(1000);
    system.cast(pid, 2);
    await system.runUntilIdle();
    assert.equal(notices.length, 2);
    assert.match(notices[1], /; 2 more since the last line$/);
  });

  it("logs only from logThreshold (default 10 ms), and nothing with log: false", async () => {
    const quiet = monitored();
    const p1 = await startManual(quiet.system, worker(quiet.clock));
    quiet.system.cast(p1, 5);
    await quiet.system.runUntilIdle();
    assert.equal(quiet.seen.length, 1);
    assert.deepEqual(quiet.notices, []);
    quiet.system.cast(p1, 10);
    await quiet.system.runUntilIdle();
    assert.equal(quiet.notices.length, 1);

    const silent = monitored({ monitor: { log: false } });
    const p2 = await startManual(silent.system, worker(silent.clock));
    silent.system.cast(p2, 50);
    await silent.system.runUntilIdle();
    assert.equal(silent.seen.length, 1);
    assert.deepEqual(silent.notices, []);
  });
});

describe("system monitor: long schedules", () => {
  it("a slice that held the host past longSchedule is told, with the process that held it longest", async () => {
    const clock = new ManualClock();
    const notices: string[] = [];
    const system = new System({
      clock,
      logger: { report: (r: Report) => void (r.kind === "notice" && notices.push(r.message)) },
      monitor: { longSchedule: 20 },
    });
    const slices: { duration: number; processes: number; pid: unknown }[] = [];
    system.telemetry.attach("schedules", MONITOR_LONG_SCHEDULE, (_e, m, meta) => {
      slices.push({ duration: m.duration, processes: meta.processes, pid: meta.pid });
    });
    const pid = await system.start(worker(clock), undefined, { name: "hog" });
    system.cast(pid, 30);
    await system.runUntilIdle();
    assert.equal(slices.length, 1);
    assert.equal(slices[0].duration, 30);
    assert.equal(slices[0].pid, pid);
    assert.equal(system.monitorStats().longSchedules, 1);
    assert.ok(notices.some((n) => /a scheduler slice held the host 30\.0 ms.*\(hog\)/.test(n)));
    system.shutdown();
  });

  it("manual scheduling never yields by design: no long schedules there", async () => {
    const { system, clock } = monitored({ monitor: { longSchedule: 1, log: false } });
    const pid = await startManual(system, worker(clock));
    system.cast(pid, 30);
    await system.runUntilIdle();
    assert.equal(system.monitorStats().longSchedules, 0);
  });
});
