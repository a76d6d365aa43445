/**
 * The shapes of SLO declarations, of `SloMonitor.status()` and of its alert
 * history: plain data, so they serialize as they are (JSON, an HTTP
 * endpoint, a dashboard).
 *
 * @module
 */

import type { Metadata, TelemetryEvent } from "../telemetry/types.ts";
import type { Target } from "../options.ts";

/**
 * Which events of a telemetry event count for an SLO: `{ name }` keeps the
 * events whose metadata `name` (a process's registered name) is that name;
 * a function keeps those it answers `true` for (one that throws rejects the
 * event, counted in `ignored`).
 *
 * @example Only calls to the registered server "cache"
 * ```ts
 * import type { SloFilter } from "@beamlet/beamlet/slo";
 *
 * const byName: SloFilter = { name: "cache" };
 * const byPredicate: SloFilter = (metadata) => String(metadata.name).startsWith("shard-");
 * ```
 */
export type SloFilter = { readonly name?: string } | ((metadata: Metadata) => boolean);

/**
 * What every SLO declaration has: a unique name, a window and how it is
 * cut, and when it may breach.
 *
 * The window slides on the system clock in `buckets` equal sub-windows
 * (default 10): a sample lands in the sub-window of its time, and the oldest
 * sub-window is dropped whole when the clock enters a new one. So the window
 * evaluated holds between `window * (buckets - 1) / buckets` and `window` ms
 * of samples — more buckets, a smoother slide.
 *
 * @example
 * ```ts
 * import type { SloCommon } from "@beamlet/beamlet/slo";
 *
 * const common: SloCommon = { name: "api", window: 300_000, buckets: 30, minSamples: 20 };
 * ```
 */
export interface SloCommon {
  /** Unique within its monitor; named in status, alert records and telemetry metadata. */
  readonly name: string;
  /** The sliding window, ms (> 0). */
  readonly window: number;
  /** Sub-windows the window slides by: an integer in [2, 100] (default 10). Each
   * sub-window of a latency or mailbox_age SLO keeps a 32 KiB histogram once it
   * has samples. */
  readonly buckets?: number;
  /**
   * A second, shorter window, ms (the SRE workbook's multi-window alert): when
   * given, an SLO breaches only while both windows burn above
   * `burnRateThreshold`, so an alert resolves soon after the burning stops
   * even though the long window still remembers it. It must span at least one
   * sub-window and be shorter than `window`; it is rounded to whole
   * sub-windows.
   */
  readonly shortWindow?: number;
  /**
   * The burn rate above which the SLO is breached (default 1: the error
   * budget is being spent faster than the window allows). The workbook pages
   * at 14.4 over 1 hour (2% of a 30-day budget) and tickets at 1 over 3 days.
   */
  readonly burnRateThreshold?: number;
  /** Fewer samples than this in the window is `"no_data"`: an integer >= 1 (default 1). */
  readonly minSamples?: number;
}

/**
 * "The `quantile` of `measurement` of `event` stays at or below `threshold`
 * over `window`": p95 of calls to a server below 5 ms over 5 minutes. A
 * sample above `threshold` is bad; the error budget is `1 - quantile` of the
 * samples.
 *
 * @example p95 of calls to "cache" below 5 ms over 5 minutes
 * ```ts
 * import type { LatencySlo } from "@beamlet/beamlet/slo";
 *
 * const slo: LatencySlo = {
 *   name: "cache-p95",
 *   kind: "latency",
 *   event: ["beamlet", "call", "stop"],
 *   measurement: "duration",
 *   filter: { name: "cache" },
 *   quantile: 0.95,
 *   threshold: 5,
 *   window: 300_000,
 * };
 * ```
 */
export interface LatencySlo extends SloCommon {
  /** The kind. */
  readonly kind: "latency";
  /** The telemetry event measured (`["beamlet", "call", "stop"]`, ...). */
  readonly event: TelemetryEvent;
  /** The measurement read from it (default `"duration"`). */
  readonly measurement?: string;
  /** Which events count (default: all). */
  readonly filter?: SloFilter;
  /** The quantile held to `threshold`, in (0, 1): 0.95 for p95. */
  readonly quantile: number;
  /** The most a good sample may measure (> 0; ms for durations). */
  readonly threshold: number;
}

