/**
 * `GET /processes/:id`: one process, grouped as recon's `info/1`.
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";

/** The process detail route. */
export function processRoute(state: AppState): Handler {
  return (c) => {
    const detail = state.observer.processDetail(c.req.param("id") ?? "");
    c.header("Cache-Control", "no-store");
    return c.json(detail);
  };
}
