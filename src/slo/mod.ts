/**
 * Service level objectives: declare budgets (latency quantiles, mailbox
 * ages, error rates) over sliding windows of the system clock, and hear of
 * breaches as `["beamlet", "slo", "alert" | "resolve"]` telemetry events.
 *
 * @example A latency SLO
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { monitorSlos } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * const monitor = monitorSlos(system, [{
 *   name: "cache-p95",
 *   kind: "latency",
 *   event: ["beamlet", "call", "stop"],
 *   filter: { name: "cache" },
 *   quantile: 0.95,
 *   threshold: 5,
 *   window: 300_000,
 * }]);
 * monitor.stop();
 * ```
 *
 * @module
 */

export * from "./slo_monitor.ts";
export * from "./events.ts";
export * from "./types.ts";
export * from "./errors.ts";
