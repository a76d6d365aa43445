/**
 * Asking a supervisor for its children, within a time limit (internal).
 *
 * @module
 */

import { ExitError, NoProcError } from "../errors.ts";
import type { Pid, Ref } from "../pid.ts";
import type { System } from "../system.ts";
import type { ChildInfo } from "../supervisor/child_info.ts";
import { Supervisor } from "../supervisor/supervisor.ts";

/** Its children, or why they are unknown. */
export type Listing = readonly ChildInfo[] | "timeout" | "exited";

/**
 * `Supervisor.whichChildren` with a timeout on the system's clock. On a
 * timeout the call itself stays pending until the supervisor answers (it
 * has no timeout of its own); its answer is then ignored.
 */
export function childrenWithin(system: System, pid: Pid, timeout: number): Promise<Listing> {
  return new Promise<Listing>((resolve, reject) => {
    let timer: Ref | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) system.cancelTimer(timer);
      outcome();
    };
    if (Number.isFinite(timeout)) {
      timer = system.setTimer(timeout, () => settle(() => resolve("timeout")));
    }
    Supervisor.whichChildren(system, pid).then(
      (children) => settle(() => resolve(children)),
      (error) =>
        settle(() =>
          error instanceof NoProcError || error instanceof ExitError
            ? resolve("exited")
            : reject(error)
        ),
    );
  });
}
