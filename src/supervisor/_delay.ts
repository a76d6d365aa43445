/**
 * A timer on the system's own clock (internal). The public API has no timer
 * that resolves a Promise, so a tiny process sends itself a message after
 * `ms` ms: this way a manual clock drives it like every other timer.
 *
 * @module
 */

import { ignore, noreply, ok, stop } from "../gen_server.ts";
import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";

const FIRE = Symbol("fire");

/** A pending delay: `fired` resolves after `ms`; `cancel` removes its process. */
export interface Delay {
  /** Resolves when the delay has passed (never, once cancelled). */
  readonly fired: Promise<void>;
  /** Stops the timer process. */
  cancel(): void;
}

/** Starts a timer process that resolves `fired` after `ms` ms of the system's clock. */
export function delay(system: System, ms: number): Delay {
  let cancelled = false;
  let pid: Pid | undefined;
  const fired = new Promise<void>((resolve) => {
    system.start({
      init: (_arg: undefined, ctx) => {
        if (cancelled) return ignore();
        ctx.sendAfter(ctx.self, FIRE, ms);
        return ok(null);
      },
      handleInfo: (message, state) => {
        if (message !== FIRE) return noreply(state);
        resolve();
        return stop("normal", state);
      },
    }).then((started) => {
      pid = started;
      if (cancelled && pid) system.exit(pid, "kill");
    }, () => {});
  });
  return {
    fired,
    cancel() {
      cancelled = true;
      if (pid) system.exit(pid, "kill");
    },
  };
}
