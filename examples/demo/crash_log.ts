/**
 * A system logger for a long-running demo: crash reports are counted and
 * the latest kept for the status line, instead of a stack trace on the
 * console every few seconds (the dashboard and `/metrics` show them too).
 *
 * @module
 */

import type { Logger, Report } from "../../mod.ts";

/**
 * Counts crash reports; `verbose` also prints each as one line.
 *
 * @example A quiet logger for a system
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { CrashLog } from "./crash_log.ts";
 *
 * const crashes = new CrashLog();
 * const system = new System({ logger: crashes });
 * console.log(crashes.count, crashes.last); // 0 undefined
 * ```
 */
export class CrashLog implements Logger {
  /** Crash reports so far. */
  count = 0;
  /** The latest, as one line. */
  last: string | undefined;
  readonly #verbose: boolean;

  /** Builds a log; `verbose` prints every crash as one line. */
  constructor(verbose = false) {
    this.#verbose = verbose;
  }

  /** Takes one report. */
  report(report: Report): void {
    if (report.kind !== "crash") return;
    this.count++;
    const who = report.name ?? String(report.pid);
    const reason = report.reason instanceof Error
      ? `${report.reason.name}: ${report.reason.message}`
      : String(report.reason);
    this.last = `${who}: ${reason}`;
    if (this.#verbose) console.log(`  crash: ${this.last}`);
  }
}
