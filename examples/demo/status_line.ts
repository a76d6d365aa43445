/**
 * The one-line status the demo prints every few seconds: throughput,
 * refusals, failures, supervisor restarts, p95 session-call latency,
 * live sessions, scheduler utilization and each SLO's state.
 *
 * @module
 */

import type { SloStatus } from "../../slo.ts";
import type { TrackerSummary } from "./metrics_tracker.ts";

/** Everything one status line shows. */
export interface StatusInput {
  /** Seconds since start. */
  readonly elapsedS: number;
  /** The tracker's summary of the last interval. */
  readonly summary: TrackerSummary;
  /** Whether the load generator is bursting. */
  readonly bursting: boolean;
  /** Supervisor restarts since start. */
  readonly restarts: number;
  /** Live sessions. */
  readonly sessions: number;
  /** Scheduler busy fraction over the interval, 0..1. */
  readonly utilization: number;
  /** The SLOs. */
  readonly slos: readonly SloStatus[];
}

// The state needs both windows over the burn threshold (with a short window): the value is
// the long window's, so "ok" beside a value over the threshold says which window recovered.
function sloText(slo: SloStatus): string {
  const state = slo.state === "breached" ? "BREACHED" : slo.state;
  if (slo.state === "no_data") return `${slo.name} ${state}`;
  const over = slo.value > slo.threshold ? ">" : "<=";
  const short = slo.shortBurnRate === undefined
    ? ""
    : `, ${slo.shortBurnRate.toFixed(1)} over ${(slo.shortWindow ?? 0) / 1000} s`;
  return `${slo.name} ${state} (${slo.value.toFixed(0)} ${over} ${slo.threshold} ms over ${
    slo.window / 1000
  } s, burn ${slo.burnRate.toFixed(1)}${short}; alerts > ${slo.burnRateThreshold})`;
}

/**
 * Formats one status line.
 *
 * @example One line
 * ```ts
 * import { statusLine } from "./status_line.ts";
 *
 * console.log(statusLine({
 *   elapsedS: 5,
 *   summary: {
 *     seconds: 5, throughput: 800, refused: 0, failed: 0, byOp: {}, p95: 1.2,
 *     total: { ops: 4000, refused: 0, failed: 0 }, flushes: 5, lastBatch: 800,
 *   },
 *   bursting: false,
 *   restarts: 0,
 *   sessions: 120,
 *   utilization: 0.1,
 *   slos: [],
 * }));
 * ```
 */
export function statusLine(input: StatusInput): string {
  const { summary } = input;
  const p95 = summary.p95 === undefined ? "-" : `${summary.p95.toFixed(1)} ms`;
  return `[${String(Math.round(input.elapsedS)).padStart(4)}s] ` + [
    `${Math.round(summary.throughput)} ops/s${input.bursting ? " (burst)" : ""}`,
    `refused ${summary.refused}`,
    `failed ${summary.failed}`,
    `restarts ${input.restarts}`,
    `p95 ${p95}`,
    `sessions ${input.sessions}`,
    `sched ${(input.utilization * 100).toFixed(0)}%`,
    `slo: ${input.slos.map(sloText).join(", ")}`,
  ].join(" | ");
}
