/**
 * `GET /processes`: one page of the live processes, sorted by an attribute.
 *
 * @module
 */

import type { Handler } from "hono";
import type { ProcessInfo } from "../../process_info.ts";
import type { AppState } from "../_app_state.ts";
import { parseProcessQuery } from "../_paging.ts";
import { processItem } from "../_process_json.ts";

/** The process list route. */
export function processesRoute(state: AppState): Handler {
  return (c) => {
    const query = parseProcessQuery((name) => c.req.query(name), state.limits.maxPageSize);
    const system = state.system;
    const infos: ProcessInfo[] = [];
    for (const pid of system.processes()) {
      const info = system.processInfo(pid);
      if (info !== undefined) infos.push(info);
    }
    const { sort, order, offset, limit } = query;
    const sign = order === "asc" ? 1 : -1;
    // Ties go to the older process, whichever the order.
    infos.sort((a, b) => sign * (a[sort] - b[sort]) || a.pid.serial - b.pid.serial);
    c.header("Cache-Control", "no-store");
    return c.json({
      total: infos.length,
      offset,
      limit,
      sort,
      order,
      items: infos.slice(offset, offset + limit).map(processItem),
    });
  };
}
