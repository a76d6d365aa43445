/**
 * What every action route (kill, suspend, resume, restart a child) shares:
 * the process it targets, how it names it, the answer
 * `{ id, pid, action, ok: true, by }`, and the line it logs through the
 * system logger (a `NoticeReport` of topic `"actions"`) once the action is
 * carried out. Refused requests are answered 4xx and logged nowhere.
 *
 * @module
 */

import type { Context } from "hono";
import type { Pid } from "../pid.ts";
import type { AppState } from "./_app_state.ts";
import { userOf } from "./_user.ts";

/** The actions of the telemetry app. */
export type ActionName = "kill" | "suspend" | "resume" | "restart";

/** The answer of a carried-out action (routes may add fields). */
export interface ActionAnswer {
  /** The process id of the routes (the pid's serial number). */
  readonly id: string;
  /** The pid, printed. */
  readonly pid: string;
  readonly action: ActionName;
  readonly ok: true;
  /** Who asked (`"beamlet.user"`, else `"anonymous"`). */
  readonly by: string;
}

/** Most characters of a process's name or label in a log line. */
const MAX_LABEL = 200;

/**
 * How a log line names `pid`: its registered name, else the label the
 * observer knows it by (a supervisor's child id), else nothing.
 */
export function labelOf(state: AppState, pid: Pid): string | undefined {
  let label: unknown;
  try {
    label = state.observer.labelOf(pid, state.system.processSummary(pid)?.name);
  } catch {
    return undefined;
  }
  if (typeof label !== "string" || label === "") return undefined;
  // deno-lint-ignore no-control-regex
  return label.slice(0, MAX_LABEL).replace(/[\u0000-\u001f\u007f]/g, "?");
}

/** `#PID<0.12.0> (cache)`, or the pid alone. */
export function describeProcess(pid: Pid, label: string | undefined): string {
  return label === undefined ? String(pid) : `${pid} (${label})`;
}

/**
 * Logs a carried-out action (`"alice suspended #PID<0.12.0> (cache) from
 * the telemetry app"`). A logger that throws is the system's concern: the
 * action was done.
 */
export function logAction(state: AppState, by: string, what: string): void {
  try {
    state.system.report({
      kind: "notice",
      topic: "actions",
      message: `${by} ${what} from the telemetry app`,
    });
  } catch {
    // system.report already guards the logger; nothing to undo here.
  }
}

/** The answer of `action` on `pid` for the request `c`, with `extra` fields. */
export function actionAnswer(
  c: Context,
  state: AppState,
  pid: Pid,
  action: ActionName,
  extra: Record<string, unknown> = {},
): Response {
  const answer: ActionAnswer = {
    id: state.observer.processIdOf(pid),
    pid: String(pid),
    action,
    ok: true,
    by: userOf(c),
  };
  c.header("Cache-Control", "no-store");
  return c.json({ ...answer, ...extra });
}
