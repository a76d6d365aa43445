/**
 * Crash reports and supervisor reports, through a pluggable logger.
 *
 * @module
 */

import type { ExitReason } from "./exit_reason.ts";
import { formatReason } from "./exit_reason.ts";
import type { Pid } from "./pid.ts";
import type { SupervisorReport } from "./supervisor/report.ts";

/**
 * One crash report: a process exited with a reason other than `"normal"`,
 * `"shutdown"` or `{ shutdown }`. Logged exactly once per crash.
 *
 * @example A logger that counts crashes per callback
 * ```ts
 * import { type CrashReport, type Report, System } from "@beamlet/beamlet";
 *
 * const crashes = new Map<string, number>();
 * const count = (r: CrashReport) => {
 *   const where = r.callback ?? "unknown";
 *   crashes.set(where, (crashes.get(where) ?? 0) + 1);
 * };
 * const logger = {
 *   report(r: Report) {
 *     if (r.kind === "crash") count(r);
 *   },
 * };
 * const system = new System({ logger });
 * ```
 */
export interface CrashReport {
  /** Discriminant. */
  readonly kind: "crash";
  /** The process that crashed. */
  readonly pid: Pid;
  /** Its registered name, if any. */
  readonly name: string | undefined;
  /** Why it exited. */
  readonly reason: ExitReason;
  /** The callback that was running (`"handleCall"`, ...), if any. */
  readonly callback: string | undefined;
  /** The message being handled, if any. */
  readonly message: unknown;
  /** The stack of the reason when it is an `Error`. */
  readonly stack: string | undefined;
}

/**
 * A callback the runtime called for code outside any process threw: a
 * monitor's `onDown`, a `setTimer` callback. The runtime goes on; this
 * report is how the failure is not lost.
 *
 * @example Formatting callback failures
 * ```ts
 * import { type CallbackFailureReport, formatReason } from "@beamlet/beamlet";
 *
 * const line = (r: CallbackFailureReport) => `${r.callback} threw ${formatReason(r.reason)}`;
 * ```
 */
export interface CallbackFailureReport {
  /** Discriminant. */
  readonly kind: "callback";
  /** Which callback (`"monitor onDown"`, `"setTimer callback"`). */
  readonly callback: string;
  /** What it threw. */
  readonly reason: unknown;
  /** The stack of the reason when it is an `Error`. */
  readonly stack: string | undefined;
}

/**
 * Anything a system reports through its logger: crash, supervisor and
 * callback-failure reports, and notices, told apart by `kind`.
 *
 * @example One line per report
 * ```ts
 * import { formatReason, type Report, System } from "@beamlet/beamlet";
 *
 * const summary = (r: Report): string => {
 *   switch (r.kind) {
 *     case "crash":
 *       return `${r.pid} crashed: ${formatReason(r.reason)}`;
 *     case "supervisor":
 *       return `${r.supervisor}: ${r.event} of ${r.childId}`;
 *     case "callback":
 *       return `${r.callback} threw`;
 *     case "notice":
 *       return r.message;
 *   }
 * };
 * const system = new System({ logger: { report: (r) => console.warn(summary(r)) } });
 * ```
 */
export type Report = CrashReport | SupervisorReport | CallbackFailureReport | NoticeReport;

/**
 * Something the runtime tells once, that is not a failure: it runs slower
 * than it could, and how to fix it.
 *
 * @example Counting notices
 * ```ts
 * import { type Report, System } from "@beamlet/beamlet";
 *
 * const notices: string[] = [];
 * const system = new System({
 *   logger: { report: (r: Report) => void (r.kind === "notice" && notices.push(r.message)) },
 * });
 * console.log(notices.length); // 0 where WebAssembly compiles
 * ```
 */
export interface NoticeReport {
  /** Discriminant. */
  readonly kind: "notice";
  /**
   * What it is about: `"core"` (the scheduler core fell back to the
   * reference), `"stages"` (a stage's full buffer dropped events: at most
   * one line per stage per second, with the count since the last line),
   * `"monitor"` (the system monitor saw a callback, a scheduler slice or the
   * host's event loop blow its budget: at most one line per process per
   * interval, with the count since the last line), `"actions"` (someone
   * acted on a process from the telemetry app: the action, the process and
   * who asked), `"schedulers"` (a system of several schedulers runs fewer:
   * the host has no Workers or shared memory, or a Worker failed to start
   * or died).
   */
  readonly topic: "core" | "stages" | "monitor" | "actions" | "schedulers";
  /** One line: what happened and the option that fixes it. */
  readonly message: string;
}

/**
 * Receives the system's reports. Pass one as `new System({ logger })`, or
 * `logger: null` to silence them.
 *
 * @example Collecting crash reports in a test
 * ```ts
 * import { type Report, System } from "@beamlet/beamlet";
 *
 * const reports: Report[] = [];
 * const system = new System({ logger: { report: (r) => reports.push(r) } });
 * ```
 */
export interface Logger {
  /** Called synchronously once per report; must not throw (a throw is ignored). */
  report(report: Report): void;
}

/**
 * The default logger: one `console.error` block per report.
 *
 * @example Reporting to the console, as a system does by default
 * ```ts
 * import { consoleLogger, System } from "@beamlet/beamlet";
 *
 * const system = new System({ logger: consoleLogger });
 * ```
 */
export const consoleLogger: Logger = {
  report(report) {
    if (report.kind === "supervisor") {
      console.warn(
        `[beamlet] supervisor ${report.supervisor}: ${report.event} of child ${report.childId}: ${
          formatReason(report.reason)
        }`,
      );
      return;
    }
    if (report.kind === "notice") {
      console.warn(`[beamlet] ${report.message}`);
      return;
    }
    if (report.kind === "callback") {
      const lines = [`[beamlet] ${report.callback} threw: ${formatReason(report.reason)}`];
      if (report.stack) lines.push(report.stack);
      console.error(lines.join("\n"));
      return;
    }
    const who = report.name ? `${report.pid} (${report.name})` : String(report.pid);
    const lines = [`[beamlet] process ${who} crashed: ${formatReason(report.reason)}`];
    if (report.callback) lines.push(`  in ${report.callback}`);
    if (report.message !== undefined) lines.push(`  handling ${formatReason(report.message)}`);
    if (report.stack) lines.push(report.stack);
    console.error(lines.join("\n"));
  },
};
