/**
 * Service level objectives: declare budgets (latency quantiles, mailbox
 * ages, error rates) over sliding windows of the system clock, read their
 * status, and hear of breaches as `["beamlet", "slo", "alert" | "resolve"]`
 * telemetry events.
 *
 * @example A latency SLO, and its alerts
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { monitorSlos, SLO_ALERT_EVENT } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * system.telemetry.attach("page-me", SLO_ALERT_EVENT, (_event, _measurements, metadata) => {
 *   console.log("SLO breached:", metadata.slo);
 * });
 * const monitor = monitorSlos(system, [{
 *   name: "cache-p95",
 *   kind: "latency",
 *   event: ["beamlet", "call", "stop"],
 *   filter: { name: "cache" },
 *   quantile: 0.95,
 *   threshold: 5,
 *   window: 300_000,
 * }]);
 * console.log(monitor.status()[0].state); // "no_data"
 * monitor.stop();
 * ```
 *
 * @module
 */

export { monitorSlos, SloMonitor } from "./src/slo/slo_monitor.ts";
export { SLO_ALERT_EVENT, SLO_RESOLVE_EVENT } from "./src/slo/events.ts";
export type {
  ErrorRateSlo,
  LatencySlo,
  MailboxAgeSlo,
  SloAlertRecord,
  SloCommon,
  SloDeclaration,
  SloFilter,
  SloMonitorOptions,
  SloState,
  SloStatus,
} from "./src/slo/types.ts";
export { DuplicateSloError, InvalidSloError } from "./src/slo/errors.ts";
