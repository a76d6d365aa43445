/**
 * The names of the events the runtime itself executes on
 * `system.telemetry`, as one object (see the catalog's module doc for their
 * measurements and metadata). Each name is the catalog's declaration, so
 * attaching to one types the handler.
 *
 * @module
 */

import {
  CALLBACK_EVENTS,
  type CallbackEvents,
  type CallbackKind,
  type CallbackPhase,
} from "./catalog/callback_events.ts";
import { PROCESS_EXIT, PROCESS_START } from "./catalog/process_events.ts";
import { CALL_LATENCY } from "./catalog/call_latency_events.ts";
import {
  CALL_EXPIRED,
  MAILBOX_DROPPED,
  MAILBOX_REFUSED,
  SCHEDULER_SLICE,
  TABLE_SIZE,
} from "./catalog/runtime_events.ts";
import { SCHEDULER_LOAD } from "./catalog/scheduler_events.ts";
import { SLO_ALERT, SLO_RESOLVE, SLO_SAMPLES } from "./catalog/slo_events.ts";
import { BATCHER_FLUSH, BATCHER_REFUSED } from "./catalog/batcher_events.ts";
import {
  PIPELINE_ACK,
  PIPELINE_BATCH,
  PIPELINE_MESSAGE_EXCEPTION,
} from "./catalog/pipeline_events.ts";
import { STAGE_DROPPED, STAGE_STATS } from "./catalog/stage_events.ts";
import { MAILBOX_SHED, MAILBOX_WATERMARK } from "./catalog/mailbox_events.ts";
import { TABLE_STATS } from "./catalog/table_events.ts";
import {
  MONITOR_EVENT_LOOP_STALL,
  MONITOR_LONG_CALLBACK,
  MONITOR_LONG_SCHEDULE,
} from "./catalog/monitor_events.ts";
import {
  SUPERVISOR_CHILD_EXIT,
  SUPERVISOR_CHILD_RESTART,
  SUPERVISOR_CHILD_RESTART_FAILED,
  SUPERVISOR_CHILD_START,
  SUPERVISOR_INTENSITY_EXCEEDED,
} from "./catalog/supervisor_events.ts";
import { TASK_EXCEPTION, TASK_START, TASK_STOP } from "./catalog/task_events.ts";
import { HANDLER_FAILURE_EVENT } from "./catalog/telemetry_events.ts";

export { CALLBACK_EVENTS, CALLBACK_KINDS, type CallbackKind } from "./catalog/callback_events.ts";

/**
 * The shape of {@linkcode BEAMLET_EVENTS}: one declared name per event, and
 * a function for the callback events.
 *
 * @example
 * ```ts
 * import { BEAMLET_EVENTS, type BeamletEvents } from "@beamlet/beamlet/telemetry";
 *
 * const events: BeamletEvents = BEAMLET_EVENTS;
 * console.log(events.processExit.join(".")); // "beamlet.process.exit"
 * ```
 */
