/**
 * Telling a monitor that its target exited (internal): a DOWN message in
 * the watching process's mailbox, or an outside `onDown` on a microtask.
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import { DownMessage } from "../../system_messages.ts";
import type { Pid } from "../../pid.ts";
import { type DownEnvelope, K_DOWN } from "../state/envelopes.ts";
import { type DownWatcher, Life } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";
import { callbackFailed } from "../probes/instrument.ts";
import { deliverSystem } from "../mailbox/delivery.ts";

/** Tells a monitor its target exited: a DOWN message, or an outside onDown on a microtask. */
export function notifyDown(
  rt: Runtime,
  watcher: DownWatcher,
  pid: Pid,
  reason: ExitReason,
): void {
  const ref = watcher.ref;
  if (watcher.kind === "callback") {
    // On a microtask, like a message; demonitor before then cancels it.
    rt.pendingDowns.add(ref.serial);
    const onDown = watcher.onDown;
    queueMicrotask(() => {
      if (!rt.pendingDowns.delete(ref.serial)) return;
      try {
        onDown(reason, ref, pid);
      } catch (error) {
        // An outside callback that throws must not take the host down.
        callbackFailed(rt, "monitor onDown", error);
      }
    });
    return;
  }
  if (watcher.process.life === Life.Dead) return;
  const down: DownEnvelope = { message: new DownMessage(ref, pid, reason), flushed: false };
  (watcher.process.queuedDowns ??= new Map()).set(ref.serial, down);
  deliverSystem(rt, watcher.process, K_DOWN, down);
}
