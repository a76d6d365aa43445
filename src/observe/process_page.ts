/**
 * One sorted page of processes, served from a snapshot's rankings.
 *
 * @module
 */

import { checkAttribute } from "../introspection/_checks.ts";
import type { ProcessAttribute } from "../introspection/process_attribute.ts";
import type { ProcessTableSnapshot, RankOrder, WalkedProcess } from "./process_table_snapshot.ts";

/**
 * Which page: sorted by `sort` in `order`, `limit` processes from position
 * `offset`.
 *
 * @example The second page of 50 by reductions, most first
 * ```ts
 * import type { ProcessPageQuery } from "@beamlet/beamlet/observe";
 *
 * const query: ProcessPageQuery = { sort: "reductions", order: "desc", offset: 50, limit: 50 };
 * ```
 */
export interface ProcessPageQuery {
  /** The attribute the processes are sorted by. */
  readonly sort: ProcessAttribute;
  /** Largest first (`"desc"`) or smallest first (`"asc"`); ties: the older process first. */
  readonly order: RankOrder;
  /** Position of the page's first process (an integer >= 0). */
  readonly offset: number;
  /** Processes in the page, at most (an integer >= 1). */
  readonly limit: number;
}

/**
 * A page of processes and how much of the order is known.
 *
 * @example Saying when a page stops at the ranking's depth
 * ```ts
 * import type { ProcessPage } from "@beamlet/beamlet/observe";
 *
 * const note = (page: ProcessPage) =>
 *   page.truncated ? `only the first ${page.ranked} of ${page.total} are ranked` : "";
 * ```
 */
export interface ProcessPage {
  /** The processes of the page, in order. */
  readonly items: readonly WalkedProcess[];
  /** Processes in the snapshot. */
  readonly total: number;
  /** Positions of this order the snapshot knows: `min(rankDepth, total)`. */
  readonly ranked: number;
  /** Whether the page reaches past the known positions while there are processes beyond them. */
  readonly truncated: boolean;
}

/**
 * The page `query` asks for, from `snapshot`'s rankings: O(limit), whatever
 * the number of processes. Only the first `snapshot.rankDepth` positions of
 * each order are known; a page reaching past them is cut there (or empty)
 * and says so (`truncated`).
 *
 * @throws {UnknownAttributeError} `query.sort` is not a `ProcessAttribute`.
 * @throws {TypeError} `query.order` is neither `"asc"` nor `"desc"`.
 * @throws {RangeError} `query.offset` is not an integer >= 0, or `query.limit` one >= 1.
 *
 * @example The ten longest mailboxes
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { processPage, ProcessTableWalker } from "@beamlet/beamlet/observe";
 *
 * const walker = new ProcessTableWalker(new System(), { schedule: "manual" });
 * const page = processPage(walker.refresh(), {
 *   sort: "messageQueueLength",
 *   order: "desc",
 *   offset: 0,
 *   limit: 10,
 * });
 * console.log(page.items.length, page.truncated); // 0 false
 * ```
 */
export function processPage(snapshot: ProcessTableSnapshot, query: ProcessPageQuery): ProcessPage {
  const where = "processPage";
  const sort = checkAttribute(where, query?.sort);
  const { order, offset, limit } = query;
  if (order !== "asc" && order !== "desc") {
    throw new TypeError(`${where}: order must be "asc" or "desc", got ${String(order)}`);
  }
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`${where}: offset must be an integer >= 0, got ${String(offset)}`);
  }
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`${where}: limit must be an integer >= 1, got ${String(limit)}`);
  }
  const ranking = snapshot.rankings[sort][order];
  const total = snapshot.visited;
  return {
    items: ranking.slice(offset, offset + limit),
    total,
    ranked: ranking.length,
    truncated: offset + limit > ranking.length && ranking.length < total,
  };
}
