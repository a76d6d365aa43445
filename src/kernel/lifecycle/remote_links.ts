/**
 * Links and monitors across the routing seam (internal): between a local
 * process and a pid of another scheduler of this system or of another
 * node. The local end is kept here (`Process.remote`); the other end is
 * the port's business (`MailboxPort.link` / `monitor` / `linkExit` / `down`).
 *
 * Outgoing: `linkRemote`, `unlinkRemote`, `monitorRemote`, `demonitorRemote`
 * and the exit hook (a local process that exits signals its remote links,
 * tells its remote watchers, and drops the monitors it held). Incoming: the
 * `remote*` functions a transport calls when the other side's message
 * arrives. `connectionLost` is the `noconnection` of a lost scheduler or node.
 *
 * As in Erlang, an exit signal that arrives is acted on even when this side
 * did not know the link yet (a start across schedulers links the child
 * before its parent hears of its pid): the link bookkeeping never delays or
 * drops a signal.
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import type { MailboxPort } from "../../options.ts";
import { Pid, Ref } from "../../pid.ts";
import { Life, type Process } from "../state/process.ts";
import { lookup, type Runtime } from "../state/runtime.ts";
import { RemoteEnds } from "../state/remote_ends.ts";
import type { ExitHook } from "../state/ports.ts";
import { callbackFailed, cleanupFailed } from "../probes/instrument.ts";
import { portOf } from "../mailbox/delivery.ts";
import { die, drainSignals, signal } from "./exit.ts";
import { notifyDown } from "./notify_down.ts";

/** The exit reason of a link or monitor whose other end's scheduler or node was lost. */
export const NOCONNECTION = "noconnection";

function endsOf(rt: Runtime, process: Process): RemoteEnds {
  let ends = process.remote;
  if (ends === undefined) {
    ends = process.remote = new RemoteEnds();
    rt.remoteHolders.add(process);
  }
  return ends;
}

function tidy(rt: Runtime, process: Process): void {
  const ends = process.remote;
  if (ends !== undefined && ends.empty) {
    process.remote = undefined;
    rt.remoteHolders.delete(process);
  }
}

/** Calls a port's method, reporting (never throwing) a port that throws. */
function tell(rt: Runtime, what: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    callbackFailed(rt, `remote ${what}`, error);
  }
}

/** A pid that stands for code outside any process of this runtime. */
function outside(rt: Runtime): Pid {
  return new Pid(0, rt.node, rt.scheduler);
}

// ------------------------------------------------------------------ outgoing

/**
 * `process` links to `pid` across the seam. Returns false when no port can
 * carry the link (the caller then treats `pid` as dead: noproc).
 */
export function linkRemote(rt: Runtime, process: Process, pid: Pid): boolean {
  const port = portOf(rt, pid);
  if (port?.link === undefined) return false;
  const ends = endsOf(rt, process);
  const key = String(pid);
  if (ends.links.has(key)) return true;
  ends.links.set(key, pid);
  tell(rt, "link", () => port.link!(process.pid));
  return true;
}

/** `process` unlinks from `pid` across the seam (nothing if they were not linked). */
export function unlinkRemote(rt: Runtime, process: Process, pid: Pid): void {
  const ends = process.remote;
  if (ends === undefined || !ends.links.delete(String(pid))) return;
  tidy(rt, process);
  const port = portOf(rt, pid);
  if (port?.unlink !== undefined) tell(rt, "unlink", () => port.unlink!(process.pid));
}

/**
 * A monitor on `pid` across the seam, held by `holder` (or, from outside,
 * `onDown`). Returns false when no port can carry it (the caller answers
 * with a DOWN `noproc`, as for a dead process).
 */
export function monitorRemote(
  rt: Runtime,
  holder: Process | undefined,
  onDown: ((reason: ExitReason, ref: Ref, pid: Pid) => void) | undefined,
  pid: Pid,
  ref: Ref,
): boolean {
  const port = portOf(rt, pid);
  if (port?.monitor === undefined) return false;
  if (holder !== undefined) endsOf(rt, holder).monitoring.set(ref.serial, pid);
  else rt.remoteExternal.set(ref.serial, { pid, onDown: onDown! });
  const watcher = holder?.pid ?? outside(rt);
  tell(rt, "monitor", () => port.monitor!(watcher, ref));
  return true;
}

