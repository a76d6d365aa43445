/**
 * Exit signals, links and monitors between processes (internal). Every link
 * and monitor goes in and out through the functions here, which keep the
 * runtime's counts of them exact (`tableSizes` reads the counts).
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import { Pid, Ref, samePid } from "../../pid.ts";
import type { Target } from "../../options.ts";
import { type DownWatcher, Life, type Process } from "../state/process.ts";
import { isHere, isLocalRef, lookup, type Runtime } from "../state/runtime.ts";
import type { ExitHook } from "../state/ports.ts";
import { cleanupFailed } from "../probes/instrument.ts";
import { signal } from "./exit.ts";
import { addLink, removeLink } from "./links.ts";
import { isPid, isRef, isViaName, resolve } from "../mailbox/delivery.ts";
import { demonitorRemote, linkRemote, monitorRemote, unlinkRemote } from "./remote_links.ts";
import { notifyDown } from "./notify_down.ts";
import { describeValue } from "../../_inspect.ts";
/** Links a process and `pid` (linking to a dead pid sends the linker noproc). */
export function linkProcesses(rt: Runtime, process: Process, pid: Pid): void {
  if (!isPid(pid)) throw new TypeError(`link: pid must be a Pid, got ${describeValue(pid)}`);
  if (samePid(pid, process.pid)) return;
  const other = lookup(rt, pid);
  if (other === undefined && !isHere(rt, pid) && linkRemote(rt, process, pid)) return;
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
  else if (!isHere(rt, pid)) unlinkRemote(rt, process, pid);
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
  if (process === undefined) {
    const pid = remotePidOf(rt, target);
    if (pid !== undefined && monitorRemote(rt, holder, onDown, pid, ref)) return ref;
  }
  if (!process || process.life === Life.Dead) {
    const pid = process?.pid ?? (isPid(target) ? target : new Pid(0));
    notifyDown(rt, watcher, pid, "noproc");
    return ref;
  }
  (process.monitoredBy ??= new Map()).set(ref.serial, watcher);
  if (holder !== undefined) (holder.monitoring ??= new Map()).set(ref.serial, process);
  else rt.externalMonitors.set(ref.serial, process);
  rt.counts.monitors++;
  rt.counts.monitorHolders++;
  return ref;
}

/** The pid across the seam a target names (a pid not of this runtime, or a `{ via, key }` resolving to one). */
function remotePidOf(rt: Runtime, target: Target): Pid | undefined {
  let pid: unknown = target;
  try {
    if (isViaName(target)) pid = target.via.whereisName(target.key);
    else if (typeof target === "string") pid = rt.directory?.whereis(target);
  } catch {
    return undefined;
  }
  return isPid(pid) && !isHere(rt, pid) ? pid : undefined;
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
  if (owner && flush) {
    const queued = owner.queuedDowns?.get(serial);
    if (queued) queued.flushed = true;
  }
  if (demonitorRemote(rt, owner, ref)) {
    if (!owner) rt.pendingDowns.delete(serial);
    return true;
  }
  const target = owner ? owner.monitoring?.get(serial) : rt.externalMonitors.get(serial);
  if (!owner) rt.pendingDowns.delete(serial); // its onDown, if queued, will not run
  if (!target) return false;
  if (target.monitoredBy?.delete(serial)) rt.counts.monitors--;
  if (owner) owner.monitoring?.delete(serial);
  else rt.externalMonitors.delete(serial);
  rt.counts.monitorHolders--;
  return true;
}

/** Drops the monitors it holds; tells everyone monitoring it. */
function releaseMonitors(rt: Runtime, process: Process, reason: ExitReason): void {
  const counts = rt.counts;
  const monitoring = process.monitoring;
  if (monitoring !== undefined) {
    process.monitoring = undefined;
    for (const [ref, target] of monitoring) {
      if (target.monitoredBy?.delete(ref)) counts.monitors--;
    }
    counts.monitorHolders -= monitoring.size;
  }
  const monitoredBy = process.monitoredBy;
  if (monitoredBy === undefined) return;
  process.monitoredBy = undefined;
  for (const [ref, watcher] of monitoredBy) {
    if (watcher.kind === "callback") {
      if (rt.externalMonitors.delete(ref)) counts.monitorHolders--;
    } else if (watcher.process.monitoring?.delete(ref)) {
      counts.monitorHolders--;
    }
    counts.monitors--;
    try {
      notifyDown(rt, watcher, process.pid, reason);
    } catch (error) {
      cleanupFailed(rt, process, "monitor", error);
    }
  }
}

/** Exit hook: the monitors the process held are dropped; everyone monitoring it gets a DOWN. */
export const MONITORS_EXIT_HOOK: ExitHook = {
  step: "monitor",
  run(rt, process, reason) {
    releaseMonitors(rt, process, reason);
    process.queuedDowns = undefined;
  },
};
