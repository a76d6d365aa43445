/**
 * What the runtime's timers do when they fire (internal): sendAfter
 * deliveries, call timeouts, idle timeouts, init and stop timeouts. The
 * timer service (timers layer) calls this through the callback it was
 * built with.
 *
 * @module
 */

import { K_TIMEOUT } from "../state/envelopes.ts";
import { Life } from "../state/process.ts";
import { type TimerEntry, TimerKind } from "../state/timers.ts";
import type { Runtime } from "../state/runtime.ts";
import { deliverSystem, deliverTimed } from "../mailbox/delivery.ts";
import { sweepDeadlines } from "../calls/calls.ts";
import { contain, die } from "./exit.ts";
import { callbackFailed } from "../probes/instrument.ts";

/**
 * Does what a fired timer is for. Whatever throws is contained: a failure
 * for a process crashes that process, a failing `setTimer` callback is
 * reported; the timers after it fire all the same.
 */
export function fire(rt: Runtime, entry: TimerEntry): void {
  try {
    fireEntry(rt, entry);
  } catch (error) {
    if (entry.process !== undefined) contain(rt, entry.process, error);
    else callbackFailed(rt, "setTimer callback", error);
  }
}

function fireEntry(rt: Runtime, entry: TimerEntry): void {
  switch (entry.kind) {
    case TimerKind.Send: {
      const process = entry.process ?? (entry.name ? rt.names.get(entry.name) : undefined);
      if (process) deliverTimed(rt, process, entry.message, entry.trace);
      return;
    }
    case TimerKind.CallTimeout:
      sweepDeadlines(rt);
      return;
    case TimerKind.Idle: {
      const process = entry.process!;
      if (process.handled === entry.message) deliverSystem(rt, process, K_TIMEOUT, undefined);
      return;
    }
    case TimerKind.Init: {
      const process = entry.process!;
      if (process.life !== Life.Starting) return;
      die(rt, process, "killed", undefined, "timeout");
      return;
    }
    case TimerKind.Stop: {
      const process = entry.process!;
      (entry.message as () => void)();
      if (process.life !== Life.Dead) die(rt, process, "killed", undefined);
      return;
    }
    case TimerKind.Callback:
      (entry.message as () => void)(); // a throw is reported by `fire`
      return;
  }
}
