/**
 * What `system.monitorStats()` answers: the system monitor's counters and
 * its last long callbacks (read off the kernel's record by
 * `kernel/probes/monitor_stats_of.ts`).
 *
 * @module
 */

import type { Pid } from "./pid.ts";
import type { CallbackKind } from "./telemetry/catalog/callback_events.ts";

/**
 * One long callback the system monitor saw (see `LongCallbackMetadata` in
 * `@beamlet/beamlet/telemetry` for `exact` and `callbacks`).
 *
 * @example
 * ```ts
 * import type { LongCallbackRecord } from "@beamlet/beamlet/introspection";
 *
 * const line = (r: LongCallbackRecord) =>
 *   `${new Date(r.time).toISOString()} ${r.name ?? String(r.pid)} ${r.callback} ${r.duration} ms`;
 * ```
 */
export interface LongCallbackRecord {
  /** When it was seen, wall-clock (epoch ms). */
  readonly time: number;
  /** The process whose callback it was. */
  readonly pid: Pid;
  /** Its registered name, if it had one. */
  readonly name: string | undefined;
  /** The callback kind (the last one's, for a run of several). */
  readonly callback: CallbackKind;
  /** How long it held the scheduler, ms on the system's clock. */
  readonly duration: number;
  /** `true`: that one callback's time; `false`: a run of `callbacks` of them, measured together. */
  readonly exact: boolean;
  /** How many callbacks `duration` covers. */
  readonly callbacks: number;
  /**
   * How many processes those callbacks were of: 1 when pinned on `pid`;
   * more when they shared one measurement (`pid` is then the last one's,
   * and the long callback counts for no process).
   */
  readonly candidates: number;
}

/**
 * The system monitor's counters since the system started (all zero with
 * `monitor: false`), and its last long callbacks, newest first.
 *
 * @example Counting long callbacks
 * ```ts
 * import { System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const { enabled, longCallbacks, recent } = system.monitorStats();
 * console.log(enabled, longCallbacks, recent.length); // true 0 0
 * system.shutdown();
 * ```
 */
export interface MonitorStats {
  /** Whether the monitor is on (`SystemOptions.monitor` is not `false`). */
  readonly enabled: boolean;
  /**
   * Callbacks that held the scheduler `longCallback` ms or more (those
   * pinned on no process too: `candidates` > 1).
   */
  readonly longCallbacks: number;
  /** Scheduler slices that held the host `longSchedule` ms or more. */
  readonly longSchedules: number;
  /** Times the host's event loop was seen blocked `eventLoopStall` ms or more. */
  readonly eventLoopStalls: number;
  /** The last (up to 100) long callbacks, newest first. */
  readonly recent: readonly LongCallbackRecord[];
  /** The thresholds in force (ms), or `null` with the monitor off. */
  readonly thresholds: {
    readonly longCallback: number;
    readonly longSchedule: number;
    readonly eventLoopStall: number;
  } | null;
}
