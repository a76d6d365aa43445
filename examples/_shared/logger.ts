/**
 * The runtime examples' logger: one line per crash and per restart, where
 * the default logger prints a full crash report.
 *
 * @module
 */

import type { Logger, Report } from "../../mod.ts";

/**
 * One line per crash and per restart, on stderr.
 *
 * @example
 * ```ts
 * import { System } from "../../mod.ts";
 * import { logger } from "./logger.ts";
 *
 * const system = new System({ logger });
 * ```
 */
export const logger: Logger = {
  report(report: Report) {
    if (report.kind === "crash") console.warn(`crash: ${report.name} in ${report.callback}`);
    if (report.kind === "supervisor") console.warn(`supervisor: ${report.event} ${report.childId}`);
  },
};
