/**
 * `GET /tables`: the live ETS-like tables — named ones first (by name),
 * then unnamed ones (`#Table<id>`, oldest first), at most 200 — with their
 * type, access, owner, size, memory estimate and read and write counts
 * since creation. `truncated` says whether the limit left tables out.
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";

/** The tables route. */
export function tablesRoute(state: AppState): Handler {
  return (c) => {
    const tables = state.observer.tables();
    c.header("Cache-Control", "no-store");
    return c.json(tables);
  };
}
