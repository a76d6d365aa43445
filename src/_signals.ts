/**
 * Exit signals, links and monitors between processes (internal).
 *
 * @module
 */

import type { ExitReason } from "./exit_reason.ts";
import { DownMessage, ExitMessage } from "./gen_server.ts";
import { Pid, Ref } from "./pid.ts";
import type { Target } from "./options.ts";
import { type DownEnvelope, K_DOWN, K_EXIT } from "./_envelopes.ts";
import { type DownWatcher, Life, type Process } from "./_process.ts";
import { lookup, type Runtime } from "./_runtime.ts";
import { deliverSystem, resolve } from "./_delivery.ts";
import { die } from "./_exit.ts";

/** An exit signal reaches `process` (from a link or `exit`). */
export function signal(
  rt: Runtime,
  process: Process,
  from: Process | undefined,
  reason: ExitReason,
  fromSelf: boolean,
  fromPid?: Pid,
): void {
  if (process.life === Life.Dead) return;
  if (process.trapExit && reason !== "kill") {
    deliverSystem(rt, process, K_EXIT, new ExitMessage(from?.pid ?? fromPid, reason));
    return;
  }
  if (reason === "normal" && !fromSelf) return;
  die(rt, process, reason === "kill" ? "killed" : reason, from);
}

/** Tells a monitor its target exited: a DOWN message, or an outside onDown on a microtask. */
export function notifyDown(
  rt: Runtime,
  watcher: DownWatcher,
  ref: Ref,
  pid: Pid,
  reason: ExitReason,
): void {
  if (watcher.kind === "callback") {
    // On a microtask, like a message; demonitor before then cancels it.
    rt.pendingDowns.add(ref);
    const onDown = watcher.onDown;
    queueMicrotask(() => {
      if (rt.pendingDowns.delete(ref)) onDown(reason, ref, pid);
    });
    return;
  }
  if (watcher.process.life === Life.Dead) return;
  const down: DownEnvelope = { message: new DownMessage(ref, pid, reason), flushed: false };
  watcher.process.queuedDowns.set(ref, down);
  deliverSystem(rt, watcher.process, K_DOWN, down);
}

/** An exit signal from a process (or from outside: `sender` undefined). */
export function exitFrom(
  rt: Runtime,
  sender: Process | undefined,
  pid: Pid,
  reason: ExitReason,
): void {
  if (!(pid instanceof Pid)) throw new TypeError("exit: pid must be a Pid");
  const process = lookup(rt, pid);
  if (!process) return;
  if (reason === "kill") {
    die(rt, process, "killed", undefined);
    return;
  }
  signal(rt, process, sender, reason, sender === process);
}

/** Links a process and `pid` (linking to a dead pid sends the linker noproc). */
export function linkProcesses(rt: Runtime, process: Process, pid: Pid): void {
  if (!(pid instanceof Pid)) throw new TypeError("link: pid must be a Pid");
  if (pid === process.pid) return;
  const other = lookup(rt, pid);
  if (!other || other.life === Life.Dead) {
    // OTP: linking to a dead process sends the linker an exit signal noproc.
    signal(rt, process, undefined, "noproc", false, pid);
    return;
  }
  process.links.add(other);
  other.links.add(process);
}

/** Removes the link between a process and `pid`. */
export function unlinkProcesses(rt: Runtime, process: Process, pid: Pid): void {
  const other = lookup(rt, pid);
  if (!other) return;
  process.links.delete(other);
  other.links.delete(process);
}

/** Monitors `target` for a process or an outside callback. */
export function monitorFrom(rt: Runtime, watcher: DownWatcher, target: Target): Ref {
  const ref = new Ref(rt.nextRef++);
  const process = resolve(rt, target);
  if (!process || process.life === Life.Dead) {
    const pid = process?.pid ?? (target instanceof Pid ? target : new Pid(0));
    notifyDown(rt, watcher, ref, pid, "noproc");
    return ref;
  }
  process.monitoredBy.set(ref, watcher);
  if (watcher.kind === "process") watcher.process.monitoring.set(ref, process);
  else rt.externalMonitors.set(ref, process);
  return ref;
}

/** Removes a monitor held by a process (or from outside). */
export function demonitorFrom(
  rt: Runtime,
  owner: Process | undefined,
  ref: Ref,
  flush: boolean,
): boolean {
  const target = owner ? owner.monitoring.get(ref) : rt.externalMonitors.get(ref);
  if (!owner) rt.pendingDowns.delete(ref); // its onDown, if queued, will not run
  if (owner && flush) {
    const queued = owner.queuedDowns.get(ref);
    if (queued) queued.flushed = true;
  }
  if (!target) return false;
  target.monitoredBy.delete(ref);
  if (owner) owner.monitoring.delete(ref);
  else rt.externalMonitors.delete(ref);
  return true;
}
