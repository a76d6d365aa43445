/**
 * The requests a supervisor handles and how their outcomes travel (internal).
 * Errors are replied, never thrown inside the supervisor: a bad request must
 * not crash it.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { Target } from "../options.ts";
import type { System } from "../system.ts";
import type { Spec } from "./_config.ts";
import type { ChildInfo } from "./child_info.ts";

/** A client request to a supervisor. */
export type Request =
  | { readonly op: "which" }
  | { readonly op: "which_first"; readonly limit: number }
  | { readonly op: "count" }
  | { readonly op: "start_child"; readonly spec: Spec }
  | { readonly op: "terminate_child"; readonly id: string }
  | { readonly op: "terminate_pid"; readonly pid: Pid }
  | { readonly op: "restart_child"; readonly id: string }
  | { readonly op: "delete_child"; readonly id: string };

/** A supervisor's reply: a value, or the named error to throw at the caller. */
export type Outcome = { readonly ok: true; readonly value: unknown } | {
  readonly ok: false;
  readonly error: Error;
};

/** Sends `request` to `supervisor` and unwraps its outcome (supervisor calls never time out). */
export async function request<T>(system: System, supervisor: Target, req: Request): Promise<T> {
  const outcome = await system.call<Outcome>(supervisor, req, { timeout: Infinity });
  if (!outcome.ok) throw outcome.error;
  return outcome.value as T;
}

/** The answer to `which_first`: the first `limit` children in start order, and how many there are. */
export interface FirstChildren {
  readonly children: ChildInfo[];
  readonly total: number;
}

/**
 * The first `limit` children of `supervisor` and their count, without the
 * supervisor copying the rest (what a bounded tree walk needs).
 */
export function firstChildren(
  system: System,
  supervisor: Target,
  limit: number,
): Promise<FirstChildren> {
  return request(system, supervisor, { op: "which_first", limit });
}