/**
 * "The oldest message in `target`'s mailbox is no older than `threshold` ms
 * in `objective` of the samples over `window`". The mailbox is sampled from
 * `system.processInfo` at each evaluation; no sample is taken while
 * `target` is not alive.
 *
 * @example The cache's queue never waits a second, 99% of the time
 * ```ts
 * import type { MailboxAgeSlo } from "@beamlet/beamlet/slo";
 *
 * const slo: MailboxAgeSlo = {
 *   name: "cache-queue",
 *   kind: "mailbox_age",
 *   target: "cache",
 *   threshold: 1000,
 *   objective: 0.99,
 *   window: 60_000,
 * };
 * ```
 */
export interface MailboxAgeSlo extends SloCommon {
  /** The kind. */
  readonly kind: "mailbox_age";
  /** The process watched: its registered name, pid, or `{ via, key }`. */
  readonly target: Target;
  /** The oldest a message may wait in a good sample, ms (> 0). */
  readonly threshold: number;
  /** The fraction of good samples required, in (0, 1) (default 0.99). */
  readonly objective?: number;
}

/**
 * "At most `1 - objective` of the spans of `prefix` fail over `window`":
 * `prefix + ["exception"]` events are errors, out of those and
 * `prefix + ["stop"]` events.
 *
 * @example 99.9% of calls to "cache" succeed over 10 minutes
 * ```ts
 * import type { ErrorRateSlo } from "@beamlet/beamlet/slo";
 *
 * const slo: ErrorRateSlo = {
 *   name: "cache-errors",
 *   kind: "error_rate",
 *   prefix: ["beamlet", "call"],
 *   filter: { name: "cache" },
 *   objective: 0.999,
 *   window: 600_000,
 * };
 * ```
 */
export interface ErrorRateSlo extends SloCommon {
  /** The kind. */
  readonly kind: "error_rate";
  /** The span's event prefix: `prefix + ["stop"]` succeed, `prefix + ["exception"]` fail. */
  readonly prefix: TelemetryEvent;
  /** Which events count (default: all). */
  readonly filter?: SloFilter;
  /** The fraction of spans that must succeed, in (0, 1). */
  readonly objective: number;
}

/**
 * Any SLO declaration a monitor takes.
 *
 * @example
 * ```ts
 * import type { SloDeclaration } from "@beamlet/beamlet/slo";
 *
 * const slos: SloDeclaration[] = [
 *   { name: "q", kind: "mailbox_age", target: "cache", threshold: 1000, window: 60_000 },
 * ];
 * ```
 */
export type SloDeclaration = LatencySlo | MailboxAgeSlo | ErrorRateSlo;

/**
 * Where an SLO stands: within budget, burning too fast, or without enough
 * samples in its window to say.
 *
 * @example
 * ```ts
 * import type { SloState } from "@beamlet/beamlet/slo";
 *
 * const paging = (state: SloState) => state === "breached";
 * ```
 */
export type SloState = "ok" | "breached" | "no_data";

/**
 * One alert (an SLO went from not breached to breached) or resolve (it left
 * `"breached"`), as kept in a monitor's bounded history.
 *
 * @example
 * ```ts
 * import type { SloAlertRecord } from "@beamlet/beamlet/slo";
 *
 * const describe = (r: SloAlertRecord) => `${r.type} ${r.slo} at ${r.at} (burn ${r.burnRate})`;
 * ```
 */
