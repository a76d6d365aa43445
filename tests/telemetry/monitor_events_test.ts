/**
 * The system monitor's events (`src/telemetry/catalog/monitor_events.ts`)
 * as a telemetry handler sees them: a long callback and a long schedule on
 * a virtual clock, an event-loop stall from a probe on an injected host
 * clock. (Also a scenario of the event catalog's test.)
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noreply, ok } from "../../src/gen_server.ts";
import { System } from "../../src/system.ts";
import { BEAMLET_EVENTS } from "../../src/telemetry/beamlet_events.ts";
import { installMonitor } from "../../src/kernel/probes/monitor_install.ts";
import { monitorSettings } from "../../src/_monitor_settings.ts";
import { runtimeOf } from "../../src/_runtime_access.ts";
import { ManualClock } from "../_helpers.ts";

describe("system monitor events", () => {
  it("long_callback and long_schedule carry the declared measurements and metadata", async () => {
    const clock = new ManualClock();
    const system = new System({ clock, logger: null, monitor: { longSchedule: 10 } });
    const seen: unknown[] = [];
    system.telemetry.attach("long", BEAMLET_EVENTS.monitorLongCallback, (_e, m, meta) => {
      seen.push([
        "long_callback",
        m.duration,
        meta.callback,
        meta.exact,
        meta.callbacks,
        meta.name,
      ]);
    });
    system.telemetry.attach("schedule", BEAMLET_EVENTS.monitorLongSchedule, (_e, m, meta) => {
      seen.push(["long_schedule", m.duration, meta.processes, String(meta.pid)]);
    });
    const pid = await system.start(
      {
        init: () => ok(null),
        handleCast: (ms: number, state) => {
          clock.advance(ms);
          return noreply(state);
        },
      },
      undefined,
      { name: "hog" },
    );
    system.cast(pid, 12);
    await system.runUntilIdle();
    assert.deepEqual(seen, [
      ["long_callback", 12, "cast", true, 1, "hog"],
      ["long_schedule", 12, 1, String(pid)],
    ]);
    system.shutdown();
  });

  it("event_loop_stall carries the probe's delay", () => {
    let now = 0;
    let pending: (() => void) | undefined;
    const system = new System({ logger: null, monitor: false });
    const delays: number[] = [];
    system.telemetry.attach("stall", BEAMLET_EVENTS.monitorEventLoopStall, (_e, m, meta) => {
      delays.push(m.delay);
      assert.deepEqual(meta, {});
    });
    installMonitor(runtimeOf(system), monitorSettings({})!, {
      now: () => now,
      setTimer: (task) => ((pending = task), () => (pending = undefined)),
    });
    now += 500 + 400;
    pending!();
    assert.deepEqual(delays, [400]);
    system.shutdown();
    assert.equal(pending, undefined);
  });
});
