/**
 * `GET /overview`: what the dashboard polls every second — scheduler
 * counters, the process count, processes by status, table sizes, call
 * latency, the longest mailboxes and the SLOs. Counts by status and the
 * longest mailboxes come from the process-table walker's last snapshot
 * (`snapshotAgeMs` says how old it is); the rest is read directly, O(1) or
 * O(number of SLOs).
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";
import { idOf } from "../_process_id.ts";
import { nameOf } from "../_process_json.ts";

/** Processes listed in `topMailboxes`. */
const TOP_MAILBOXES = 10;
/** SLO alerts listed. */
const ALERTS = 20;

/** The overview route. */
export function overviewRoute(state: AppState): Handler {
  return async (c) => {
    const snapshot = await state.processTable.snapshot();
    const system = state.system;
    const stats = system.schedulerStats();
    const tables = system.tableSizes();
    const top = snapshot.rankings.messageQueueLength.desc.slice(0, TOP_MAILBOXES);
    c.header("Cache-Control", "no-store");
    return c.json({
      time: Date.now(),
      uptimeMs: stats.uptimeMs,
      scheduler: {
        runQueue: stats.runQueue,
        utilization: stats.utilization,
        slices: stats.slices,
        processRuns: stats.processRuns,
        messages: stats.messages,
        busyMs: stats.busyMs,
        inFlight: stats.inFlight,
      },
      processes: tables.processes,
      byStatus: snapshot.byStatus,
      tables,
      callLatency: state.callLatency.summary(),
      topMailboxes: top.map(({ pid, summary }) => ({
        id: idOf(pid),
        pid: String(pid),
        name: nameOf(summary.name),
        messageQueueLength: summary.messageQueueLength,
      })),
      slos: state.slo?.status() ?? [],
      alerts: state.slo?.alerts(ALERTS) ?? [],
      snapshotAgeMs: state.ageOf(snapshot.completedAt),
    });
  };
}
