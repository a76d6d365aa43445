/**
 * What a supervisor reports: each restart, and the moment it gives up.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { Pid } from "../pid.ts";

/**
 * One supervisor report. `"restart"`: a child exited with `reason` and is
 * being restarted. `"give_up"`: that restart would exceed the intensity; the
 * supervisor stops its children and exits with `"shutdown"`.
 * `"restart_failed"`: a restarted child's `init` failed (it is retried while
 * the intensity allows).
 *
 * @example Printing reports
 * ```ts
 * import type { SupervisorReport } from "@beamlet/beamlet/supervisor";
 *
 * const print = (r: SupervisorReport) => console.warn(`${r.supervisor} ${r.event} ${r.childId}`);
 * ```
 */
export interface SupervisorReport {
  /** Discriminant. */
  readonly kind: "supervisor";
  /** What happened. */
  readonly event: "restart" | "restart_failed" | "give_up";
  /** The supervisor. */
  readonly supervisor: Pid;
  /** The child concerned. */
  readonly childId: string;
  /** The child's pid when it exited, if it had one. */
  readonly childPid: Pid | undefined;
  /** Why it exited, or why its restart failed. */
  readonly reason: ExitReason;
}

/**
 * Receives a supervisor's reports (the `logger` option).
 *
 * @example Collecting reports
 * ```ts
 * import type { SupervisorLogger, SupervisorReport } from "@beamlet/beamlet/supervisor";
 *
 * const reports: SupervisorReport[] = [];
 * const logger: SupervisorLogger = { report: (r) => void reports.push(r) };
 * ```
 */
export interface SupervisorLogger {
  /** Called synchronously once per report; a throw is ignored. */
  report(report: SupervisorReport): void;
}
