/**
 * Recording and alerting rules over beamlet's built-in metrics
 * (`beamletMetrics()`): crash-looping supervisors, crashing processes,
 * mailboxes refusing, dropping or shedding messages, a saturated
 * scheduler, slow callbacks and calls, long callbacks and event-loop
 * stalls, a node of the cluster lost. A rule is made only when every
 * metric it reads is defined.
 *
 * @module
 */

import type { ExposedMetric, MetricIndex } from "./_sources.ts";
import { by, num, selector } from "./_promql.ts";
import type { AlertingRule, RecordingRule } from "./types.ts";
import { type BuiltinThresholds, DEFAULT_THRESHOLDS } from "./builtin_thresholds.ts";

/** What the rule builders get. */
interface Context {
  /** The family of a metric (present: the builder declared it in `needs`). */
  readonly f: (name: string) => string;
  /** A selector with the options' extra matchers. */
  readonly s: (family: string, ...matchers: string[]) => string;
  readonly t: BuiltinThresholds;
}

interface AlertSpec {
  readonly needs: readonly string[];
  readonly rule: (c: Context) => AlertingRule;
}

interface RecordSpec {
  readonly needs: readonly string[];
  readonly rule: (c: Context) => RecordingRule;
}

const INSTANCE = ["job", "instance"];
const PER_PROCESS = ["job", "instance", "name"];

function warning(summary: string, description: string) {
  return {
    labels: { severity: "warning" },
    annotations: { summary, description },
  };
}

/** p99 of a histogram family over 5 minutes, by the labels given. */
function p99(c: Context, family: string, labels: readonly string[]): string {
  return `histogram_quantile(0.99, sum ${by([...labels, "le"])} (rate(${
    c.s(family + "_bucket")
  }[5m])))`;
}

const LATENCIES: readonly { metric: string; record: string }[] = [
  { metric: "beamlet.call.stop.duration", record: "call_handling_seconds" },
  { metric: "beamlet.call.latency.queued", record: "call_queued_seconds" },
  { metric: "beamlet.call.latency.handling", record: "call_handling_seconds" },
  { metric: "beamlet.call.latency.round_trip", record: "call_round_trip_seconds" },
  { metric: "beamlet.cast.stop.duration", record: "cast_handling_seconds" },
  { metric: "beamlet.info.stop.duration", record: "info_handling_seconds" },
];

const RECORDS: readonly RecordSpec[] = [
  {
    needs: ["beamlet.process.exit.count"],
    rule: (c) => ({
      record: "job_instance:beamlet_process_crashes:rate5m",
      expr: `sum ${by(INSTANCE)} (rate(${
        c.s(c.f("beamlet.process.exit.count"), 'reason="crash"')
      }[5m]))`,
    }),
  },
  {
    needs: ["beamlet.supervisor.child.restart.count"],
    rule: (c) => ({
      record: "job_instance_child_id:beamlet_supervisor_restarts:increase15m",
      expr: `sum ${by([...INSTANCE, "child_id"])} (increase(${
        c.s(c.f("beamlet.supervisor.child.restart.count"))
      }[15m]))`,
    }),
  },
  {
    needs: ["beamlet.scheduler.slice.utilization"],
    rule: (c) => ({
      record: "job_instance:beamlet_scheduler_utilization:avg5m",
      expr: `avg ${by(INSTANCE)} (avg_over_time(${
        c.s(c.f("beamlet.scheduler.slice.utilization"))
      }[5m]))`,
    }),
  },
  ...(["refused", "dropped"] as const).map((what): RecordSpec => ({
    needs: [`beamlet.mailbox.${what}.count`],
    rule: (c) => ({
      record: `job_instance_policy:beamlet_mailbox_${what}:rate5m`,
      expr: `sum ${by([...INSTANCE, "policy"])} (rate(${
        c.s(c.f(`beamlet.mailbox.${what}.count`))
      }[5m]))`,
    }),
  })),
];

/** One p99 recording rule per latency distribution present (the first of a record name wins). */
function latencyRecords(index: MetricIndex): RecordSpec[] {
  const taken = new Set<string>();
  const specs: RecordSpec[] = [];
  for (const { metric, record } of LATENCIES) {
    const exposed = index.get(metric);
    if (exposed === undefined || exposed.prometheusType !== "histogram") continue;
    const name = `job_instance_name:beamlet_${record}:p99_rate5m`;
    if (taken.has(name)) continue;
    taken.add(name);
    specs.push({
      needs: [metric],
      rule: (c) => ({ record: name, expr: p99(c, c.f(metric), PER_PROCESS) }),
    });
  }
  return specs;
}

