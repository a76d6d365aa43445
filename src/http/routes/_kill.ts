/**
 * `POST /processes/:id/kill` (only with `mutations.kill`, behind the
 * mutation guard): exits the process with reason `"kill"`, logs who did it,
 * and answers `{ id, pid, action: "kill", ok: true, by, killed: true }`.
 *
 * @module
 */

import type { Handler } from "hono";
import { actionAnswer, describeProcess, labelOf, logAction } from "../_actions.ts";
import type { AppState } from "../_app_state.ts";
import { userOf } from "../_user.ts";

/** The kill route. */
export function killRoute(state: AppState): Handler {
  return (c) => {
    const pid = state.observer.resolveProcess(c.req.param("id") ?? "");
    const label = labelOf(state, pid);
    state.system.exit(pid, "kill");
    logAction(state, userOf(c), `killed ${describeProcess(pid, label)}`);
    return actionAnswer(c, state, pid, "kill", { killed: true });
  };
}
