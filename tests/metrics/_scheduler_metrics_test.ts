/**
 * The scheduler gauges of beamletMetrics: `beamlet_scheduler_processes`,
 * `beamlet_scheduler_tasks` and `beamlet_scheduler_up`, one series per
 * scheduler (tag `scheduler`), from `beamlet.scheduler.load` — read from
 * the events directly, and from `/metrics` of a system of one scheduler
 * and of two.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { beamletMetrics } from "../../src/metrics/beamlet_metrics.ts";
import { Metrics } from "../../src/metrics/mod.ts";
import { prometheusText } from "../../src/metrics/reporters/prometheus.ts";
import { System } from "../../src/system.ts";
import { TABLE_SIZE } from "../../src/telemetry/catalog/runtime_events.ts";
import { SCHEDULER_LOAD } from "../../src/telemetry/catalog/scheduler_events.ts";
import { Telemetry } from "../../src/telemetry/telemetry.ts";
import { echo, fixture } from "../http/_fixtures.ts";
import { PROMTOOL_UNAVAILABLE, promtoolCheck } from "./reporters/_promtool.ts";

const SIZES = { processes: 0, names: 0, calls: 0, timers: 0, slots_in_use: 0 };

describe("scheduler metrics", () => {
  it("keeps each scheduler's last processes, tasks and up as gauges", () => {
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, beamletMetrics());
    try {
      telemetry.execute(SCHEDULER_LOAD, { processes: 4, tasks: 0, up: 1 }, { scheduler: 0 });
      telemetry.execute(SCHEDULER_LOAD, { processes: 9, tasks: 2, up: 1 }, { scheduler: 1 });
      telemetry.execute(SCHEDULER_LOAD, { processes: 0, tasks: 0, up: 0 }, { scheduler: 1 });
      const text = prometheusText(metrics);
      for (const name of ["processes", "tasks", "up"]) {
        assert.match(text, new RegExp(`^# TYPE beamlet_scheduler_${name} gauge$`, "m"));
      }
      assert.match(text, /^beamlet_scheduler_processes\{scheduler="0"\} 4$/m);
      assert.match(text, /^beamlet_scheduler_processes\{scheduler="1"\} 0$/m);
      assert.match(text, /^beamlet_scheduler_tasks\{scheduler="1"\} 0$/m);
      assert.match(text, /^beamlet_scheduler_up\{scheduler="0"\} 1$/m);
      assert.match(text, /^beamlet_scheduler_up\{scheduler="1"\} 0$/m);
      if (PROMTOOL_UNAVAILABLE === undefined) {
        const { status, output } = promtoolCheck(text);
        assert.equal(status, 0, output);
      }
    } finally {
      metrics.detach();
    }
  });

  it("GET /metrics shows scheduler 0 of a system of one scheduler", async () => {
    let now = 0;
    const system = new System({ logger: null, clock: { now: () => now } });
    const f = fixture({}, system);
    try {
      const owner = await system.start(echo);
      now += 1000; // a new second: the table sizes, and the load with them, at the next slice
      system.cast(owner, "tick");
      await system.runUntilIdle();
      const text = await (await f.get("/metrics")).text();
      assert.match(text, /^# TYPE beamlet_scheduler_processes gauge$/m);
      assert.match(text, /^beamlet_scheduler_processes\{scheduler="0"\} [1-9]\d*$/m);
      assert.match(text, /^beamlet_scheduler_tasks\{scheduler="0"\} 0$/m);
      assert.match(text, /^beamlet_scheduler_up\{scheduler="0"\} 1$/m);
      assert.equal(text.match(/^beamlet_scheduler_up\{/gm)?.length, 1, "one scheduler");
    } finally {
      f.close();
    }
  });

  it("GET /metrics shows every scheduler of a system of two", async () => {
    const system = new System({ schedulers: 2, logger: null });
    const f = fixture({}, system);
    try {
      await system.ready;
      // What the kernel executes at the end of a slice, at most once a second.
      system.telemetry.execute(TABLE_SIZE, SIZES, {});
      const text = await (await f.get("/metrics")).text();
      assert.match(text, /^beamlet_scheduler_up\{scheduler="0"\} 1$/m);
      assert.match(text, /^beamlet_scheduler_up\{scheduler="1"\} 1$/m);
      assert.match(text, /^beamlet_scheduler_processes\{scheduler="1"\} \d+$/m);
      assert.match(text, /^beamlet_scheduler_tasks\{scheduler="1"\} 0$/m);
    } finally {
      f.close();
      await system.shutdown();
    }
  });
});
