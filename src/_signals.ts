/**
 * Exit signals, links and monitors between processes (internal). Every link
 * and monitor goes in and out through the functions here, which keep the
 * runtime's counts of them exact (`tableSizes` reads the counts).
 *
 * @module
 */

import type { ExitReason } from "./exit_reason.ts";
import { DownMessage, ExitMessage } from "./gen_server.ts";
import { Pid, Ref, samePid } from "./pid.ts";
import type { Target } from "./options.ts";
import { type DownEnvelope, K_DOWN, K_EXIT } from "./_envelopes.ts";
import { type DownWatcher, Life, type Process } from "./_process.ts";
import { isLocalRef, lookup, type Runtime } from "./_runtime.ts";
import { deliverSystem, deliverUrgent, isPid, isRef, portOf, resolve } from "./_delivery.ts";
import { describeValue } from "./_inspect.ts";
import { die } from "./_exit.ts";
import { callbackFailed } from "./_instrument.ts";

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
    const exit = new ExitMessage(from?.pid ?? fromPid, reason);
    // The parent's exit ends a suspended process too, as OTP's system messages do.
    if (process.suspended && process.parent !== undefined && samePid(exit.from, process.parent)) {
      deliverUrgent(rt, process, K_EXIT, exit);
    } else {
      deliverSystem(rt, process, K_EXIT, exit);
    }
    return;
  }
  if (reason === "normal" && !fromSelf) return;
  die(rt, process, reason === "kill" ? "killed" : reason, from);
}

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
  watcher.process.queuedDowns.set(ref.serial, down);
  deliverSystem(rt, watcher.process, K_DOWN, down);
}

/** An exit signal from a process (or from outside: `sender` undefined). */
export function exitFrom(
  rt: Runtime,
  sender: Process | undefined,
  pid: Pid,
  reason: ExitReason,
): void {
  if (!isPid(pid)) throw new TypeError(`exit: pid must be a Pid, got ${describeValue(pid)}`);
  const process = lookup(rt, pid);
  if (!process) {
    // Through the routing seam: a pid of another node gets the signal where it lives.
    const port = portOf(rt, pid);
    if (port === undefined) return;
    try {
      port.exit(sender?.pid, reason);
    } catch (error) {
      callbackFailed(rt, "remote exit", error);
    }
    return;
  }
  if (reason === "kill") {
    die(rt, process, "killed", undefined);
    return;
  }
  signal(rt, process, sender, reason, sender === process);
}

/** Links two live processes (both ends); counted once per new end. */
export function addLink(rt: Runtime, a: Process, b: Process): void {
  if (a.links.has(b)) return;
  a.links.add(b);
  b.links.add(a);
  rt.counts.links += 2;
}

/** Removes the link between two processes, if there is one. */
export function removeLink(rt: Runtime, a: Process, b: Process): void {
  if (!a.links.delete(b)) return;
  b.links.delete(a);
  rt.counts.links -= 2;
}

/** Removes every link of an exiting process: the processes it was linked to. */
export function removeLinks(rt: Runtime, process: Process): Process[] {
  const others = [...process.links];
  for (const other of others) other.links.delete(process);
  process.links.clear();
  rt.counts.links -= 2 * others.length;
  return others;
}

/** Links a process and `pid` (linking to a dead pid sends the linker noproc). */
export function linkProcesses(rt: Runtime, process: Process, pid: Pid): void {
  if (!isPid(pid)) throw new TypeError(`link: pid must be a Pid, got ${describeValue(pid)}`);
  if (samePid(pid, process.pid)) return;
  const other = lookup(rt, pid);
  if (!other || other.life === Life.Dead) {
    // OTP: linking to a dead process sends the linker an exit signal noproc.
    signal(rt, process, undefined, "noproc", false, pid);
    return;
  }
  addLink(rt, process, other);
}

/** Removes the link between a process and `pid`. */
export function unlinkProcesses(rt: Runtime, process: Process, pid: Pid): void {
  if (!isPid(pid)) throw new TypeError(`unlink: pid must be a Pid, got ${describeValue(pid)}`);
  const other = lookup(rt, pid);
  if (other) removeLink(rt, process, other);
}

/**
 * Monitors `target` for a process (`holder`) or, from outside, an `onDown`
 * callback. A target that is not alive here (dead, unknown, or a pid of
 * another node) gets a DOWN with `"noproc"` at once, as OTP's monitor does.
 */
export function monitorFrom(
  rt: Runtime,
  holder: Process | undefined,
  onDown: ((reason: ExitReason, ref: Ref, pid: Pid) => void) | undefined,
  target: Target,
): Ref {
  if (holder === undefined && typeof onDown !== "function") {
    throw new TypeError("monitor: onDown must be a function (reason, ref, pid) => void");
  }
  const process = resolve(rt, target);
  const ref = new Ref(rt.nextRef++, rt.node);
  const watcher: DownWatcher = holder !== undefined
    ? { kind: "process", process: holder, ref }
    : { kind: "callback", onDown: onDown!, ref };
  if (!process || process.life === Life.Dead) {
    const pid = process?.pid ?? (isPid(target) ? target : new Pid(0));
    notifyDown(rt, watcher, pid, "noproc");
    return ref;
  }
  process.monitoredBy.set(ref.serial, watcher);
  if (holder !== undefined) holder.monitoring.set(ref.serial, process);
  else rt.externalMonitors.set(ref.serial, process);
  rt.counts.monitors++;
  rt.counts.monitorHolders++;
  return ref;
}

/** Removes a monitor held by a process (or from outside). */
export function demonitorFrom(
  rt: Runtime,
  owner: Process | undefined,
  ref: Ref,
  flush: boolean,
): boolean {
  // A ref of another node, or anything that is not a ref of ours, names no monitor here.
  if (!isRef(ref) || !isLocalRef(rt, ref)) return false;
  const serial = ref.serial;
  const target = owner ? owner.monitoring.get(serial) : rt.externalMonitors.get(serial);
  if (!owner) rt.pendingDowns.delete(serial); // its onDown, if queued, will not run
  if (owner && flush) {
    const queued = owner.queuedDowns.get(serial);
    if (queued) queued.flushed = true;
  }
  if (!target) return false;
  if (target.monitoredBy.delete(serial)) rt.counts.monitors--;
  if (owner) owner.monitoring.delete(serial);
  else rt.externalMonitors.delete(serial);
  rt.counts.monitorHolders--;
  return true;
}
