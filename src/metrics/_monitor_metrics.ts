/**
 * The default metrics of the system monitor (internal, part of
 * `beamletMetrics`): long callbacks by server `name` and `callback` kind,
 * long scheduler slices, and event-loop stalls with their delay.
 *
 * @module
 */

import type { Metadata } from "../telemetry/types.ts";
import { counter, distribution } from "./definitions.ts";
import type { MetricDefinition } from "./types.ts";

/** Tags `name` (the registered name, or `"anonymous"`) and `callback` (its kind). */
function byNameAndCallback(meta: Metadata): Record<string, unknown> {
  const name = meta.name;
  return {
    name: typeof name === "string" ? name : "anonymous",
    callback: typeof meta.callback === "string" ? meta.callback : "unknown",
  };
}

/**
 * `beamlet.monitor.long_callback.count` (tags `name`, `callback`),
 * `beamlet.monitor.long_schedule.count`, `beamlet.monitor.event_loop_stall.count`
 * (counters) and `beamlet.monitor.event_loop_stall.delay` (a distribution, ms);
 * Prometheus `beamlet_monitor_long_callback_count_total`,
 * `beamlet_monitor_long_schedule_count_total`,
 * `beamlet_monitor_event_loop_stall_count_total` and
 * `beamlet_monitor_event_loop_stall_delay_seconds`.
 */
export function monitorMetrics(): MetricDefinition[] {
  return [
    counter("beamlet.monitor.long_callback.count", {
      description:
        "Callbacks that held the scheduler past the monitor's budget (monitor.longCallback, default 1 ms), by server name and callback",
      tags: ["name", "callback"],
      tagValues: byNameAndCallback,
    }),
    counter("beamlet.monitor.long_schedule.count", {
      description:
        "Scheduler slices that held the host past monitor.longSchedule (default 50 ms) without yielding",
    }),
    counter("beamlet.monitor.event_loop_stall.count", {
      description:
        "Times the host's event loop was seen blocked past monitor.eventLoopStall (default 100 ms)",
    }),
    distribution("beamlet.monitor.event_loop_stall.delay", {
      unit: "millisecond",
      description: "How long the host's event loop was blocked, per stall the monitor's probe saw",
    }),
  ];
}
