/**
 * What one pass of a `ProcessTableWalker` over the process table
 * produces: counts by status and, for every sortable attribute, the top
 * and bottom processes — enough to serve an overview and sorted pages
 * without reading the table again.
 *
 * @module
 */

import type { ProcessAttribute } from "../introspection/process_attribute.ts";
import type { Pid } from "../pid.ts";
import type { ProcessStatus, ProcessSummary } from "../process_info.ts";

/**
 * One process as a pass saw it: its pid and its scalars at that moment.
 *
 * @example A line per process
 * ```ts
 * import type { WalkedProcess } from "@beamlet/beamlet/observe";
 *
 * const line = (p: WalkedProcess) => `${p.pid} ${p.summary.status} q=${p.summary.messageQueueLength}`;
 * ```
 */
export interface WalkedProcess {
  /** The process. */
  readonly pid: Pid;
  /** Its name, status, callback, queue length, reductions, memory, oldest message age. */
  readonly summary: ProcessSummary;
}

/**
 * Which end of a ranking: `"desc"` lists the largest values first, `"asc"`
 * the smallest; ties go to the older process either way.
 *
 * @example
 * ```ts
 * import type { RankOrder } from "@beamlet/beamlet/observe";
 *
 * const order: RankOrder = "desc";
 * ```
 */
export type RankOrder = "asc" | "desc";

/**
 * The result of one complete pass over the process table. It is not an
 * atomic picture: processes that started or exited while the pass ran may
 * be missing or counted, and each process's values are those of the moment
 * the pass reached it. Times are on the system's clock (`system.now()`).
 *
 * Each ranking holds at most `rankDepth` processes: the `rankDepth`
 * largest (`desc`) and smallest (`asc`) by each attribute, best first.
 * Positions beyond `rankDepth` are not known.
 *
 * @example How old it is, and the longest mailbox
 * ```ts
 * import type { ProcessTableSnapshot } from "@beamlet/beamlet/observe";
 *
 * function describe(snapshot: ProcessTableSnapshot, now: number): string {
 *   const [top] = snapshot.rankings.messageQueueLength.desc;
 *   return `${snapshot.visited} processes, ${now - snapshot.completedAt} ms ago; ` +
 *     `longest mailbox: ${top ? `${top.pid} (${top.summary.messageQueueLength})` : "none"}`;
 * }
 * ```
 */
export interface ProcessTableSnapshot {
  /** Which pass of its walker built it: 1, 2, ... */
  readonly pass: number;
  /** When the pass began (system clock, ms). */
  readonly startedAt: number;
  /** When the pass ended (system clock, ms): the snapshot's age is measured from it. */
  readonly completedAt: number;
  /** Processes the pass read (alive when it reached them). */
  readonly visited: number;
  /** Those processes by status. */
  readonly byStatus: Readonly<Record<ProcessStatus, number>>;
  /** The most processes each ranking holds. */
  readonly rankDepth: number;
  /** Per attribute, the `rankDepth` largest (`desc`) and smallest (`asc`) processes, best first. */
  readonly rankings: {
    readonly [A in ProcessAttribute]: { readonly [O in RankOrder]: readonly WalkedProcess[] };
  };
}