export interface BeamletEvents {
  /** `["beamlet", "process", "start"]` */
  readonly processStart: typeof PROCESS_START;
  /** `["beamlet", "process", "exit"]` */
  readonly processExit: typeof PROCESS_EXIT;
  /** `["beamlet", "mailbox", "refused"]` */
  readonly mailboxRefused: typeof MAILBOX_REFUSED;
  /** `["beamlet", "mailbox", "dropped"]` */
  readonly mailboxDropped: typeof MAILBOX_DROPPED;
  /** `["beamlet", "mailbox", "watermark"]`: a queue reached its high watermark, or fell back to its low one. */
  readonly mailboxWatermark: typeof MAILBOX_WATERMARK;
  /** `["beamlet", "mailbox", "shed"]`: messages that waited too long were shed (CoDel). */
  readonly mailboxShed: typeof MAILBOX_SHED;
  /** `["beamlet", "call", "expired"]`: a call whose caller gave up while it was queued was skipped. */
  readonly callExpired: typeof CALL_EXPIRED;
  /**
   * `["beamlet", "call", "latency"]`: a call was answered; its time queued in
   * the server's mailbox, handling, and round trip.
   */
  readonly callLatency: typeof CALL_LATENCY;
  /** `["beamlet", "scheduler", "slice"]` */
  readonly schedulerSlice: typeof SCHEDULER_SLICE;
  /** `["beamlet", "scheduler", "load"]`: one scheduler's live processes, CPU tasks and status. */
  readonly schedulerLoad: typeof SCHEDULER_LOAD;
  /** `["beamlet", "monitor", "long_callback"]`: a callback held the scheduler past the monitor's budget. */
  readonly monitorLongCallback: typeof MONITOR_LONG_CALLBACK;
  /** `["beamlet", "monitor", "long_schedule"]`: a scheduler slice held the host too long. */
  readonly monitorLongSchedule: typeof MONITOR_LONG_SCHEDULE;
  /** `["beamlet", "monitor", "event_loop_stall"]`: the host's event loop was blocked. */
  readonly monitorEventLoopStall: typeof MONITOR_EVENT_LOOP_STALL;
  /** `["beamlet", "system", "table_size"]` */
  readonly tableSize: typeof TABLE_SIZE;
  /** `["beamlet", "table", "stats"]`: a named table's size, memory and activity. */
  readonly tableStats: typeof TABLE_STATS;
  /** `["beamlet", "batcher", "flush"]`: a Batcher's batch was flushed, or its last attempt failed. */
  readonly batcherFlush: typeof BATCHER_FLUSH;
  /** `["beamlet", "batcher", "refused"]`: a Batcher refused an item. */
  readonly batcherRefused: typeof BATCHER_REFUSED;
  /** `["beamlet", "stage", "stats"]`: a stage's demand, buffer and throughput, at most once a second. */
  readonly stageStats: typeof STAGE_STATS;
  /** `["beamlet", "stage", "dropped"]`: a producer dropped events (buffer full, or no partition). */
  readonly stageDropped: typeof STAGE_DROPPED;
  /** `["beamlet", "pipeline", "ack"]`: a group of a pipeline's messages was acked. */
  readonly pipelineAck: typeof PIPELINE_ACK;
  /** `["beamlet", "pipeline", "batch"]`: a pipeline's batcher handed out a batch. */
  readonly pipelineBatch: typeof PIPELINE_BATCH;
  /** `["beamlet", "pipeline", "message", "exception"]`: a pipeline handler failed messages. */
  readonly pipelineMessageException: typeof PIPELINE_MESSAGE_EXCEPTION;
  /** `["beamlet", "task", "start"]` */
  readonly taskStart: typeof TASK_START;
  /** `["beamlet", "task", "stop"]` */
  readonly taskStop: typeof TASK_STOP;
  /** `["beamlet", "task", "exception"]` */
  readonly taskException: typeof TASK_EXCEPTION;
  /** `["beamlet", "supervisor", "child", "start"]` */
  readonly supervisorChildStart: typeof SUPERVISOR_CHILD_START;
  /** `["beamlet", "supervisor", "child", "exit"]` */
  readonly supervisorChildExit: typeof SUPERVISOR_CHILD_EXIT;
  /** `["beamlet", "supervisor", "child", "restart"]` */
  readonly supervisorChildRestart: typeof SUPERVISOR_CHILD_RESTART;
  /** `["beamlet", "supervisor", "child", "restart_failed"]` */
  readonly supervisorChildRestartFailed: typeof SUPERVISOR_CHILD_RESTART_FAILED;
  /** `["beamlet", "supervisor", "intensity_exceeded"]` */
  readonly supervisorIntensityExceeded: typeof SUPERVISOR_INTENSITY_EXCEEDED;
  /** `["beamlet", "slo", "alert"]` */
  readonly sloAlert: typeof SLO_ALERT;
  /** `["beamlet", "slo", "resolve"]` */
  readonly sloResolve: typeof SLO_RESOLVE;
  /** `["beamlet", "slo", "samples"]` */
  readonly sloSamples: typeof SLO_SAMPLES;
  /** `["beamlet", "telemetry", "handler_failure"]` */
  readonly handlerFailure: typeof HANDLER_FAILURE_EVENT;
  /** `["beamlet", kind, phase]` for a callback kind. */
  callback<P extends CallbackPhase>(kind: CallbackKind, phase: P): CallbackEvents[P];
}

/**
 * The names of the runtime's own events, for attaching without typos; each
 * is its declaration in the event catalog, so handlers are typed.
 *
 * @example Logging every crash of a callback
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { BEAMLET_EVENTS } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("crashes", BEAMLET_EVENTS.callback("call", "exception"),
 *   (_e, m, meta) => console.log(meta.pid, meta.reason, m.duration));
 * await system.shutdown();
 * ```
 */
export const BEAMLET_EVENTS: BeamletEvents = Object.freeze({
  processStart: PROCESS_START,
  processExit: PROCESS_EXIT,
  mailboxRefused: MAILBOX_REFUSED,
  mailboxDropped: MAILBOX_DROPPED,
  mailboxWatermark: MAILBOX_WATERMARK,
  mailboxShed: MAILBOX_SHED,
  callExpired: CALL_EXPIRED,
  callLatency: CALL_LATENCY,
  schedulerSlice: SCHEDULER_SLICE,
  schedulerLoad: SCHEDULER_LOAD,
  monitorLongCallback: MONITOR_LONG_CALLBACK,
  monitorLongSchedule: MONITOR_LONG_SCHEDULE,
  monitorEventLoopStall: MONITOR_EVENT_LOOP_STALL,
  tableSize: TABLE_SIZE,
  tableStats: TABLE_STATS,
  batcherFlush: BATCHER_FLUSH,
  batcherRefused: BATCHER_REFUSED,
  stageStats: STAGE_STATS,
  stageDropped: STAGE_DROPPED,
  pipelineAck: PIPELINE_ACK,
  pipelineBatch: PIPELINE_BATCH,
  pipelineMessageException: PIPELINE_MESSAGE_EXCEPTION,
  taskStart: TASK_START,
  taskStop: TASK_STOP,
  taskException: TASK_EXCEPTION,
  supervisorChildStart: SUPERVISOR_CHILD_START,
  supervisorChildExit: SUPERVISOR_CHILD_EXIT,
  supervisorChildRestart: SUPERVISOR_CHILD_RESTART,
  supervisorChildRestartFailed: SUPERVISOR_CHILD_RESTART_FAILED,
  supervisorIntensityExceeded: SUPERVISOR_INTENSITY_EXCEEDED,
  sloAlert: SLO_ALERT,
  sloResolve: SLO_RESOLVE,
  sloSamples: SLO_SAMPLES,
  handlerFailure: HANDLER_FAILURE_EVENT,
  callback<P extends CallbackPhase>(kind: CallbackKind, phase: P): CallbackEvents[P] {
    return CALLBACK_EVENTS[kind][phase];
  },
});
