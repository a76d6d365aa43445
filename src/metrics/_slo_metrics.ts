/**
 * The SLO monitor's sample counts as a counter (internal, part of
 * `beamletMetrics`): what Prometheus burn-rate rules read (see
 * `@beamlet/beamlet/ops`).
 *
 * @module
 */

import type { Metadata } from "../telemetry/types.ts";
import { sum } from "./definitions.ts";
import type { MetricDefinition } from "./types.ts";

const SLO_SAMPLES = ["beamlet", "slo", "samples"] as const;

/** The tags of a `beamlet.slo.samples` event. */
function sloTags(meta: Metadata): Record<string, unknown> {
  return {
    slo: typeof meta.slo === "string" ? meta.slo : "unknown",
    outcome: meta.outcome === "bad" ? "bad" : "good",
  };
}

/**
 * `beamlet_slo_samples_count_total{slo, outcome}`: the samples every SLO of
 * an `SloMonitor` counted, `outcome` `"good"` or `"bad"`, summed from the
 * `beamlet.slo.samples` events of its evaluations (so it lags by at most one
 * evaluation interval). Its bad share over a window, divided by the SLO's
 * allowed bad share, is the burn rate over that window.
 */
export function sloMetrics(): MetricDefinition[] {
  return [
    sum("beamlet.slo.samples.count", {
      event: SLO_SAMPLES,
      measurement: "count",
      tags: ["slo", "outcome"],
      tagValues: sloTags,
      description: "Samples an SLO counted, by SLO and outcome (good or bad)",
      reporterOptions: { prometheusType: "counter" },
    }),
  ];
}
