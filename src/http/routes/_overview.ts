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

/** The overview route. */
export function overviewRoute(state: AppState): Handler {
  return async (c) => {
    const overview = await state.observer.overview();
    c.header("Cache-Control", "no-store");
    return c.json(overview);
  };
}
