/**
 * `GET /overview`: what the dashboard polls every second — scheduler
 * counters, process counts by status, table sizes, call latency, the
 * longest mailboxes and the SLOs.
 *
 * @module
 */

import type { Handler } from "hono";
import { procCount } from "../../introspection/proc_count.ts";
import type { AppState } from "../_app_state.ts";
import { idOf } from "../_process_id.ts";
import { nameOf } from "../_process_json.ts";

/** Processes listed in `topMailboxes`. */
const TOP_MAILBOXES = 10;
/** SLO alerts listed. */
const ALERTS = 20;

/** The overview route. */
export function overviewRoute(state: AppState): Handler {
  return (c) => {
    const system = state.system;
    const stats = system.schedulerStats();
    const byStatus = system.countByStatus();
    const top = procCount(system, "messageQueueLength", TOP_MAILBOXES);
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
      processes: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
      byStatus,
      tables: system.tableSizes(),
      callLatency: state.callLatency.summary(),
      topMailboxes: top.map((rank) => ({
        id: idOf(rank.pid),
        pid: String(rank.pid),
        name: nameOf(rank.name),
        messageQueueLength: rank.value,
      })),
      slos: state.slo?.status() ?? [],
      alerts: state.slo?.alerts(ALERTS) ?? [],
    });
  };
}
