/**
 * The catalog of the runtime's own telemetry events: each declared once,
 * with its name, when it fires, its measurements (and their units) and its
 * metadata, typed. Every built-in emitter executes these declarations, and
 * attaching to one types the handler.
 *
 * | event | measurements | metadata |
 * | --- | --- | --- |
 * | `beamlet.process.start` | `monotonic_time`, `system_time` | `pid`, `name`, `parent` |
 * | `beamlet.process.exit` | `monotonic_time`, `lifetime` | `pid`, `name`, `reason` |
 * | `beamlet.<kind>.start` | `monotonic_time`, `queue_time` | `pid`, `name`, `kind` |
 * | `beamlet.<kind>.stop` | `monotonic_time`, `duration`, `queue_time` | `pid`, `name`, `kind` |
 * | `beamlet.<kind>.exception` | `monotonic_time`, `duration`, `queue_time` | `pid`, `name`, `kind`, `reason`, `stacktrace` |
 * | `beamlet.mailbox.refused` / `.dropped` | `count` (1), `queue_length` | `pid`, `name`, `policy`, `message_kind` |
 * | `beamlet.mailbox.watermark` | `length` | `pid`, `name`, `level`, `high`, `low` |
 * | `beamlet.mailbox.shed` | `count`, `sojourn` | `pid`, `name` |
 * | `beamlet.call.expired` | `count` (1), `timeout` | `pid`, `name`, `handled` |
 * | `beamlet.call.latency` | `monotonic_time`, `queued`, `handling`, `round_trip` | `pid`, `name`, `caller`, `deferred` |
 * | `beamlet.monitor.long_callback` | `monotonic_time`, `duration` | `pid`, `name`, `callback`, `exact`, `callbacks`, `candidates` |
 * | `beamlet.monitor.long_schedule` | `monotonic_time`, `duration` | `processes`, `pid` |
 * | `beamlet.monitor.event_loop_stall` | `monotonic_time`, `delay` | (none) |
 * | `beamlet.scheduler.slice` | `duration`, `utilization`, `run_queue_length`, `processes`, `messages` | `reason` |
 * | `beamlet.scheduler.load` | `processes`, `tasks`, `up` (1 running, else 0) | `scheduler` |
 * | `beamlet.cluster.node_up` / `.node_down` / `.nodes` (either) | `nodes` (up, this one included) | `node`, `incarnation`, `reason` (down), `type` (`.nodes`) |
 * | `beamlet.cluster.traffic` | `messages`, `bytes`, `batches`, `refused` (running totals) | `direction` |
 * | `beamlet.cluster.shards` | `shards`, `entities`, `handoffs` | `name` |
 * | `beamlet.sharding.handoff` | `duration`, `entities` | `name`, `shard`, `from`, `to` |
 * | `beamlet.system.table_size` | `processes`, `names`, `calls`, `timers`, `slots_in_use` | (none) |
 * | `beamlet.batcher.flush` | `items`, `duration`, `attempts` | `batcher`, `trigger`, `ok` |
 * | `beamlet.batcher.refused` | `count` (1), `pending` | `batcher`, `reason` |
 * | `beamlet.stage.stats` | `demand`, `pendingAsk`, `buffered`, `eventsIn`, `eventsOut`, `dropped` (the last three since the previous one) | `pid`, `name`, `type`, `pipeline`, `role` |
 * | `beamlet.stage.dropped` | `count` | `pid`, `name`, `pipeline`, `reason` |
 * | `beamlet.pipeline.ack` | `successful`, `failed` | `pipeline` |
 * | `beamlet.pipeline.batch` | `size` | `pipeline`, `batcher`, `batchKey`, `trigger` |
 * | `beamlet.pipeline.message.exception` | `count` (1) | `pipeline`, `processor`, `reason` |
 * | `beamlet.table.stats` | `size`, `memory` (bytes, estimated), `reads`, `writes` (since the last one) | `table`, `type`, `access`, `owner` |
 * | `beamlet.task.start` | `monotonic_time`, `system_time` | `pid`, `telemetry_span_context` |
 * | `beamlet.task.stop` | `duration`, `monotonic_time` | `pid`, `telemetry_span_context` |
 * | `beamlet.task.exception` | `duration`, `monotonic_time` | `pid`, `telemetry_span_context`, `kind`, `reason`, `stacktrace` |
 * | `beamlet.supervisor.child.start` | `count` (1) | `supervisor`, `childId`, `childPid` |
 * | `beamlet.supervisor.child.exit` | `count` (1) | `supervisor`, `childId`, `childPid`, `reason` |
 * | `beamlet.supervisor.child.restart` / `.restart_failed`, `beamlet.supervisor.intensity_exceeded` | `count` (1) | `kind`, `event`, `supervisor`, `childId`, `childPid`, `reason` |
 * | `beamlet.slo.alert` / `.resolve` | `burn_rate`, `value`, `threshold`, `samples` | `slo`, `kind`, `window`, `state` |
 * | `beamlet.slo.samples` | `count` (since the previous evaluation) | `slo`, `kind`, `outcome` |
 * | `beamlet.telemetry.handler_failure` | `monotonic_time`, `system_time` | `handlerId`, `event`, `config`, `error` |
 *
 * `<kind>` is the callback: `init`, `call`, `cast`, `info`, `continue` or
 * `terminate`. Times are milliseconds on the system's clock unless the
 * declaration says otherwise. An event nobody is attached to costs one
 * boolean check.
 *
 * @module
 */

