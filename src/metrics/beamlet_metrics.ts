/**
 * The default metric definitions over the runtime's own telemetry events
 * (see `beamlet_events.ts`): what the Hono adapter's `/metrics` exposes when
 * it is given no `Metrics` of its own.
 *
 * @module
 */

import type { Metadata } from "../telemetry/types.ts";
import type { CallbackKind } from "../telemetry/beamlet_events.ts";
import { CALLBACK_KINDS } from "../telemetry/beamlet_events.ts";
import { counter, distribution, lastValue, sum } from "./definitions.ts";
import { isCleanExit } from "../exit_reason.ts";
import { flowMetrics } from "./_flow_metrics.ts";
import { callLatencyMetrics } from "./_call_latency_metrics.ts";
import { monitorMetrics } from "./_monitor_metrics.ts";
import { schedulerMetrics } from "./_scheduler_metrics.ts";
import { clusterMetrics } from "./_cluster_metrics.ts";
import { sloMetrics } from "./_slo_metrics.ts";
import type { MetricDefinition } from "./types.ts";

/** Exit reasons kept as a label value; any other reason is a `"crash"`. */
const NAMED_REASONS: ReadonlySet<string> = new Set([
  "normal",
  "shutdown",
  "kill",
  "killed",
  "noproc",
  "timeout",
]);

/** The `name` tag of a process event: its registered name, or `"anonymous"`. */
function byName(meta: Metadata): Record<string, unknown> {
  const name = meta.name;
  return { name: typeof name === "string" ? name : "anonymous" };
}

/** The `reason` tag of an exit: a named reason, `"shutdown"` for `{ shutdown }`, else `"crash"`. */
function byReason(meta: Metadata): Record<string, unknown> {
  const reason = meta.reason;
  if (typeof reason === "string" && NAMED_REASONS.has(reason)) return { reason };
  return { reason: isCleanExit(reason) ? "shutdown" : "crash" };
}

/** The `policy` tag of a mailbox event. */
function byPolicy(meta: Metadata): Record<string, unknown> {
  const policy = meta.policy;
  return { policy: typeof policy === "string" ? policy : "unknown" };
}

/** The `child_id` tag of a supervisor event. */
function byChild(meta: Metadata): Record<string, unknown> {
  const id = meta.childId;
  return { child_id: typeof id === "string" ? id : "unknown" };
}

/** Duration and queue time of one message kind's `stop` event, by server name. */
function messageMetrics(kind: "call" | "cast" | "info"): MetricDefinition[] {
  const common = { unit: "millisecond" as const, tags: ["name"], tagValues: byName };
  return [
    distribution(`beamlet.${kind}.stop.duration`, {
      ...common,
      description: `Time handle${capitalized(kind)} took, by server name`,
    }),
    distribution(`beamlet.${kind}.stop.queue_time`, {
      ...common,
      description: `Time a ${kind} message waited in the mailbox, by server name`,
    }),
  ];
}

function capitalized(kind: string): string {
  return kind[0].toUpperCase() + kind.slice(1);
}

function exceptionCounter(kind: CallbackKind): MetricDefinition {
  return counter(`beamlet.${kind}.exception.count`, {
    description: `Exceptions thrown by the ${kind} callback, by server name`,
    tags: ["name"],
    tagValues: byName,
  });
}

/** The table sizes `beamlet.system.table_size` reports, one gauge each. */
const TABLES = ["processes", "names", "calls", "timers", "slots_in_use"] as const;

/**
 * Per named table (`beamlet.table.stats`, tag `table`): size and memory as
 * gauges; reads and writes as counters (the event carries the operations
 * since the previous one, summed into monotonic `_total` series).
 */
function tableStatsMetrics(): MetricDefinition[] {
  const tags = ["table"];
  const operations = (op: "reads" | "writes") =>
    sum(`beamlet.table.stats.${op}`, {
      description: `${capitalized(op)} of a named table`,
      tags,
      reporterOptions: { prometheusType: "counter" },
    });
  return [
    lastValue("beamlet.table.stats.size", { description: "Rows in a named table", tags }),
    lastValue("beamlet.table.stats.memory", {
      unit: "byte",
      description: "Memory a named table holds, estimated",
      tags,
    }),
    operations("reads"),
    operations("writes"),
  ];
}

