/**
 * The overview's `monitor` block (`src/observe/_monitor_view.ts`): the
 * monitor's counters, its last long callbacks with ids and labels, and the
 * busiest processes of the snapshot. Time is a virtual clock the handlers
 * move.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noreply, ok } from "../../src/gen_server.ts";
import { System } from "../../src/system.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { ManualClock } from "../_helpers.ts";

describe("overview: monitor", () => {
  it("lists the long callbacks, newest first, and the busiest processes", async () => {
    const clock = new ManualClock();
    const system = new System({ clock, logger: null });
    const server = {
      init: () => ok(null),
      handleCast: (ms: number, state: null) => {
        clock.advance(ms);
        return noreply(state);
      },
    };
    const slow = await system.start(server, undefined, { name: "slow" });
    const quick = await system.start(server, undefined, { name: "quick" });
    await system.start(server, undefined, { name: "idle" });
    system.cast(slow, 3);
    system.cast(slow, 4);
    system.cast(quick, 0.5);
    await system.runUntilIdle();
    const observer = new SystemObserver(system);
    try {
      const { monitor } = await observer.overview();
      assert.equal(monitor.enabled, true);
      assert.equal(monitor.longCallbacks, 2);
      assert.equal(monitor.longCallbackMs, 1);
      assert.deepEqual(
        monitor.recent.map((r) => [r.label, r.id, r.callback, r.duration, r.exact, r.callbacks]),
        [["slow", String(slow.serial), "cast", 4, true, 1], [
          "slow",
          String(slow.serial),
          "cast",
          3,
          true,
          1,
        ]],
      );
      assert.deepEqual(monitor.busiest.map((b) => [b.name, b.busyMs, b.longCallbacks]), [
        ["slow", 7, 2],
        ["quick", 0.5, 0],
      ]);
      assert.equal(monitor.busiest[0].pid, String(slow));
    } finally {
      observer.close();
      system.shutdown();
    }
  });

  it("says when the monitor is off", async () => {
    const system = new System({ logger: null, monitor: false });
    const observer = new SystemObserver(system);
    try {
      const { monitor } = await observer.overview();
      assert.deepEqual(monitor, {
        enabled: false,
        longCallbacks: 0,
        longSchedules: 0,
        eventLoopStalls: 0,
        longCallbackMs: null,
        recent: [],
        busiest: [],
      });
    } finally {
      observer.close();
      system.shutdown();
    }
  });
});