import type { EventDefinition } from "../define_event.ts";
import type { Measurements, Metadata } from "../types.ts";
import { BATCHER_FLUSH, BATCHER_REFUSED } from "./batcher_events.ts";
import { CALLBACK_EVENTS, CALLBACK_KINDS } from "./callback_events.ts";
import { CALL_LATENCY } from "./call_latency_events.ts";
import { PIPELINE_ACK, PIPELINE_BATCH, PIPELINE_MESSAGE_EXCEPTION } from "./pipeline_events.ts";
import { STAGE_DROPPED, STAGE_STATS } from "./stage_events.ts";
import { PROCESS_EXIT, PROCESS_START } from "./process_events.ts";
import {
  CALL_EXPIRED,
  MAILBOX_DROPPED,
  MAILBOX_REFUSED,
  SCHEDULER_SLICE,
  TABLE_SIZE,
} from "./runtime_events.ts";
import { SCHEDULER_LOAD } from "./scheduler_events.ts";
import {
  CLUSTER_NODE_DOWN,
  CLUSTER_NODE_UP,
  CLUSTER_NODES,
  CLUSTER_SHARDS,
  CLUSTER_TRAFFIC,
} from "./cluster_events.ts";
import { SHARDING_HANDOFF } from "./sharding_events.ts";
import { SLO_ALERT, SLO_RESOLVE, SLO_SAMPLES } from "./slo_events.ts";
import { MAILBOX_SHED, MAILBOX_WATERMARK } from "./mailbox_events.ts";
import { TABLE_STATS } from "./table_events.ts";
import {
  MONITOR_EVENT_LOOP_STALL,
  MONITOR_LONG_CALLBACK,
  MONITOR_LONG_SCHEDULE,
} from "./monitor_events.ts";
import {
  SUPERVISOR_CHILD_EXIT,
  SUPERVISOR_CHILD_RESTART,
  SUPERVISOR_CHILD_RESTART_FAILED,
  SUPERVISOR_CHILD_START,
  SUPERVISOR_INTENSITY_EXCEEDED,
} from "./supervisor_events.ts";
import { TASK_EXCEPTION, TASK_START, TASK_STOP } from "./task_events.ts";
import { HANDLER_FAILURE_EVENT } from "./telemetry_events.ts";

export * from "./batcher_events.ts";
export * from "./callback_events.ts";
export * from "./cluster_events.ts";
export * from "./call_latency_events.ts";
export * from "./pipeline_events.ts";
export * from "./stage_events.ts";
export * from "./mailbox_events.ts";
export * from "./monitor_events.ts";
export * from "./process_events.ts";
export * from "./runtime_events.ts";
export * from "./scheduler_events.ts";
export * from "./sharding_events.ts";
export * from "./slo_events.ts";
export * from "./supervisor_events.ts";
export * from "./table_events.ts";
export * from "./task_events.ts";
export * from "./telemetry_events.ts";

/**
 * Every built-in event, declared: the runtime's, the schedulers', the
 * supervisors', the tasks', the tables', the batchers', the stages', the pipelines', the
 * cluster's, cluster sharding's, the SLO monitor's and telemetry's own.
 *
 * @example Listing the events and their units
 * ```ts
 * import { EVENT_CATALOG } from "@beamlet/beamlet/telemetry";
 *
 * for (const event of EVENT_CATALOG) console.log(event.id, event.measurements);
 * ```
 */
export const EVENT_CATALOG: readonly EventDefinition<Measurements, Metadata>[] = Object.freeze([
  PROCESS_START,
  PROCESS_EXIT,
  ...CALLBACK_KINDS.flatMap((kind) => {
    const { start, stop, exception } = CALLBACK_EVENTS[kind];
    return [start, stop, exception];
  }),
  MAILBOX_REFUSED,
  MAILBOX_DROPPED,
  MAILBOX_WATERMARK,
  MAILBOX_SHED,
  CALL_EXPIRED,
  CALL_LATENCY,
  SCHEDULER_SLICE,
  SCHEDULER_LOAD,
  CLUSTER_NODE_UP,
  CLUSTER_NODE_DOWN,
  CLUSTER_NODES,
  CLUSTER_TRAFFIC,
  CLUSTER_SHARDS,
  SHARDING_HANDOFF,
  MONITOR_LONG_CALLBACK,
  MONITOR_LONG_SCHEDULE,
  MONITOR_EVENT_LOOP_STALL,
  TABLE_SIZE,
  TABLE_STATS,
  BATCHER_FLUSH,
  BATCHER_REFUSED,
  STAGE_STATS,
  STAGE_DROPPED,
  PIPELINE_ACK,
  PIPELINE_BATCH,
  PIPELINE_MESSAGE_EXCEPTION,
  TASK_START,
  TASK_STOP,
  TASK_EXCEPTION,
  SUPERVISOR_CHILD_START,
  SUPERVISOR_CHILD_EXIT,
  SUPERVISOR_CHILD_RESTART,
  SUPERVISOR_CHILD_RESTART_FAILED,
  SUPERVISOR_INTENSITY_EXCEEDED,
  SLO_ALERT,
  SLO_RESOLVE,
  SLO_SAMPLES,
  HANDLER_FAILURE_EVENT,
] as EventDefinition<Measurements, Metadata>[]);