export interface SloAlertRecord {
  /** `"alert"` on entering `"breached"`, `"resolve"` on leaving it. */
  readonly type: "alert" | "resolve";
  /** The SLO's name. */
  readonly slo: string;
  /** The SLO's kind. */
  readonly kind: SloDeclaration["kind"];
  /** System-clock time of the evaluation, ms. */
  readonly at: number;
  /** The state entered (`"breached"` for an alert; `"ok"` or `"no_data"` for a resolve). */
  readonly state: SloState;
  /** The window's burn rate then. */
  readonly burnRate: number;
  /**
   * The short window's burn rate then (`undefined` without `shortWindow`). With a short
   * window, a resolve comes when this one drops to `burnRateThreshold` or below, while
   * `burnRate` (the long window's) may still be above it.
   */
  readonly shortBurnRate: number | undefined;
  /** The burn rate above which the SLO breaches (in both windows, with `shortWindow`). */
  readonly burnRateThreshold: number;
  /** The observed value then, over the whole window (quantile, mailbox age quantile, or error fraction). */
  readonly value: number;
  /** The observed value then over the short window (`undefined` without `shortWindow`). */
  readonly shortValue: number | undefined;
  /** The SLO's threshold (for `error_rate`, the allowed error fraction). */
  readonly threshold: number;
  /** The SLO's window, ms. */
  readonly window: number;
  /** The short window, ms, rounded to whole sub-windows (`undefined` without one). */
  readonly shortWindow: number | undefined;
}

/**
 * One SLO as of the monitor's last evaluation, as `SloMonitor.status()`
 * answers it.
 *
 * - `burnRate`: bad fraction of the window's samples / allowed bad fraction
 *   (1 = spending the error budget exactly as fast as the window allows;
 *   0 without samples).
 * - `value`: the window's `quantile` (latency), its `objective` quantile of
 *   sampled ages (mailbox_age), or its error fraction (error_rate); `NaN`
 *   without samples.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SloMonitor } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * const monitor = new SloMonitor(system, {
 *   slos: [{ name: "q", kind: "mailbox_age", target: "cache", threshold: 1000, window: 60_000 }],
 * });
 * const [status] = monitor.status();
 * console.log(status.state, status.samples); // "no_data" 0
 * monitor.stop();
 * ```
 */
export interface SloStatus {
  /** The SLO's name. */
  readonly name: string;
  /** The SLO's kind. */
  readonly kind: SloDeclaration["kind"];
  /** Where it stands. */
  readonly state: SloState;
  /** The window's burn rate. */
  readonly burnRate: number;
  /** The short window's burn rate (`undefined` without `shortWindow`). */
  readonly shortBurnRate: number | undefined;
  /**
   * The burn rate above which the SLO is breached: with `shortWindow`, only while both
   * `burnRate` and `shortBurnRate` are above it (so `"ok"` with `burnRate` above it means
   * the short window has recovered and the long one still remembers the burn).
   */
  readonly burnRateThreshold: number;
  /** The window's observed value (see the type's doc). */
  readonly value: number;
  /** The same value over the short window only (`undefined` without `shortWindow`). */
  readonly shortValue: number | undefined;
  /** The threshold (for `error_rate`, the allowed error fraction `1 - objective`). */
  readonly threshold: number;
  /** The fraction of good samples required: `quantile`, or `objective`. */
  readonly objective: number;
  /** The window, ms. */
  readonly window: number;
  /** The short window, ms, rounded to whole sub-windows (`undefined` without one). */
  readonly shortWindow: number | undefined;
  /** Samples in the window. */
  readonly samples: number;
  /** Bad samples in the window. */
  readonly badSamples: number;
  /** Events refused since the monitor started: measurement missing, not finite or negative; filter threw. */
  readonly ignored: number;
  /** System-clock time of the last state change (the monitor's start at first), ms. */
  readonly since: number;
  /** System-clock time of the last evaluation (`undefined` before the first), ms. */
  readonly evaluatedAt: number | undefined;
  /** This SLO's alert and resolve records still in the monitor's history, oldest first. */
  readonly recentAlerts: readonly SloAlertRecord[];
}

/**
 * Options of `SloMonitor` / `monitorSlos`.
 *
 * @example
 * ```ts
 * import type { SloMonitorOptions } from "@beamlet/beamlet/slo";
 *
 * const options: SloMonitorOptions = { evaluationInterval: 5000, historySize: 50 };
 * ```
 */
export interface SloMonitorOptions {
  /** How often the SLOs are evaluated on the system clock, ms (> 0; default 1000). */
  readonly evaluationInterval?: number;
  /** Alert and resolve records kept, oldest dropped first: an integer >= 1 (default 100). */
  readonly historySize?: number;
}
