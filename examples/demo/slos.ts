/**
 * The demo's service level objectives: the p95 round-trip of quick session
 * calls (checkouts excluded: they are slow on purpose), and how long orders
 * wait in the bounded worker's mailbox. Both use a 30 s window and a 6 s
 * short window, so a burst raises an alert within seconds and the alert
 * resolves soon after the burst ends.
 *
 * @module
 */

import type { System } from "../../mod.ts";
import { monitorSlos, type SloMonitor } from "../../slo.ts";
import { ORDERS } from "./bounded_worker.ts";
import { SESSION_CALL_EVENT } from "./sessions.ts";

/** Thresholds of the demo SLOs. */
export const SLO_THRESHOLDS = {
  /** p95 of view / add / cart session calls, ms. */
  sessionCallP95Ms: 50,
  /** Age of the oldest order waiting in the bounded worker, ms (90% of samples). */
  ordersMailboxAgeMs: 250,
} as const;

/**
 * Starts the SLO monitor (evaluated every second of the system clock).
 *
 * @example The monitor and its states
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { startSlos } from "./slos.ts";
 *
 * const monitor = startSlos(new System());
 * console.log(monitor.status().map((s) => s.state)); // ["no_data", "no_data"]
 * monitor.stop();
 * ```
 */
export function startSlos(system: System): SloMonitor {
  return monitorSlos(system, [
    {
      name: "session-call-p95",
      kind: "latency",
      event: SESSION_CALL_EVENT,
      filter: (metadata) => metadata.request !== "checkout",
      quantile: 0.95,
      threshold: SLO_THRESHOLDS.sessionCallP95Ms,
      window: 30_000,
      shortWindow: 6000,
      minSamples: 20,
    },
    {
      name: "orders-mailbox-age",
      kind: "mailbox_age",
      target: ORDERS,
      threshold: SLO_THRESHOLDS.ordersMailboxAgeMs,
      objective: 0.9,
      window: 30_000,
      shortWindow: 6000,
    },
  ], { evaluationInterval: 1000 });
}
