/**
 * Asking a supervisor for its first children, within a time limit (internal).
 *
 * @module
 */

import { ExitError, NoProcError } from "../errors.ts";
import type { Pid, Ref } from "../pid.ts";
import type { System } from "../system.ts";
import { type FirstChildren, firstChildren } from "../supervisor/_protocol.ts";

/** Its first children and their count, or why they are unknown. */
export type Listing = FirstChildren | "timeout" | "exited";

/**
 * The first `limit` children of `pid` (the supervisor copies no more) with
 * a timeout on the system's clock. On a timeout the call itself stays
 * pending until the supervisor answers (it has no timeout of its own); its
 * answer is then ignored.
 */
export function childrenWithin(
  system: System,
  pid: Pid,
  limit: number,
  timeout: number,
): Promise<Listing> {
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
    firstChildren(system, pid, limit).then(
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
