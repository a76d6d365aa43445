/**
 * `POST /processes/:id/suspend` and `POST /processes/:id/resume` (only with
 * `mutations.suspend`, behind the mutation guard): `:sys.suspend` and
 * `:sys.resume` of the process. A suspended process keeps receiving but
 * handles nothing (a stop or an exit signal still ends it) until resumed.
 * Both are idempotent; each answers `{ id, pid, action, ok: true, by,
 * suspended }` and logs who asked.
 *
 * @module
 */

import type { Handler } from "hono";
import { actionAnswer, describeProcess, labelOf, logAction } from "../_actions.ts";
import type { AppState } from "../_app_state.ts";
import { userOf } from "../_user.ts";

/** The suspend route (`suspend: true`) or the resume route (`suspend: false`). */
export function suspendRoute(state: AppState, suspend: boolean): Handler {
  return (c) => {
    const pid = state.observer.resolveProcess(c.req.param("id") ?? "");
    if (suspend) state.system.suspend(pid);
    else state.system.resume(pid);
    const what = suspend ? "suspended" : "resumed";
    logAction(state, userOf(c), `${what} ${describeProcess(pid, labelOf(state, pid))}`);
    return actionAnswer(c, state, pid, suspend ? "suspend" : "resume", { suspended: suspend });
  };
}
