/**
 * What the generators read, resolved once: every metric definition with the
 * name `prometheusText` gives it (the same function computes both), and
 * the SLOs' objectives.
 *
 * @module
 */

import { beamletMetrics } from "../metrics/beamlet_metrics.ts";
import {
  familyName,
  prometheusType,
  sanitizeName,
} from "../metrics/reporters/_prometheus_format.ts";
import type { MetricDefinition } from "../metrics/types.ts";
import type { SloDeclaration } from "../slo/types.ts";
import type { MetricSource, OpsOptions, SloObjective } from "./types.ts";

/** One metric as `/metrics` exposes it. */
export interface ExposedMetric {
  readonly definition: MetricDefinition;
  /** The family name (`beamlet_call_stop_duration_seconds`, `..._total` for counters). */
  readonly family: string;
  readonly prometheusType: "counter" | "gauge" | "summary" | "histogram";
}

/** The metrics of the options, by dotted name, in definition order. */
export class MetricIndex {
  readonly #byName = new Map<string, ExposedMetric>();

  constructor(definitions: readonly MetricDefinition[], namespace: string | undefined) {
    const prefix = namespace === undefined || namespace === "" ? "" : sanitizeName(namespace) + "_";
    const families = new Set<string>();
    for (const definition of definitions) {
      const family = familyName(definition, prefix);
      // prometheusText leaves out the later of two metrics with one name: so do we.
      if (families.has(family) || this.#byName.has(definition.name)) continue;
      families.add(family);
      this.#byName.set(definition.name, {
        definition,
        family,
        prometheusType: prometheusType(definition),
      });
    }
  }

  /** The metric of that dotted name, if defined. */
  get(name: string): ExposedMetric | undefined {
    return this.#byName.get(name);
  }

  /** Every metric, in definition order. */
  all(): ExposedMetric[] {
    return [...this.#byName.values()];
  }
}

/** The definitions of a metric source (default: `beamletMetrics()`). */
export function definitionsOf(source: MetricSource | undefined): readonly MetricDefinition[] {
  if (source === undefined) return beamletMetrics();
  if (Array.isArray(source)) return source;
  const definitions = (source as { definitions?: unknown }).definitions;
  if (Array.isArray(definitions)) return definitions;
  throw new TypeError("ops: metrics must be a Metrics or an array of metric definitions");
}

/** The metric index of the options. */
export function metricIndex(options: OpsOptions): MetricIndex {
  if (options.namespace !== undefined && typeof options.namespace !== "string") {
    throw new TypeError("ops: namespace must be a string");
  }
  return new MetricIndex(definitionsOf(options.metrics), options.namespace);
}

/** The objective of a declaration or an objective, checked. */
function objectiveOf(slo: SloDeclaration | SloObjective): SloObjective {
  if (typeof slo !== "object" || slo === null || typeof slo.name !== "string" || slo.name === "") {
    throw new TypeError("ops: every SLO needs a non-empty string name");
  }
  const objective = "objective" in slo && slo.objective !== undefined
    ? slo.objective
    : slo.kind === "latency"
    ? (slo as { quantile: number }).quantile
    : slo.kind === "mailbox_age"
    ? 0.99 // MailboxAgeSlo's default
    : undefined;
  if (typeof objective !== "number" || !(objective > 0 && objective < 1)) {
    throw new RangeError(`ops: SLO ${JSON.stringify(slo.name)}: objective must be in (0, 1)`);
  }
  return { name: slo.name, kind: slo.kind, objective };
}

/** The SLOs of the options, each once (the first of a name kept). */
export function sloObjectives(options: OpsOptions): SloObjective[] {
  const source = options.slos;
  if (source === undefined) return [];
  const list = Array.isArray(source)
    ? source
    : typeof (source as { status?: unknown }).status === "function"
    ? (source as { status(): readonly SloObjective[] }).status()
    : undefined;
  if (list === undefined) {
    throw new TypeError("ops: slos must be an array of SLOs or an SloMonitor");
  }
  const seen = new Set<string>();
  const objectives: SloObjective[] = [];
  for (const slo of list) {
    const objective = objectiveOf(slo);
    if (seen.has(objective.name)) continue;
    seen.add(objective.name);
    objectives.push(objective);
  }
  return objectives;
}
