/**
 * `POST /processes/:id/kill` (only with `mutations.kill`, behind the
 * mutation guard): exits the process with reason `"kill"`.
 *
 * @module
 */

import type { Handler } from "hono";
import type { AppState } from "../_app_state.ts";

/** The kill route. */
export function killRoute(state: AppState): Handler {
  return (c) => {
    const pid = state.observer.resolveProcess(c.req.param("id") ?? "");
    state.system.exit(pid, "kill");
    c.header("Cache-Control", "no-store");
    return c.json({ id: state.observer.processIdOf(pid), pid: String(pid), killed: true });
  };
}
