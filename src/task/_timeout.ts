/**
 * Timeout argument checks of the task API (internal): the kernel's own rule,
 * so a task timeout means what every other timeout means.
 *
 * @module
 */

import { timeoutOf } from "../_options.ts";

/** A timeout in ms: `0..MAX_TIMEOUT_MS` or `Infinity`; TypeError / RangeError otherwise. */
export function checkTimeout(timeout: unknown, who: string): void {
  timeoutOf(`${who}: timeout`, timeout, 0);
}
