/**
 * The multi-window, multi-burn-rate alerts of the Google SRE workbook
 * ("Alerting on SLOs"): each pair of windows fires when the error budget
 * burns faster than `burnRate` times the allowed rate over both the long
 * and the short window — the long one for significance, the short one so
 * the alert resolves soon after the burning stops.
 *
 * @module
 */

/**
 * One alerting window pair.
 *
 * @example
 * ```ts
 * import type { BurnRateWindow } from "@beamlet/beamlet/ops";
 *
 * const fast: BurnRateWindow = { long: 3_600_000, short: 300_000, burnRate: 14.4, severity: "page" };
 * ```
 */
export interface BurnRateWindow {
  /** The long window, ms (for a 30-day budget period; scaled with `sloPeriod`). */
  readonly long: number;
  /** The short window, ms (the workbook uses 1/12 of the long one). */
  readonly short: number;
  /** How many times faster than the allowed rate the budget must burn (> 0). */
  readonly burnRate: number;
  /** The `severity` label of the alert: the workbook pages on fast burns, tickets slow ones. */
  readonly severity: "page" | "ticket";
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The budget period the workbook's windows are written for: 30 days, ms.
 *
 * @example A quarter's budget scales every window by 3
 * ```ts
 * import { prometheusRules, WORKBOOK_PERIOD } from "@beamlet/beamlet/ops";
 *
 * prometheusRules({ sloPeriod: 3 * WORKBOOK_PERIOD });
 * ```
 */
export const WORKBOOK_PERIOD: number = 30 * DAY;

/**
 * The workbook's table, for a 30-day budget: page at 14.4× over 1 h and
 * 5 min (2% of the budget spent) or 6× over 6 h and 30 min (5%); ticket at
 * 3× over 1 day and 2 h (10%) or 1× over 3 days and 6 h (10%).
 *
 * @example
 * ```ts
 * import { SRE_WORKBOOK_WINDOWS } from "@beamlet/beamlet/ops";
 *
 * console.log(SRE_WORKBOOK_WINDOWS.map((w) => w.burnRate)); // [14.4, 6, 3, 1]
 * ```
 */
export const SRE_WORKBOOK_WINDOWS: readonly BurnRateWindow[] = Object.freeze([
  Object.freeze({ long: HOUR, short: 5 * MINUTE, burnRate: 14.4, severity: "page" as const }),
  Object.freeze({ long: 6 * HOUR, short: 30 * MINUTE, burnRate: 6, severity: "page" as const }),
  Object.freeze({ long: DAY, short: 2 * HOUR, burnRate: 3, severity: "ticket" as const }),
  Object.freeze({ long: 3 * DAY, short: 6 * HOUR, burnRate: 1, severity: "ticket" as const }),
]);
