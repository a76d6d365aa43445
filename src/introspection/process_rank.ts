/**
 * What `procCount` and `procWindow` return for each process they rank.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { ProcessSummary } from "../process_info.ts";

export type { ProcessSummary } from "../process_info.ts";

/**
 * One ranked process: its pid, its name, the value it was ranked by (the
 * attribute itself for `procCount`, its growth for `procWindow`) and a
 * summary.
 *
 * @example The top offender's name
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { procCount } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const [top] = procCount(system, "messageQueueLength", 1);
 * console.log(top?.name ?? top?.pid, top?.value);
 * ```
 */
export interface ProcessRank {
  /** The process. */
  readonly pid: Pid;
  /** Its registered name, if any. */
  readonly name: string | undefined;
  /** What it was ranked by. */
  readonly value: number;
  /** A summary of it when ranked. */
  readonly info: ProcessSummary;
}