/** Drops a monitor on a pid across the seam; false when `ref` names none held here. */
export function demonitorRemote(rt: Runtime, owner: Process | undefined, ref: Ref): boolean {
  let pid: Pid | undefined;
  if (owner !== undefined) {
    const ends = owner.remote;
    pid = ends?.monitoring.get(ref.serial);
    if (pid === undefined) return false;
    ends!.monitoring.delete(ref.serial);
    tidy(rt, owner);
  } else {
    pid = rt.remoteExternal.get(ref.serial)?.pid;
    if (pid === undefined) return false;
    rt.remoteExternal.delete(ref.serial);
  }
  const port = portOf(rt, pid);
  if (port?.demonitor !== undefined) tell(rt, "demonitor", () => port.demonitor!(ref));
  return true;
}

/** Exit hook: remote links get the exit signal, remote watchers their DOWN; held monitors are dropped. */
export const REMOTE_EXIT_HOOK: ExitHook = {
  step: "remote links",
  run(rt, process, reason) {
    const ends = process.remote;
    if (ends === undefined) return;
    process.remote = undefined;
    rt.remoteHolders.delete(process);
    const linkReason = reason === "kill" ? "killed" : reason;
    const self = process.pid;
    for (const pid of ends.links.values()) {
      const port = portOf(rt, pid);
      if (port?.linkExit !== undefined) {
        try {
          port.linkExit(self, linkReason);
        } catch (error) {
          cleanupFailed(rt, process, "remote links", error);
        }
      }
    }
    for (const { ref, watcher } of ends.watchers.values()) {
      const port = portOf(rt, watcher);
      if (port?.down !== undefined) {
        try {
          port.down(ref, self, reason);
        } catch (error) {
          cleanupFailed(rt, process, "remote monitors", error);
        }
      }
    }
    for (const [serial, pid] of ends.monitoring) {
      const port = portOf(rt, pid);
      if (port?.demonitor === undefined) continue;
      try {
        port.demonitor(new Ref(serial, rt.node));
      } catch (error) {
        cleanupFailed(rt, process, "remote monitors", error);
      }
    }
  },
};

/**
 * A process started here for a parent on another scheduler (`startLink`
 * placed elsewhere): linked to it before its init runs, its parent for
 * the purposes of a supervisor's shutdown.
 */
export function adoptRemoteParent(rt: Runtime, process: Process, parent: Pid): void {
  endsOf(rt, process).links.set(String(parent), parent);
  process.parent = parent;
}

/**
 * The parent's half of a link to a child started on another scheduler
 * (its pid just came back). A parent that died meanwhile sends the child
 * the exit signal a link to a dead process gets.
 */
export function linkStartedChild(rt: Runtime, parent: Pid, child: Pid): void {
  const process = lookup(rt, parent);
  if (process === undefined || process.life === Life.Dead) {
    const port = portOf(rt, child);
    if (port?.linkExit !== undefined) tell(rt, "link", () => port.linkExit!(parent, "noproc"));
    return;
  }
  endsOf(rt, process).links.set(String(child), child);
}

// ------------------------------------------------------------------ incoming

/** The port of a pid across the seam, if any (for answers). */
function back(rt: Runtime, pid: Pid): MailboxPort | undefined {
  return portOf(rt, pid);
}

/** `from` (across the seam) linked itself to local `to`: recorded, or answered `noproc`. */
export function remoteLinked(rt: Runtime, to: Pid, from: Pid): void {
  const process = lookup(rt, to);
  if (process === undefined || process.life === Life.Dead) {
    const port = back(rt, from);
    if (port?.linkExit !== undefined) tell(rt, "link", () => port.linkExit!(to, "noproc"));
    return;
  }
  endsOf(rt, process).links.set(String(from), from);
}

/** `from` (across the seam) unlinked itself from local `to`. */
export function remoteUnlinked(rt: Runtime, to: Pid, from: Pid): void {
  const process = lookup(rt, to);
  if (process?.remote?.links.delete(String(from))) tidy(rt, process);
}

