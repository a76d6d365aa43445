/**
 * A process's links and monitors that cross the routing seam (internal): to
 * and from pids of another scheduler of this system, or of another node.
 * Kept apart from the local ones (which point at Process records) because
 * the other end is only a pid: what happens there is the port's business.
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import type { Pid, Ref } from "../../pid.ts";

/** Who monitors a local process from across the seam. */
export interface RemoteWatcher {
  readonly ref: Ref;
  /** The watching process, or a pid of serial 0: code outside any process there. */
  readonly watcher: Pid;
}

/** A monitor held by code outside any process on a pid across the seam (`system.monitor`). */
export interface RemoteExternalMonitor {
  readonly pid: Pid;
  readonly onDown: (reason: ExitReason, ref: Ref, pid: Pid) => void;
}

/** The remote ends of one process, created on first use. */
export class RemoteEnds {
  /** Linked pids across the seam, by their string form. */
  readonly links: Map<string, Pid> = new Map();
  /** Monitors it holds on pids across the seam: ref serial → target. */
  readonly monitoring: Map<number, Pid> = new Map();
  /** Monitors on it from across the seam, by the ref's string form. */
  readonly watchers: Map<string, RemoteWatcher> = new Map();

  /** Nothing left: the record can go. */
  get empty(): boolean {
    return this.links.size === 0 && this.monitoring.size === 0 && this.watchers.size === 0;
  }
}

/** Refs a scheduler makes: serials from `scheduler * REF_SPAN + 1`, so refs of one node never collide. */
export const REF_SPAN = 2 ** 40;
