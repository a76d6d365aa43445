/**
 * `POST /processes/:id/children/:childId/restart` (only with
 * `mutations.restart`, behind the mutation guard): the process is a
 * supervisor; its child `childId` is stopped (by its shutdown setting) and
 * started again — `Supervisor.terminateChild` then `Supervisor.restartChild`,
 * as `:supervisor.terminate_child` + `restart_child` would. Answers `{ id,
 * pid, action: "restart", ok: true, by, child, previousPid, childPid }`
 * and logs who asked.
 *
 * Refused: a dead or unknown supervisor or child (404); a process that is
 * not a supervisor, a dynamic supervisor (it forgets a child once
 * stopped), a suspended supervisor (it would not answer), a temporary
 * child (it is never restarted: its spec would be dropped), a child
 * restarted meanwhile by someone else, or one whose `init` fails now (409;
 * it then stays stopped, as the log line says).
 *
 * @module
 */

import type { Handler } from "hono";
import { ExitError, NoProcError } from "../../errors.ts";
import { ChildNotFoundError, ChildRunningError, ChildStartError } from "../../supervisor/errors.ts";
import { Supervisor } from "../../supervisor/supervisor.ts";
import { supervisorSettings } from "../../supervisor/supervisor_settings.ts";
import { actionAnswer, describeProcess, labelOf, logAction } from "../_actions.ts";
import type { AppState } from "../_app_state.ts";
import { HttpError } from "../_http_error.ts";
import { userOf } from "../_user.ts";

/** Longest child id accepted in the path. */
const MAX_CHILD_ID = 256;

/** The restart-a-child route. */
export function restartChildRoute(state: AppState): Handler {
  return async (c) => {
    const system = state.system;
    const pid = state.observer.resolveProcess(c.req.param("id") ?? "");
    const childId = c.req.param("childId") ?? "";
    if (childId.length === 0 || childId.length > MAX_CHILD_ID) {
      throw new HttpError(400, "malformed child id");
    }
    const settings = supervisorSettings(system, pid);
    if (settings === undefined) throw new HttpError(409, "not a supervisor");
    if (settings.kind !== "supervisor") {
      throw new HttpError(
        409,
        "a dynamic supervisor's children cannot be restarted (it forgets a child once stopped)",
      );
    }
    if (system.processSummary(pid)?.status === "suspended") {
      throw new HttpError(409, "the supervisor is suspended: resume it first");
    }
    const by = userOf(c);
    const supervisor = describeProcess(pid, labelOf(state, pid));
    const child = (await ask(() => Supervisor.whichChildren(system, pid)))
      .find((info) => info.id === childId);
    if (child === undefined) throw new HttpError(404, "unknown child");
    if (child.restart === "temporary") {
      throw new HttpError(409, "a temporary child is never restarted");
    }
    await ask(() => Supervisor.terminateChild(system, pid, childId));
    let childPid;
    try {
      childPid = await ask(() => Supervisor.restartChild(system, pid, childId));
    } catch (error) {
      if (error instanceof HttpError && error.cause instanceof ChildStartError) {
        logAction(
          state,
          by,
          `stopped child ${
            JSON.stringify(childId)
          } of ${supervisor} (its restart failed: ${error.message})`,
        );
      }
      throw error;
    }
    logAction(state, by, `restarted child ${JSON.stringify(childId)} of ${supervisor}`);
    return actionAnswer(c, state, pid, "restart", {
      child: childId,
      previousPid: child.pid === undefined ? null : String(child.pid),
      childPid: childPid === undefined ? null : String(childPid),
    });
  };
}

/** A request to the supervisor, its refusals as HTTP errors. */
async function ask<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ChildNotFoundError) throw new HttpError(404, "unknown child");
    if (error instanceof ChildRunningError) {
      throw new HttpError(409, "the child was started again meanwhile");
    }
    if (error instanceof ChildStartError) {
      throw new HttpError(409, "the child failed to start again", { cause: error });
    }
    // The supervisor exited before it answered.
    if (error instanceof NoProcError || error instanceof ExitError) {
      throw new HttpError(404, "no such process");
    }
    throw error;
  }
}
