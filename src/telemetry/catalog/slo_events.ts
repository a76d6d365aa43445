/**
 * The events an `SloMonitor` executes on `system.telemetry`.
 *
 * @module
 */

import type { SloDeclaration, SloState } from "../../slo/types.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.slo.alert` and `beamlet.slo.resolve`.
 *
 * @example
 * ```ts
 * import type { SloMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const paging = (m: SloMeasurements) => m.burn_rate > 10;
 * ```
 */
export type SloMeasurements = {
  /** Bad fraction of the window's samples over the allowed bad fraction. */
  readonly burn_rate: number;
  /** The observed value (ms for latency and mailbox age, a fraction for error rate). */
  readonly value: number;
  /** The SLO's threshold, in the unit of `value`. */
  readonly threshold: number;
  /** Samples in the window. */
  readonly samples: number;
};

/**
 * Metadata of `beamlet.slo.alert` and `beamlet.slo.resolve`.
 *
 * @example
 * ```ts
 * import type { SloMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const line = (meta: SloMetadata) => `${meta.slo} is ${meta.state}`;
 * ```
 */
export type SloMetadata = {
  /** The SLO's name. */
  readonly slo: string;
  /** Its kind. */
  readonly kind: SloDeclaration["kind"];
  /** Its window (ms). */
  readonly window: number;
  /** The state entered. */
  readonly state: SloState;
};

const SLO_SPEC = {
  measurements: {
    burn_rate: "number",
    value: "number",
    threshold: "number",
    samples: "count",
  },
  metadata: {
    slo: "the SLO's name",
    kind: "its kind",
    window: "its window, ms",
    state: "the state entered",
  },
} as const;

/**
 * `beamlet.slo.alert`: an SLO went from `"ok"` or `"no_data"` to
 * `"breached"`; not executed again while it stays breached.
 *
 * @example
 * ```ts
 * import { SLO_ALERT } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SLO_ALERT.id); // "beamlet.slo.alert"
 * ```
 */
export const SLO_ALERT: EventDefinition<SloMeasurements, SloMetadata> = defineEvent(
  ["beamlet", "slo", "alert"],
  { description: "An SLO became breached.", ...SLO_SPEC },
);

/**
 * `beamlet.slo.resolve`: a breached SLO left `"breached"` (to `"ok"`, or to
 * `"no_data"` when its samples ran out).
 *
 * @example
 * ```ts
 * import { SLO_RESOLVE } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SLO_RESOLVE.id); // "beamlet.slo.resolve"
 * ```
 */
export const SLO_RESOLVE: EventDefinition<SloMeasurements, SloMetadata> = defineEvent(
  ["beamlet", "slo", "resolve"],
  { description: "A breached SLO is no longer breached.", ...SLO_SPEC },
);

/**
 * Measurements of `beamlet.slo.samples`.
 *
 * @example
 * ```ts
 * import type { SloSamplesMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const none = (m: SloSamplesMeasurements) => m.count === 0;
 * ```
 */
export type SloSamplesMeasurements = {
  /** Samples of this outcome counted since the previous evaluation. */
  readonly count: number;
};

/**
 * Metadata of `beamlet.slo.samples`.
 *
 * @example
 * ```ts
 * import type { SloSamplesMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const bad = (meta: SloSamplesMetadata) => meta.outcome === "bad";
 * ```
 */
export type SloSamplesMetadata = {
  /** The SLO's name. */
  readonly slo: string;
  /** Its kind. */
  readonly kind: SloDeclaration["kind"];
  /** `"good"` (within the objective) or `"bad"` (over the threshold, or an error). */
  readonly outcome: "good" | "bad";
};

/**
 * `beamlet.slo.samples`: at each evaluation, per SLO, twice — the good and
 * the bad samples counted since the previous evaluation (0 included, so a
 * counter fed from it has both series from the start). Summed into
 * `beamlet_slo_samples_count_total{slo, outcome}` by the built-in metrics,
 * which is what Prometheus burn-rate rules read.
 *
 * @example
 * ```ts
 * import { SLO_SAMPLES } from "@beamlet/beamlet/telemetry";
 *
 * console.log(SLO_SAMPLES.id); // "beamlet.slo.samples"
 * ```
 */
export const SLO_SAMPLES: EventDefinition<SloSamplesMeasurements, SloSamplesMetadata> = defineEvent(
  ["beamlet", "slo", "samples"],
  {
    description: "Good and bad samples an SLO counted since its previous evaluation.",
    measurements: { count: "count" },
    metadata: {
      slo: "the SLO's name",
      kind: "its kind",
      outcome: '"good" or "bad"',
    },
  },
);
