/**
 * `GET /processes`: one page of the processes, sorted by an attribute,
 * served from the process-table walker's last snapshot: O(limit), whatever
 * the number of processes. Only the first `ranked` positions of each order
 * are known (the walker's `rankDepth`, 1000 by default): a page reaching
 * past them is cut there and says `truncated: true`. `snapshotAgeMs` says
 * how old the values are.
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";
import { parseProcessQuery } from "../_paging.ts";

/** The process list route. */
export function processesRoute(state: AppState): Handler {
  return async (c) => {
    const query = parseProcessQuery((name) => c.req.query(name), state.limits.maxPageSize);
    const list = await state.observer.processes(query);
    c.header("Cache-Control", "no-store");
    return c.json(list);
  };
}
