/**
 * The system monitor's options (`new System({ monitor })`), after
 * `erlang:system_monitor`: what counts as a long callback, a long scheduler
 * slice and a stalled event loop, and how often the monitor may log.
 *
 * @module
 */

/**
 * The system monitor's thresholds (`SystemOptions.monitor`; all in ms, on
 * the system's clock but for the event-loop probe, which measures the host).
 * The monitor is on by default; `monitor: false` turns it off. See
 * `docs/system_monitor.md`.
 *
 * @example A stricter budget, logged less often
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import type { SystemMonitorOptions } from "@beamlet/beamlet/introspection";
 *
 * const monitor: SystemMonitorOptions = { longCallback: 0.5, logInterval: 60_000 };
 * const system = new System({ monitor });
 * console.log(system.monitorStats().longCallbacks); // 0
 * system.shutdown();
 * ```
 */
export interface SystemMonitorOptions {
  /**
   * A callback that holds the scheduler this long or longer is a long
   * callback: told as `beamlet.monitor.long_callback`, counted for its
   * process (`processInfo(pid).longCallbacks`) once pinned on it (see
   * `attribution`) and listed in `monitorStats().recent` (default 1: "a
   * good budget is < 1 ms").
   */
  readonly longCallback?: number;
  /**
   * A scheduler slice that held the host this long without yielding is a
   * long schedule (`beamlet.monitor.long_schedule`; default 50).
   */
  readonly longSchedule?: number;
  /**
   * The host's event loop blocked this long (a timer probe fired that late)
   * is a stall (`beamlet.monitor.event_loop_stall`; default 100).
   */
  readonly eventLoopStall?: number;
  /**
   * How often the event-loop probe's timer is set (default 500). The probe
   * never keeps the host alive, stops at `shutdown()`, and does not run in
   * manual scheduling.
   */
  readonly probeInterval?: number;
  /**
   * Whether the monitor reports through the system's logger (default true):
   * `NoticeReport`s of topic `"monitor"`.
   */
  readonly log?: boolean;
  /**
   * At most one log line per process per this many ms for its long
   * callbacks — and one per interval for long slices, one for stalls — each
   * with the count folded since the previous line (default 10 000).
   */
  readonly logInterval?: number;
  /**
   * Long callbacks are logged from this duration on (default: 10, or
   * `longCallback` when larger). Every long callback is still told,
   * counted and listed; this only keeps the log to those worth a line.
   */
  readonly logThreshold?: number;
  /**
   * How long callbacks are pinned on their process (default `"span"`; see
   * `docs/system_monitor.md`):
   *
   * - `"span"`: the scheduler reads the clock only for its time slice (once
   *   per up to 32 fast messages), so one measured stretch may hold several
   *   processes' callbacks. A long stretch of one process is told as today;
   *   a long stretch shared by several is still told (`exact: false`,
   *   `candidates` > 1, counted in `monitorStats()` but in no process's
   *   `longCallbacks`), and its processes are then measured alone until they
   *   are fast again — so a process that stays slow is pinned from its next
   *   callback on. Busy time of a shared stretch is split by message count
   *   (an estimate). Costs next to nothing.
   * - `"run"`: the clock is also read whenever a process's run ends, so
   *   every long callback is pinned on its process, and busy time is exact;
   *   costs one clock reading per process run (up to 25–45% of the
   *   throughput of processes ping-ponging single messages).
   */
  readonly attribution?: "span" | "run";
}

/** @internal The monitor's thresholds and intervals, checked (all ms): what the kernel reads (`_monitor_settings.ts` makes them). */
export interface MonitorSettings {
  readonly longCallback: number;
  readonly longSchedule: number;
  readonly eventLoopStall: number;
  readonly probeInterval: number;
  readonly logInterval: number;
  /** Long callbacks this long or longer are logged (Infinity: none). */
  readonly logCallback: number;
  /** Whether anything is logged (long slices and stalls too). */
  readonly log: boolean;
  /**
   * `"span"`: a stretch may hold several processes' callbacks (no clock
   * reading when a run ends); `"run"`: the clock is read when every run
   * ends, so a stretch holds one process's.
   */
  readonly attribution: "span" | "run";
}
