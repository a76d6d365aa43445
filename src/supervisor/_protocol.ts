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

/** A client request to a supervisor. */
export type Request =
  | { readonly op: "which" }
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
