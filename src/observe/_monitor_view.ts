/**
 * The overview's `monitor` block (internal): the system monitor's counters
 * and last long callbacks, and the busiest processes of the last snapshot.
 *
 * @module
 */

import type { System } from "../system.ts";
import type { ProcessTableSnapshot } from "./process_table_snapshot.ts";
import type { MonitorView } from "./view_types.ts";
import { idOf } from "./_process_id.ts";
import { nameOf } from "./_process_json.ts";

const RECENT = 20;
const BUSIEST = 10;

/** The `monitor` block; `labelOf` names a pid as the other views do. */
export function monitorView(
  system: System,
  snapshot: ProcessTableSnapshot,
  labelOf: (pid: unknown, name: string | null | undefined) => string | null,
): MonitorView {
  const stats = system.monitorStats();
  const busiest = snapshot.rankings.busyMs.desc
    .filter(({ summary }) => summary.busyMs > 0)
    .slice(0, BUSIEST);
  return {
    enabled: stats.enabled,
    longCallbacks: stats.longCallbacks,
    longSchedules: stats.longSchedules,
    eventLoopStalls: stats.eventLoopStalls,
    longCallbackMs: stats.thresholds?.longCallback ?? null,
    recent: stats.recent.slice(0, RECENT).map((r) => ({
      time: r.time,
      pid: String(r.pid),
      id: idOf(r.pid),
      name: nameOf(r.name),
      label: labelOf(r.pid, r.name),
      callback: r.callback,
      duration: r.duration,
      exact: r.exact,
      callbacks: r.callbacks,
      candidates: r.candidates,
    })),
    busiest: busiest.map(({ pid, summary }) => ({
      pid: String(pid),
      id: idOf(pid),
      name: nameOf(summary.name),
      label: labelOf(pid, summary.name),
      busyMs: summary.busyMs,
      longCallbacks: summary.longCallbacks,
    })),
  };
}
