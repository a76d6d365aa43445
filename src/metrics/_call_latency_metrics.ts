/**
 * The default metrics of call latency, split (internal, part of
 * `beamletMetrics`): from `beamlet.call.latency`, three distributions in
 * milliseconds by server `name` — the time a call waited in the server's
 * mailbox, the time the server took to reply, and what its caller waited.
 * A long mailbox shows as `queued` far above `handling`.
 *
 * @module
 */

import type { Metadata } from "../telemetry/types.ts";
import { distribution } from "./definitions.ts";
import type { MetricDefinition } from "./types.ts";

/** The `name` tag: the server's registered name, or `"anonymous"`. */
function byName(meta: Metadata): Record<string, unknown> {
  const name = meta.name;
  return { name: typeof name === "string" ? name : "anonymous" };
}

/**
 * `beamlet.call.latency.queued`, `.handling` and `.round_trip`: distributions
 * (ms) by server `name`; Prometheus `beamlet_call_latency_queued_seconds`,
 * `beamlet_call_latency_handling_seconds` and
 * `beamlet_call_latency_round_trip_seconds`.
 */
export function callLatencyMetrics(): MetricDefinition[] {
  const common = { unit: "millisecond" as const, tags: ["name"], tagValues: byName };
  return [
    distribution("beamlet.call.latency.queued", {
      ...common,
      description:
        "Time a call waited in the server's mailbox before handleCall started, by server name",
    }),
    distribution("beamlet.call.latency.handling", {
      ...common,
      description: "Time from handleCall starting to the reply being given, by server name",
    }),
    distribution("beamlet.call.latency.round_trip", {
      ...common,
      description:
        "Time a caller waited for its reply, from call() to the answer (queued + handling), by server name",
    }),
  ];
}
