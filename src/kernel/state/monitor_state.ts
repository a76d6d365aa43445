/**
 * The system monitor's record (internal): its thresholds, its counters, the
 * last long callbacks, and each process's busy time and long-callback count
 * kept in typed arrays by core actor index (no field on the process record:
 * an idle process costs nothing more). The functions that fill it are in
 * `kernel/probes/monitor_*.ts`.
 *
 * @module
 */

import type {
  EventLoopStallMeasurements,
  EventLoopStallMetadata,
  LongCallbackMeasurements,
  LongCallbackMetadata,
  LongScheduleMetadata,
} from "../../telemetry/catalog/monitor_events.ts";
import type { PreparedEvent } from "../../telemetry/types.ts";
import type { MonitorSettings } from "../../monitor_options.ts";
import type { LongCallbackRecord } from "../../monitor_stats.ts";
import type { Process } from "./process.ts";

/** Most long callbacks remembered. */
export const RECENT_LIMIT = 100;

/** When a process (or the system, for slices and stalls) was last logged, and what was folded since. */
export interface LogMark {
  at: number;
  folded: number;
}

/** Everything the monitor keeps. */
export class MonitorState {
  readonly settings: MonitorSettings;
  /** `settings.longCallback`, read at every slice check. */
  readonly longCallback: number;
  longCallbacks = 0;
  longSchedules = 0;
  eventLoopStalls = 0;
  /** The last {@linkcode RECENT_LIMIT} long callbacks, a ring from `recentNext`. */
  readonly recent: (LongCallbackRecord | undefined)[] = new Array(RECENT_LIMIT).fill(undefined);
  recentNext = 0;
  /**
   * By core actor index: busy ms, long callbacks, and whose (pid serial,
   * modulo 2^32; 0: nobody's yet) — 16 bytes per index, grown to the
   * highest index used.
   */
  busy: Float64Array = new Float64Array(64);
  long: Uint32Array = new Uint32Array(64);
  owner: Uint32Array = new Uint32Array(64);
  /** `settings.attribution === "span"`, read when every process run begins. */
  readonly span: boolean;
  /**
   * Span mode: the process whose run the current stretch's last messages
   * belong to (the last process run), and the stretch's earlier parts —
   * processes (it too, before another's), each with the `sched.messages`
   * its part ended at: `partCount` of them, emptied when a stretch ends
   * (`partProcess` stays).
   */
  partProcess: Process | undefined = undefined;
  readonly parts: (Process | undefined)[] = [];
  readonly partEnds: number[] = [];
  partCount = 0;
  /** The clock reading the current scheduler run is measured from. */
  runStart = 0;
  /** The longest stretch of one process measured in this run, and whose. */
  longest = 0;
  longestProcess: Process | undefined = undefined;
  /** Log rate limits: per process (by pid serial), and for slices and stalls. */
  readonly logged: Map<number, LogMark> = new Map();
  readonly scheduleLog: LogMark = { at: -Infinity, folded: 0 };
  readonly stallLog: LogMark = { at: -Infinity, folded: 0 };
  /** Stops the event-loop probe (undefined: none runs). */
  stopProbe: (() => void) | undefined = undefined;
  readonly longCallbackEvent: PreparedEvent<LongCallbackMeasurements, LongCallbackMetadata>;
  readonly longScheduleEvent: PreparedEvent<LongCallbackMeasurements, LongScheduleMetadata>;
  readonly stallEvent: PreparedEvent<EventLoopStallMeasurements, EventLoopStallMetadata>;

  constructor(
    settings: MonitorSettings,
    longCallbackEvent: PreparedEvent<LongCallbackMeasurements, LongCallbackMetadata>,
    longScheduleEvent: PreparedEvent<LongCallbackMeasurements, LongScheduleMetadata>,
    stallEvent: PreparedEvent<EventLoopStallMeasurements, EventLoopStallMetadata>,
  ) {
    this.settings = settings;
    this.longCallback = settings.longCallback;
    this.span = settings.attribution === "span";
    this.longCallbackEvent = longCallbackEvent;
    this.longScheduleEvent = longScheduleEvent;
    this.stallEvent = stallEvent;
  }
}
