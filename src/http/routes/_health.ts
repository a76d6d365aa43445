/**
 * `GET /health` (no auth): `{ status }` only — `"ok"`, or `"degraded"`
 * while an SLO is breached — as Spring Actuator and LiveDashboard answer
 * anonymous readers. `GET /health/details` (auth): `{ status, uptimeMs,
 * processes, slos? }`. Both cost O(number of SLOs), whatever the number of
 * processes.
 *
 * @module
 */

import type { Handler } from "hono";
import { healthStatus } from "../../observe/health_status.ts";
import type { AppState } from "../_app_state.ts";

/** The public health route. */
export function healthRoute(state: AppState): Handler {
  return (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ status: healthStatus(state.slo) });
  };
}

/** The health details route (behind auth). */
export function healthDetailsRoute(state: AppState): Handler {
  return (c) => {
    const system = state.system;
    const slos = state.slo?.status();
    c.header("Cache-Control", "no-store");
    return c.json({
      status: healthStatus(state.slo),
      uptimeMs: system.schedulerStats().uptimeMs,
      processes: system.tableSizes().processes,
      ...(slos === undefined ? {} : { slos }),
    });
  };
}
