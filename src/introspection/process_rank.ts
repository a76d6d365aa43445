/**
 * What `procCount` and `procWindow` return for each process they rank.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { ProcessStatus } from "../process_info.ts";

/**
 * A bounded summary of a process (scalars only: no links, no monitors, never
 * its state or messages), taken when it was ranked.
 *
 * @example
 * ```ts
 * import type { ProcessSummary } from "@beamlet/beamlet";
 *
 * const line = (s: ProcessSummary) => `${s.name ?? "-"} ${s.status} in ${s.currentCallback ?? "-"}`;
 * ```
 */
export interface ProcessSummary {
  /** Its registered name, if any. */
  readonly name: string | undefined;
  /** What it is doing. */
  readonly status: ProcessStatus;
  /** The callback running now, if any. */
  readonly currentCallback: string | undefined;
  /** Messages queued. */
  readonly messageQueueLength: number;
  /** Messages handled so far. */
  readonly reductions: number;
  /** Estimated runtime memory, bytes. */
  readonly memoryBytes: number;
  /** Ms its oldest queued message has waited. */
  readonly oldestMessageAgeMs: number;
}

/**
 * One ranked process: its pid, its name, the value it was ranked by (the
 * attribute itself for `procCount`, its growth for `procWindow`) and a
 * summary.
 *
 * @example The top offender's name
 * ```ts
 * import { procCount, System } from "@beamlet/beamlet";
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
