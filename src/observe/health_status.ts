/**
 * The one word a public health check may say.
 *
 * @module
 */

import type { SloMonitor } from "../slo/slo_monitor.ts";

/**
 * What an unauthenticated health check answers: `"degraded"` while an SLO
 * is breached, `"ok"` otherwise — and nothing more (which SLO, its
 * threshold and its value are for authenticated readers).
 *
 * @example
 * ```ts
 * import type { HealthStatus } from "@beamlet/beamlet/observe";
 *
 * const status: HealthStatus = "ok";
 * ```
 */
export type HealthStatus = "ok" | "degraded";

/**
 * `"degraded"` while any SLO of `slo` is breached (as of its last
 * evaluation), else `"ok"` (also without a monitor). O(number of SLOs).
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SloMonitor } from "@beamlet/beamlet/slo";
 * import { healthStatus } from "@beamlet/beamlet/observe";
 *
 * const monitor = new SloMonitor(new System(), { slos: [] });
 * console.log(healthStatus(monitor), healthStatus(undefined)); // "ok" "ok"
 * monitor.stop();
 * ```
 */
export function healthStatus(slo: SloMonitor | undefined): HealthStatus {
  const breached = slo?.status().some((status) => status.state === "breached") ?? false;
  return breached ? "degraded" : "ok";
}
