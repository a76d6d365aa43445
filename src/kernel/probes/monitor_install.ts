/**
 * Switching the system monitor on for a runtime, and off at shutdown
 * (internal; see `stretches.ts` for what it measures).
 *
 * @module
 */

import type { Runtime } from "../state/runtime.ts";
import { MonitorState } from "../state/monitor_state.ts";
import type { MonitorSettings } from "../../monitor_options.ts";
import {
  MONITOR_EVENT_LOOP_STALL,
  MONITOR_LONG_CALLBACK,
  MONITOR_LONG_SCHEDULE,
} from "../../telemetry/catalog/monitor_events.ts";
import { HOST, type ProbeHost, startStallProbe } from "./stall_probe.ts";
import { forgetProcess, logStall } from "./_monitor_log.ts";

/**
 * Turns the monitor on: its record on the runtime, the slice check's spans
 * kept under a quarter of the long-callback budget, and (unless scheduling
 * is manual) the event-loop probe on `host`.
 */
export function installMonitor(
  rt: Runtime,
  settings: MonitorSettings,
  host: ProbeHost = HOST,
): MonitorState {
  const telemetry = rt.telemetry;
  const monitor = new MonitorState(
    settings,
    telemetry.prepare(MONITOR_LONG_CALLBACK),
    telemetry.prepare(MONITOR_LONG_SCHEDULE),
    telemetry.prepare(MONITOR_EVENT_LOOP_STALL),
  );
  rt.monitor = monitor;
  rt.fastSpan = Math.min(rt.timeSlice / 8, settings.longCallback / 4);
  rt.exitHooks.push({ step: "monitor", run: (_rt, process) => forgetProcess(monitor, process) });
  if (!rt.manual) {
    // The probe must not keep the runtime alive: it reaches it through a WeakRef (where the
    // host has none, as Cloudflare Workers before 2025-05-05, it holds it until shutdown).
    const ref: { deref(): Runtime | undefined } = typeof WeakRef === "function"
      ? new WeakRef(rt)
      : { deref: () => rt };
    monitor.stopProbe = startStallProbe(
      settings.probeInterval,
      settings.eventLoopStall,
      (delay, now) => {
        const live = ref.deref();
        if (live === undefined || live.monitor === undefined) return false;
        eventLoopStalled(live, live.monitor, delay, now);
        return true;
      },
      host,
    );
  }
  return monitor;
}

/** Stops the event-loop probe (the counters stay readable). */
export function stopMonitor(rt: Runtime): void {
  const monitor = rt.monitor;
  if (monitor === undefined || monitor.stopProbe === undefined) return;
  monitor.stopProbe();
  monitor.stopProbe = undefined;
}

/** The probe fired `delay` ms late at host time `now`. */
export function eventLoopStalled(
  rt: Runtime,
  monitor: MonitorState,
  delay: number,
  now: number,
): void {
  monitor.eventLoopStalls++;
  const event = monitor.stallEvent;
  if (event.active) event.emit({ monotonic_time: now, delay }, {});
  logStall(rt, monitor, delay, rt.clock.now());
}