const ALERTS: readonly AlertSpec[] = [
  {
    needs: ["beamlet.supervisor.child.restart.count"],
    rule: (c) => ({
      alert: "BeamletSupervisorCrashLooping",
      expr: `sum ${by([...INSTANCE, "child_id"])} (increase(${
        c.s(c.f("beamlet.supervisor.child.restart.count"))
      }[15m])) > ${num(c.t.restartsIn15m)}`,
      ...warning(
        "A supervised child keeps crashing",
        `Child {{ $labels.child_id }} on {{ $labels.instance }} was restarted more than ${
          num(c.t.restartsIn15m)
        } times in 15 minutes: it is crash-looping.`,
      ),
    }),
  },
  {
    needs: ["beamlet.process.exit.count"],
    rule: (c) => ({
      alert: "BeamletProcessesCrashing",
      expr: `sum ${by(INSTANCE)} (rate(${
        c.s(c.f("beamlet.process.exit.count"), 'reason="crash"')
      }[5m])) > ${num(c.t.crashesPerSecond)}`,
      for: "5m",
      ...warning(
        "Processes are crashing",
        `Processes on {{ $labels.instance }} exit with a crash more than ${
          num(c.t.crashesPerSecond)
        } times a second.`,
      ),
    }),
  },
  ...(["refused", "dropped"] as const).map((what): AlertSpec => ({
    needs: [`beamlet.mailbox.${what}.count`],
    rule: (c) => ({
      alert: what === "refused" ? "BeamletMailboxRefusing" : "BeamletMailboxDropping",
      expr: `sum ${by([...INSTANCE, "policy"])} (rate(${
        c.s(c.f(`beamlet.mailbox.${what}.count`))
      }[5m])) > 0`,
      for: "5m",
      ...warning(
        `Full mailboxes ${what === "refused" ? "refuse" : "drop"} messages`,
        `Mailboxes with the {{ $labels.policy }} policy on {{ $labels.instance }} have ${what} ` +
          "messages for 5 minutes: their processes cannot keep up.",
      ),
    }),
  })),
  {
    needs: ["beamlet.mailbox.shed"],
    rule: (c) => ({
      alert: "BeamletMailboxShedding",
      expr: `sum ${by(PER_PROCESS)} (rate(${c.s(c.f("beamlet.mailbox.shed"))}[5m])) > 0`,
      for: "5m",
      ...warning(
        "A mailbox sheds messages",
        "The mailbox of {{ $labels.name }} on {{ $labels.instance }} has shed messages that " +
          "waited longer than its target for 5 minutes.",
      ),
    }),
  },
  {
    needs: ["beamlet.mailbox.watermark"],
    rule: (c) => ({
      alert: "BeamletMailboxAboveHighWatermark",
      expr: `max ${by(PER_PROCESS)} (${c.s(c.f("beamlet.mailbox.watermark"))}) == 1`,
      for: "10m",
      ...warning(
        "A mailbox stays above its high watermark",
        "The mailbox of {{ $labels.name }} on {{ $labels.instance }} has been above its high " +
          "watermark for 10 minutes.",
      ),
    }),
  },
  {
    needs: ["beamlet.scheduler.slice.utilization"],
    rule: (c) => ({
      alert: "BeamletSchedulerSaturated",
      expr: `avg ${by(INSTANCE)} (avg_over_time(${
        c.s(c.f("beamlet.scheduler.slice.utilization"))
      }[10m])) > ${num(c.t.schedulerUtilization)}`,
      ...warning(
        "The scheduler is saturated",
        `The scheduler on {{ $labels.instance }} ran processes more than ${
          num(c.t.schedulerUtilization * 100)
        }% of the time over 10 minutes.`,
      ),
    }),
  },
  {
    needs: ["beamlet.scheduler.slice.run_queue_length"],
    rule: (c) => ({
      alert: "BeamletRunQueueBacklog",
      expr: `min ${by(INSTANCE)} (min_over_time(${
        c.s(c.f("beamlet.scheduler.slice.run_queue_length"))
      }[10m])) > ${num(c.t.runQueueLength)}`,
      ...warning(
        "The run queue never drains",
        `More than ${
          num(c.t.runQueueLength)
        } processes stayed runnable on {{ $labels.instance }} for 10 minutes.`,
      ),
    }),
  },
  {
    needs: ["beamlet.call.stop.duration"],
    rule: (c) => ({
      alert: "BeamletSlowCallHandling",
      expr: `${p99(c, c.f("beamlet.call.stop.duration"), PER_PROCESS)} > ${
        num(c.t.callHandlingP99)
      }`,
      for: "10m",
      ...warning(
        "handleCall is slow",
        `p99 of handleCall in {{ $labels.name }} on {{ $labels.instance }} is above ${
          num(c.t.callHandlingP99 * 1000)
        } ms: everyone queued behind it waits too.`,
      ),
    }),
  },
  {
    needs: ["beamlet.call.latency.queued"],
    rule: (c) => ({
      alert: "BeamletCallsQueuedLong",
      expr: `${p99(c, c.f("beamlet.call.latency.queued"), PER_PROCESS)} > ${
        num(c.t.callQueuedP99)
      }`,
      for: "10m",
      ...warning(
        "Calls wait long in a mailbox",
        `p99 of the time calls to {{ $labels.name }} on {{ $labels.instance }} wait in its ` +
          `mailbox is above ${num(c.t.callQueuedP99 * 1000)} ms.`,
      ),
    }),
  },
  {
    needs: ["beamlet.monitor.long_callback.count"],
    rule: (c) => ({
      alert: "BeamletLongCallbacks",
      expr: `sum ${by(PER_PROCESS)} (rate(${
        c.s(c.f("beamlet.monitor.long_callback.count"))
      }[5m])) > ${num(c.t.longCallbacksPerSecond)}`,
      for: "10m",
      ...warning(
        "Callbacks blow their time budget",
        `{{ $labels.name }} on {{ $labels.instance }} runs more than ${
          num(c.t.longCallbacksPerSecond)
        } long callbacks a second: a long synchronous handler cannot be pre-empted.`,
      ),
    }),
  },
  {
    needs: ["beamlet.cluster.node_events"],
    rule: (c) => {
      const lost = c.s(
        c.f("beamlet.cluster.node_events"),
        'type="nodedown"',
        'reason="noconnection"',
      );
      // A first loss creates the series at 1, which increase() cannot see: `unless ... offset`
      // catches a series that is new in the window.
      return {
        alert: "BeamletClusterNodeDown",
        expr: `sum ${by(INSTANCE)} (increase(${lost}[10m])) > 0 or ` +
          `sum ${by(INSTANCE)} (${lost} unless ${lost} offset 10m) > 0`,
        ...warning(
          "A node of the cluster was lost",
          "{{ $labels.instance }} lost a node of its cluster (no heartbeat for downAfterMs) in " +
            "the last 10 minutes: its processes are gone and its shards moved.",
        ),
      };
    },
  },
  {
    needs: ["beamlet.monitor.event_loop_stall.count"],
    rule: (c) => ({
      alert: "BeamletEventLoopStalls",
      expr: `sum ${by(INSTANCE)} (increase(${
        c.s(c.f("beamlet.monitor.event_loop_stall.count"))
      }[5m])) > ${num(c.t.eventLoopStallsIn5m)}`,
      ...warning(
        "The host event loop stalls",
        `The event loop on {{ $labels.instance }} was blocked more than ${
          num(c.t.eventLoopStallsIn5m)
        } times in 5 minutes.`,
      ),
    }),
  },
  {
    needs: ["beamlet.monitor.long_schedule.count"],
    rule: (c) => ({
      alert: "BeamletLongSchedules",
      expr: `sum ${by(INSTANCE)} (increase(${
        c.s(c.f("beamlet.monitor.long_schedule.count"))
      }[5m])) > ${num(c.t.longSchedulesIn5m)}`,
      ...warning(
        "Scheduler slices run long",
        `The scheduler on {{ $labels.instance }} ran more than ${
          num(c.t.longSchedulesIn5m)
        } slices without yielding to the host for too long in 5 minutes.`,
      ),
    }),
  },
];

function contextOf(
  index: MetricIndex,
  extra: string | undefined,
  thresholds: BuiltinThresholds,
): Context {
  return {
    f: (name) => (index.get(name) as ExposedMetric).family,
    s: (family, ...matchers) => selector(family, matchers, extra),
    t: thresholds,
  };
}

const present = (index: MetricIndex) => (spec: { needs: readonly string[] }) =>
  spec.needs.every((name) => index.get(name) !== undefined);

/** The built-in recording rules for the metrics defined. */
export function builtinRecords(index: MetricIndex, extra: string | undefined): RecordingRule[] {
  const c = contextOf(index, extra, DEFAULT_THRESHOLDS);
  return [...RECORDS, ...latencyRecords(index)].filter(present(index)).map((s) => s.rule(c));
}

/** The built-in alerting rules for the metrics defined. */
export function builtinAlerts(
  index: MetricIndex,
  extra: string | undefined,
  thresholds: BuiltinThresholds,
): AlertingRule[] {
  const c = contextOf(index, extra, thresholds);
  return ALERTS.filter(present(index)).map((s) => s.rule(c));
}
