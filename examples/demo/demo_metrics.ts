/**
 * What the demo's `/metrics` exposes: beamlet's default metrics, plus the
 * demo's own — session-call round-trips by request and outcome, and the
 * samples the metrics tracker flushes.
 *
 * @module
 */

import type { System } from "../../mod.ts";
import { beamletMetrics, counter, distribution, Metrics, sum } from "../../metrics.ts";

/**
 * A {@linkcode Metrics} on the system's telemetry; `detach()` it at shutdown.
 *
 * @example Prometheus text with the demo's metrics
 * ```ts
 * import { prometheusText, System } from "@beamlet/beamlet";
 * import { demoMetrics } from "./demo_metrics.ts";
 *
 * const system = new System();
 * const metrics = demoMetrics(system);
 * console.log(prometheusText(metrics).includes("demo_session_call_duration")); // true
 * metrics.detach();
 * ```
 */
export function demoMetrics(system: System): Metrics {
  return new Metrics(system, [
    ...beamletMetrics(),
    distribution("demo.session.call.duration", {
      unit: "millisecond",
      tags: ["request", "outcome"],
      description: "Round-trip of a session call, measured by the caller",
    }),
    counter("demo.tracker.flush.count", { description: "Flushes of the metrics tracker" }),
    sum("demo.tracker.flush.samples", { description: "Samples the metrics tracker flushed" }),
  ]);
}
