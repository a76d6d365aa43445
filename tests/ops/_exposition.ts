/**
 * What `/metrics` exposes for a set of metric definitions once every one of
 * them has a sample (private: not a test file): each definition's event is
 * executed with its measurement and a tag value for every tag, and the
 * families of the `prometheusText` output are collected; and whether a
 * metric name a query reads is one of those series.
 *
 * @module
 */

import { type MetricDefinition, Metrics, prometheusText } from "../../metrics.ts";
import { Telemetry } from "../../telemetry.ts";

/** `# TYPE` lines of an exposition: family name → Prometheus type. */
export function familiesOf(text: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1], match[2]);
  return families;
}

/** The series names an exposition family holds: a histogram's `_bucket`, `_sum` and `_count`. */
export function seriesNames(families: ReadonlyMap<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [family, type] of families) {
    names.add(family);
    if (type === "histogram") names.add(family + "_bucket");
    if (type === "histogram" || type === "summary") {
      names.add(family + "_sum");
      names.add(family + "_count");
    }
  }
  return names;
}

/** Metadata that passes every built-in `keepIf` and gives every built-in tag a value. */
const METADATA = {
  name: "worker",
  pid: "#PID<0.1.0>",
  reason: "crash",
  policy: "drop_newest",
  childId: "worker",
  slo: "p95",
  outcome: "bad",
  kind: "call",
  callback: "call",
  level: "high",
  ok: true,
  table: "cache",
  pipeline: "audit",
  role: "processor",
  batcher: "default",
  supervisor: "root",
};

/** Every measurement any definition reads is 1. */
const MEASUREMENTS = new Proxy({}, { get: () => 1, has: () => true });

/** The exposition of `definitions` once each has had one sample. */
export function exposeAll(definitions: readonly MetricDefinition[], namespace?: string): string {
  const telemetry = new Telemetry();
  const metrics = new Metrics(telemetry, definitions);
  try {
    for (const definition of definitions) {
      const tags: Record<string, string> = {};
      for (const tag of definition.tags) tags[tag] = "x";
      telemetry.execute(definition.event, MEASUREMENTS, { ...tags, ...METADATA });
    }
    return prometheusText(metrics, { namespace });
  } finally {
    metrics.detach();
  }
}

/** The names in `referenced` that are neither a series of `exposed` nor a recording rule. */
export function missing(referenced: readonly string[], exposed: ReadonlySet<string>): string[] {
  return referenced.filter((name) => !name.includes(":") && !exposed.has(name));
}
