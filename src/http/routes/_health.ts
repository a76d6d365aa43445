/**
 * `GET /health` (no auth): `{ status, uptimeMs, processes, slos? }`,
 * `"degraded"` while any SLO is breached.
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";

/** The health route. */
export function healthRoute(state: AppState): Handler {
  return (c) => {
    const system = state.system;
    const slos = state.slo?.status();
    const degraded = slos?.some((slo) => slo.state === "breached") ?? false;
    c.header("Cache-Control", "no-store");
    return c.json({
      status: degraded ? "degraded" : "ok",
      uptimeMs: system.schedulerStats().uptimeMs,
      processes: system.tableSizes().processes,
      ...(slos === undefined ? {} : { slos }),
    });
  };
}
