/**
 * `GET /processes/:id`: one process, grouped as recon's `info/1`.
 *
 * @module
 */

import type { Handler } from "hono";
import { inspectProcess } from "../../introspection/inspect_process.ts";
import type { AppState } from "../_app_state.ts";
import { HttpError } from "../_http_error.ts";
import { pidOf } from "../_process_id.ts";
import { processDetail } from "../_process_json.ts";

/** The process detail route. */
export function processRoute(state: AppState): Handler {
  return (c) => {
    const pid = pidOf(state.system, c.req.param("id") ?? "");
    const info = inspectProcess(state.system, pid);
    if (info === undefined) throw new HttpError(404, "no such process");
    c.header("Cache-Control", "no-store");
    return c.json(processDetail(info));
  };
}