/** The exit signal of a link: `from` (across the seam) exited with `reason`. */
export function remoteLinkExit(rt: Runtime, to: Pid, from: Pid, reason: ExitReason): void {
  const process = lookup(rt, to);
  if (process === undefined || process.life === Life.Dead) return;
  if (process.remote?.links.delete(String(from))) tidy(rt, process);
  signal(rt, process, undefined, reason, false, from);
  drainSignals(rt);
}

/** A plain exit signal (`exit(pid, reason)`) from `from` across the seam (`undefined`: outside any process). */
export function remoteExit(rt: Runtime, to: Pid, from: Pid | undefined, reason: ExitReason): void {
  const process = lookup(rt, to);
  if (process === undefined || process.life === Life.Dead) return;
  if (reason === "kill") die(rt, process, "killed", undefined);
  else signal(rt, process, undefined, reason, false, from);
  drainSignals(rt);
}

/** `watcher` (across the seam) monitors local `target` under `ref`: recorded, or answered `noproc`. */
export function remoteMonitored(rt: Runtime, target: Pid, watcher: Pid, ref: Ref): void {
  const process = lookup(rt, target);
  if (process === undefined || process.life === Life.Dead) {
    const port = back(rt, watcher);
    if (port?.down !== undefined) tell(rt, "monitor", () => port.down!(ref, target, "noproc"));
    return;
  }
  endsOf(rt, process).watchers.set(String(ref), { ref, watcher });
}

/** The monitor `ref` on local `target`, from across the seam, is dropped. */
export function remoteDemonitored(rt: Runtime, target: Pid, ref: Ref): void {
  const process = lookup(rt, target);
  if (process?.remote?.watchers.delete(String(ref))) tidy(rt, process);
}

/** A DOWN from across the seam for the monitor `ref` local `watcher` (serial 0: outside) holds on `pid`. */
export function remoteDown(
  rt: Runtime,
  watcher: Pid,
  ref: Ref,
  pid: Pid,
  reason: ExitReason,
): void {
  if (watcher.serial === 0) {
    const held = rt.remoteExternal.get(ref.serial);
    if (held === undefined) return;
    rt.remoteExternal.delete(ref.serial);
    notifyDown(rt, { kind: "callback", onDown: held.onDown, ref }, pid, reason);
    return;
  }
  const process = lookup(rt, watcher);
  if (process === undefined || process.life === Life.Dead) return;
  const ends = process.remote;
  if (ends === undefined || !ends.monitoring.delete(ref.serial)) return; // demonitored meanwhile
  tidy(rt, process);
  notifyDown(rt, { kind: "process", process, ref }, pid, reason);
}

/**
 * The scheduler or node behind `lost` is gone: every link to one of its
 * pids is an exit signal `noconnection`, every monitor on one a DOWN
 * `noconnection`, and the monitors it held here are forgotten.
 */
export function connectionLost(rt: Runtime, lost: (pid: Pid) => boolean): void {
  for (const process of [...rt.remoteHolders]) {
    const ends = process.remote;
    if (ends === undefined) continue;
    const signals: Pid[] = [];
    for (const [key, pid] of ends.links) {
      if (!lost(pid)) continue;
      ends.links.delete(key);
      signals.push(pid);
    }
    const downs: [number, Pid][] = [];
    for (const [serial, pid] of ends.monitoring) {
      if (!lost(pid)) continue;
      ends.monitoring.delete(serial);
      downs.push([serial, pid]);
    }
    for (const [key, { watcher }] of ends.watchers) if (lost(watcher)) ends.watchers.delete(key);
    tidy(rt, process);
    for (const [serial, pid] of downs) {
      notifyDown(
        rt,
        { kind: "process", process, ref: new Ref(serial, rt.node) },
        pid,
        NOCONNECTION,
      );
    }
    for (const pid of signals) {
      if (process.life === Life.Dead) break;
      signal(rt, process, undefined, NOCONNECTION, false, pid);
    }
  }
  for (const [serial, held] of [...rt.remoteExternal]) {
    if (!lost(held.pid)) continue;
    rt.remoteExternal.delete(serial);
    notifyDown(
      rt,
      { kind: "callback", onDown: held.onDown, ref: new Ref(serial, rt.node) },
      held.pid,
      NOCONNECTION,
    );
  }
  drainSignals(rt);
}
