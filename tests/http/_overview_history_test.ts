/**
 * The overview's history ring, on a manual scheduler and a manual clock:
 * one point per tick, oldest first, at most `capacity`; throughput from
 * the message counter between points (null for the first, or when the
 * counter went back); a read that throws adds nothing; close cancels the
 * timer; a scheduler that refuses (a host without timers outside requests)
 * leaves it stopped until the next start.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type HistoryReading,
  type HistoryScheduler,
  OverviewHistory,
} from "../../src/http/_overview_history.ts";

/** A scheduler the test runs by hand. */
function manual() {
  const pending: { task: () => void; delayMs: number }[] = [];
  const schedule: HistoryScheduler = (task, delayMs) => {
    const entry = { task, delayMs };
    pending.push(entry);
    return () => {
      const at = pending.indexOf(entry);
      if (at >= 0) pending.splice(at, 1);
    };
  };
  return {
    schedule,
    pending,
    /** Runs the one pending tick. */
    tick() {
      assert.equal(pending.length, 1);
      pending.shift()!.task();
    },
  };
}

function source() {
  const now = { epoch: 1_000_000 };
  const counters = { messages: 0, fail: false };
  const read = (): HistoryReading => {
    if (counters.fail) throw new Error("system gone");
    return {
      messages: counters.messages,
      processes: 3,
      runQueue: { high: 0, normal: 2, low: 1 },
      utilization: 0.25,
      memoryBytes: null,
      calls: { queued: 0.5, handling: null, roundTrip: 2 },
    };
  };
  return { now, counters, read };
}

describe("OverviewHistory", () => {
  it("samples at start and on every tick, with throughput between points", () => {
    const timer = manual();
    const { now, counters, read } = source();
    const history = new OverviewHistory(read, {
      schedule: timer.schedule,
      now: () => now.epoch,
    });
    assert.deepEqual(history.view().points, []);
    assert.equal(timer.pending.length, 0); // nothing runs before start
    history.start();
    history.start(); // idempotent
    assert.equal(timer.pending.length, 1);
    assert.equal(timer.pending[0].delayMs, 1000);
    counters.messages = 500;
    now.epoch += 1000;
    timer.tick();
    counters.messages = 400; // a counter that went back: no rate
    now.epoch += 1000;
    timer.tick();
    const view = history.view();
    assert.equal(view.interval, 1000);
    assert.equal(view.time, now.epoch);
    assert.deepEqual(view.points.map((p) => p.throughput), [null, 500, null]);
    assert.deepEqual(view.points.map((p) => p.time), [1_000_000, 1_001_000, 1_002_000]);
    assert.deepEqual(view.points[0], {
      time: 1_000_000,
      throughput: null,
      processes: 3,
      runQueue: { high: 0, normal: 2, low: 1 },
      utilization: 0.25,
      memoryBytes: null,
      calls: { queued: 0.5, handling: null, roundTrip: 2 },
    });
    history.close();
    assert.equal(timer.pending.length, 0);
    assert.equal(history.running, false);
    history.start(); // closed for good
    assert.equal(timer.pending.length, 0);
    assert.equal(history.view().points.length, 3); // still readable
  });

  it("keeps the last `capacity` points, oldest first", () => {
    const timer = manual();
    const { now, counters, read } = source();
    const history = new OverviewHistory(read, {
      capacity: 4,
      schedule: timer.schedule,
      now: () => now.epoch,
    });
    history.start();
    for (let i = 1; i <= 9; i++) {
      now.epoch += 1000;
      counters.messages += 10 * i;
      timer.tick();
    }
    const points = history.view().points;
    assert.equal(points.length, 4);
    assert.deepEqual(points.map((p) => p.time), [1_006_000, 1_007_000, 1_008_000, 1_009_000]);
    assert.deepEqual(points.map((p) => p.throughput), [60, 70, 80, 90]);
    history.close();
  });

  it("skips a read that throws, and keeps ticking", () => {
    const timer = manual();
    const { now, counters, read } = source();
    const history = new OverviewHistory(read, { schedule: timer.schedule, now: () => now.epoch });
    history.start();
    counters.fail = true;
    timer.tick();
    counters.fail = false;
    timer.tick();
    assert.equal(history.view().points.length, 2);
    assert.equal(history.running, true);
    history.close();
  });

  it("stays stopped when the host refuses a timer, and starts at a later start()", () => {
    let refuse = true;
    const timer = manual();
    const schedule: HistoryScheduler = (task, delayMs) => {
      if (refuse) throw new Error("timers are not allowed here");
      return timer.schedule(task, delayMs);
    };
    const { now, read } = source();
    const history = new OverviewHistory(read, { schedule, now: () => now.epoch });
    history.start();
    assert.equal(history.running, false);
    assert.equal(history.view().points.length, 0);
    refuse = false;
    history.start();
    assert.equal(history.running, true);
    assert.equal(history.view().points.length, 1);
    history.close();
  });
});
