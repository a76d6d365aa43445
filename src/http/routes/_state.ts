/**
 * `GET /processes/:id/state` (only with `inspection.state`): a bounded
 * preview of the process's state — what its `formatStatus` shows, else the
 * raw state bounded — as `formatState` of the introspection entry gives it.
 * Off by default, 403 then: a state may hold secrets only its server knows.
 *
 * @module
 */

import type { Handler } from "hono";
import { NoProcError } from "../../errors.ts";
import { formatState } from "../../introspection/format_state.ts";
import { ProcessNotFoundError } from "../../observe/errors.ts";
import type { AppState } from "../_app_state.ts";
import { errorResponse } from "../_http_error.ts";

/** The state preview route. */
export function stateRoute(state: AppState): Handler {
  return (c) => {
    // Refused before the id is read: a disabled route tells nothing about which processes exist.
    if (!state.stateInspection) return errorResponse(c, 403, "state inspection disabled");
    const id = c.req.param("id") ?? "";
    const pid = state.observer.resolveProcess(id); // 400 malformed, 404 not alive
    let preview;
    try {
      preview = formatState(state.system, pid);
    } catch (error) {
      // It exited between the lookup and the preview.
      if (error instanceof NoProcError) throw new ProcessNotFoundError(id);
      throw error;
    }
    c.header("Cache-Control", "no-store");
    return c.json(preview);
  };
}
