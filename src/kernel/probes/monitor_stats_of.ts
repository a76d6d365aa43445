/**
 * `system.monitorStats()` (internal): the system monitor's record, read as
 * the public `MonitorStats` (the last long callbacks newest first).
 *
 * @module
 */

import type { LongCallbackRecord, MonitorStats } from "../../monitor_stats.ts";
import { type MonitorState, RECENT_LIMIT } from "../state/monitor_state.ts";

const OFF: MonitorStats = Object.freeze({
  enabled: false,
  longCallbacks: 0,
  longSchedules: 0,
  eventLoopStalls: 0,
  recent: Object.freeze([]) as readonly LongCallbackRecord[],
  thresholds: null,
});

/** The stats of a runtime's monitor (undefined: off). */
export function monitorStatsOf(monitor: MonitorState | undefined): MonitorStats {
  if (monitor === undefined) return OFF;
  const recent: LongCallbackRecord[] = [];
  for (let i = 1; i <= RECENT_LIMIT; i++) {
    const entry = monitor.recent[(monitor.recentNext - i + RECENT_LIMIT) % RECENT_LIMIT];
    if (entry === undefined) break;
    recent.push(entry);
  }
  const { longCallback, longSchedule, eventLoopStall } = monitor.settings;
  return {
    enabled: true,
    longCallbacks: monitor.longCallbacks,
    longSchedules: monitor.longSchedules,
    eventLoopStalls: monitor.eventLoopStalls,
    recent,
    thresholds: { longCallback, longSchedule, eventLoopStall },
  };
}
