/**
 * `GET /overview`: what the dashboard polls every second — scheduler
 * counters, the process count, processes by status, table sizes, call
 * latency, the longest mailboxes and the SLOs. Counts by status and the
 * longest mailboxes come from the process-table walker's last snapshot
 * (`snapshotAgeMs` says how old it is); the rest is read directly, O(1) or
 * O(number of SLOs). The app adds what the dashboard may offer —
 * `mutations: { kill, suspend, restart }` and `inspection: { state }`, each
 * whether it is enabled — and `memoryBytes` (the host's JS heap in use, or
 * `null` where the host does not say).
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";
import { hostMemoryBytes } from "../_host_memory.ts";

/** The overview route. */
export function overviewRoute(state: AppState): Handler {
  return async (c) => {
    state.history?.start();
    const overview = await state.observer.overview();
    c.header("Cache-Control", "no-store");
    return c.json({
      ...overview,
      memoryBytes: hostMemoryBytes(),
      mutations: {
        kill: state.killEnabled,
        suspend: state.suspendEnabled,
        restart: state.restartEnabled,
      },
      inspection: { state: state.stateInspection },
    });
  };
}

/**
 * `GET /overview/history`: the overview's last 300 s, one point a second,
 * oldest first — `{ time, interval: 1000, points: [{ time, throughput,
 * processes, runQueue: { high, normal, low }, utilization, memoryBytes,
 * calls: { queued, handling, roundTrip } }] }` (call latencies: p99 ms or
 * `null`). Empty with `history: false`.
 */
export function overviewHistoryRoute(state: AppState): Handler {
  return (c) => {
    const history = state.history;
    history?.start();
    c.header("Cache-Control", "no-store");
    return c.json(history?.view() ?? { time: Date.now(), interval: 1000, points: [] });
  };
}
