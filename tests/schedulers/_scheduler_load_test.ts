/**
 * The emitter of `beamlet.scheduler.load`: attached to the runtime's
 * table-size event only while someone listens, one event per scheduler
 * each time the table sizes are executed (one for a system of one
 * scheduler, every scheduler of a system of two), `up` 1 only while a
 * scheduler runs, nothing installed on a Worker's system, and a listing
 * that throws never detaches it.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noreply, ok } from "../../src/gen_server.ts";
import { attachSchedulerLoad } from "../../src/schedulers/_scheduler_load.ts";
import type { SchedulerInfo } from "../../src/schedulers/scheduler_info.ts";
import { System } from "../../src/system.ts";
import { TABLE_SIZE } from "../../src/telemetry/catalog/runtime_events.ts";
import { SCHEDULER_LOAD } from "../../src/telemetry/catalog/scheduler_events.ts";
import { Telemetry } from "../../src/telemetry/telemetry.ts";
import type { Measurements, Metadata } from "../../src/telemetry/types.ts";

interface Seen {
  readonly measurements: Measurements;
  readonly metadata: Metadata;
}

const listen = (telemetry: Telemetry, seen: Seen[]) =>
  telemetry.attach("test", SCHEDULER_LOAD, (_e, measurements, metadata) => {
    seen.push({ measurements, metadata });
  });

const SIZES = { processes: 0, names: 0, calls: 0, timers: 0, slots_in_use: 0 };

const idle = {
  init: () => ok(null),
  handleCast: (_message: unknown, state: null) => noreply(state),
};

describe("attachSchedulerLoad", () => {
  it("listens to the table sizes only while someone listens to the load", () => {
    const system = new System({ logger: null });
    try {
      const telemetry = system.telemetry;
      assert.equal(telemetry.hasHandlers(TABLE_SIZE), false);
      listen(telemetry, []);
      assert.equal(telemetry.hasHandlers(TABLE_SIZE), true);
      telemetry.detach("test");
      assert.equal(telemetry.hasHandlers(TABLE_SIZE), false);
    } finally {
      system.shutdown();
    }
  });

  it("reports scheduler 0 alone, with the table sizes, on a system of one scheduler", async () => {
    let now = 0;
    const system = new System({ logger: null, clock: { now: () => now } });
    try {
      const pid = await system.start(idle);
      await system.start(idle);
      const seen: Seen[] = [];
      listen(system.telemetry, seen);
      const sizes: number[] = [];
      system.telemetry.attach("sizes", TABLE_SIZE, (_e, m) => void sizes.push(m.processes));
      now += 1000; // a new second: the table sizes again, at the end of the next slice
      system.cast(pid, "tick");
      await system.runUntilIdle();
      assert.equal(sizes.length, 1);
      assert.deepEqual(seen, [{
        measurements: { processes: 2, tasks: 0, up: 1 },
        metadata: { scheduler: 0 },
      }]);
    } finally {
      system.shutdown();
    }
  });

  it("reports every scheduler of a system of two, both up", async () => {
    const system = new System({ schedulers: 2, logger: null });
    try {
      await system.ready;
      assert.deepEqual(system.schedulers().map((s) => s.status), ["running", "running"]);
      const seen: Seen[] = [];
      listen(system.telemetry, seen);
      // What the kernel executes at the end of a slice, at most once a second.
      system.telemetry.execute(TABLE_SIZE, SIZES, {});
      assert.deepEqual(seen.map((s) => s.metadata), [{ scheduler: 0 }, { scheduler: 1 }]);
      assert.deepEqual(seen.map((s) => s.measurements.up), [1, 1]);
      for (const { measurements } of seen) {
        assert.deepEqual(Object.keys(measurements).sort(), ["processes", "tasks", "up"]);
        assert.ok(Number.isInteger(measurements.processes) && measurements.processes >= 0);
        assert.equal(measurements.tasks, 0);
      }
    } finally {
      await system.shutdown();
    }
  });

  it("reports a scheduler that is not running with up 0, and survives a listing that throws", () => {
    let schedulers: () => SchedulerInfo[] = () => [
      { index: 0, status: "running", processes: 3, tasks: 1 },
      { index: 1, status: "starting", processes: 0, tasks: 0 },
      { index: 2, status: "failed", processes: 0, tasks: 0, error: new Error("no") },
      { index: 3, status: "down", processes: 0, tasks: 0 },
    ];
    const source = { telemetry: new Telemetry(), schedulers: () => schedulers() };
    attachSchedulerLoad(source, 0);
    attachSchedulerLoad(source, 0); // idempotent: one handler, one event per scheduler
    const seen: Seen[] = [];
    listen(source.telemetry, seen);
    source.telemetry.execute(TABLE_SIZE, SIZES, {});
    assert.deepEqual(seen.map((s) => [s.metadata.scheduler, s.measurements.up]), [
      [0, 1],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    assert.deepEqual(seen[0].measurements, { processes: 3, tasks: 1, up: 1 });
    schedulers = () => {
      throw new Error("listing failed");
    };
    source.telemetry.execute(TABLE_SIZE, SIZES, {});
    assert.equal(seen.length, 4);
    assert.equal(source.telemetry.hasHandlers(TABLE_SIZE), true, "still attached");
    schedulers = () => [{ index: 0, status: "running", processes: 1, tasks: 0 }];
    source.telemetry.execute(TABLE_SIZE, SIZES, {});
    assert.deepEqual(seen[4], {
      measurements: { processes: 1, tasks: 0, up: 1 },
      metadata: { scheduler: 0 },
    });
  });

  it("installs nothing on a Worker's system (scheduler 0 reports it)", () => {
    const source = {
      telemetry: new Telemetry(),
      schedulers: (): SchedulerInfo[] => [{ index: 1, status: "running", processes: 0, tasks: 0 }],
    };
    attachSchedulerLoad(source, 1);
    listen(source.telemetry, []);
    assert.equal(source.telemetry.hasHandlers(TABLE_SIZE), false);
  });
});