/**
 * The default metrics of a beamlet system, over its built-in telemetry
 * events: call, cast and info handling time and mailbox wait, call latency
 * split into queued, handling and round trip (`beamlet.call.latency.*`)
 * (distributions in milliseconds, by server `name`, `"anonymous"` when it
 * has none), callback exceptions per kind, refused and dropped messages by
 * mailbox `policy`, process starts and exits (exits by `reason`: a named
 * reason or `"crash"`), scheduler utilization and run queue length, per
 * scheduler (tag `scheduler`) its live processes, CPU tasks and whether it
 * is up (gauges), the runtime's table sizes, task durations, supervisor
 * restarts by `child_id`, SLO alerts by `slo` and SLO samples by `slo` and
 * `outcome` (good or bad, what burn-rate rules read), per named ETS-like table (tag `table`) its size,
 * memory estimate, and reads and writes (counters), per stage (tags
 * `pipeline`, `role`, `stage`) its demand and buffer (gauges) and its events
 * in, out and dropped (counters), and per pipeline its acked and failed
 * messages (counters) and batch sizes (a distribution, tag `batcher`),
 * messages shed by a mailbox and whether it is above its high watermark
 * (tag `name`), the items each Batcher flushed (tag `batcher`), and the
 * system monitor's long callbacks (tags `name`, `callback`), long slices and
 * event-loop stalls (a count and a delay distribution), and on a node of a
 * cluster the nodes up, membership changes (tags `type`, `reason`), the
 * messages and bytes between nodes (tag `direction`) and each Sharding's
 * shards and hand-offs on this node (tag `name`).
 *
 * A fresh array of fresh definitions on every call; give it to a
 * {@linkcode Metrics} attached to `system.telemetry` (the Hono adapter does
 * this when it is given no `metrics`).
 *
 * @example Exposing the defaults as Prometheus text
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { beamletMetrics, Metrics, prometheusText } from "@beamlet/beamlet/metrics";
 *
 * const system = new System();
 * const metrics = new Metrics(system, beamletMetrics());
 * // ... run servers ...
 * console.log(prometheusText(metrics)); // beamlet_call_stop_duration_seconds_bucket{name="..."} ...
 * metrics.detach();
 * system.shutdown();
 * ```
 */
export function beamletMetrics(): MetricDefinition[] {
  return [
    ...messageMetrics("call"),
    ...callLatencyMetrics(),
    ...messageMetrics("cast"),
    ...messageMetrics("info"),
    ...CALLBACK_KINDS.map(exceptionCounter),
    counter("beamlet.mailbox.refused.count", {
      description: "Messages a full mailbox refused, by overflow policy",
      tags: ["policy"],
      tagValues: byPolicy,
    }),
    counter("beamlet.mailbox.dropped.count", {
      description: "Messages a full mailbox dropped, by overflow policy",
      tags: ["policy"],
      tagValues: byPolicy,
    }),
    counter("beamlet.process.start.count", { description: "Processes started" }),
    counter("beamlet.process.exit.count", {
      description: "Processes exited, by reason (a named reason, or crash)",
      tags: ["reason"],
      tagValues: byReason,
    }),
    lastValue("beamlet.scheduler.slice.utilization", {
      description: "Share of the last scheduler period spent running processes (0..1)",
    }),
    lastValue("beamlet.scheduler.slice.run_queue_length", {
      description: "Processes left in the run queues at the end of the last slice",
    }),
    ...schedulerMetrics(),
    ...clusterMetrics(),
    ...TABLES.map((table) =>
      lastValue(`beamlet.system.table_size.${table}`, {
        description: `Size of the runtime's ${table.replaceAll("_", " ")} table`,
      })
    ),
    ...tableStatsMetrics(),
    ...flowMetrics(),
    ...monitorMetrics(),
    distribution("beamlet.task.stop.duration", {
      unit: "millisecond",
      description: "Time tasks took",
    }),
    counter("beamlet.supervisor.child.restart.count", {
      description: "Children restarted by their supervisor, by child id",
      tags: ["child_id"],
      tagValues: byChild,
    }),
    counter("beamlet.slo.alert.count", {
      description: "SLO alerts raised, by SLO",
      tags: ["slo"],
    }),
    ...sloMetrics(),
  ];
}
