/**
 * Registered names across schedulers (internal). A name is system-wide,
 * as on one BEAM node: a process on any scheduler may take it, and a
 * `call("cache", …)` from any scheduler finds it.
 *
 * Each scheduler keeps its own processes' names (the kernel's table) and a
 * copy of the names held elsewhere. Scheduler 0 is the hub: a scheduler
 * tells it when one of its processes takes or drops a name, and it tells
 * every other scheduler. The copies are therefore eventually consistent:
 * a name just taken on another scheduler may not resolve for the time a
 * ring message takes to arrive (a cast then returns `"noproc"`).
 *
 * Two schedulers that give the same name to two processes at once: the hub
 * keeps the registration it heard first and kills the other process (as
 * `:global`'s default conflict resolution does), so a name never stays
 * with two live processes. A lost scheduler's names are dropped everywhere.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { NameDirectory } from "../kernel/state/runtime.ts";

/** How the directory reaches the other schedulers (the fabric). */
export interface NameLinks {
  readonly index: number;
  readonly count: number;
  isUp(i: number): boolean;
  /** Sends "name taken" (`up`) or "name dropped" to scheduler `i`. */
  sendName(i: number, up: boolean, name: string, pid: Pid): void;
  /** Kills `pid` (a process that lost a name conflict). */
  kill(pid: Pid): void;
  /** The local process holding `name`, if any. */
  local(name: string): Pid | undefined;
}

export class SchedulerNames implements NameDirectory {
  readonly #elsewhere = new Map<string, Pid>();
  #links: NameLinks | undefined;

  /** Wires the directory to the fabric once it exists. */
  connect(links: NameLinks): void {
    this.#links = links;
  }

  whereis(name: string): Pid | undefined {
    return this.#elsewhere.get(name);
  }

  registered(name: string, pid: Pid): void {
    this.#tell(true, name, pid, pid.scheduler);
  }

  unregistered(name: string, pid: Pid): void {
    this.#tell(false, name, pid, pid.scheduler);
  }

  /** Scheduler `from` says `pid` took (`up`) or dropped `name`. */
  heard(up: boolean, name: string, pid: Pid, from: number): void {
    const links = this.#links;
    if (links === undefined) return;
    const held = this.#elsewhere.get(name);
    if (up) {
      const holder = held ?? links.local(name);
      if (holder !== undefined && !holder.equals(pid)) {
        if (links.index === 0) {
          links.kill(pid); // the hub heard the other first: this one loses the name
          return;
        }
      }
      this.#elsewhere.set(name, pid);
    } else {
      if (held === undefined || !held.equals(pid)) return;
      this.#elsewhere.delete(name);
    }
    if (links.index === 0) this.#broadcast(up, name, pid, from);
  }

  /** A name taken or dropped here: to the hub, or (on the hub) to everyone. */
  #tell(up: boolean, name: string, pid: Pid, origin: number): void {
    const links = this.#links;
    if (links === undefined) return;
    if (links.index === 0) this.#broadcast(up, name, pid, origin);
    else if (links.isUp(0)) links.sendName(0, up, name, pid);
  }

  #broadcast(up: boolean, name: string, pid: Pid, except: number): void {
    const links = this.#links!;
    for (let i = 1; i < links.count; i++) {
      if (i !== except && links.isUp(i)) links.sendName(i, up, name, pid);
    }
  }

  /** Scheduler `i` is gone: its names go with it. */
  lost(i: number): void {
    for (const [name, pid] of this.#elsewhere) {
      if (pid.scheduler === i) this.#elsewhere.delete(name);
    }
  }

  /** Every name held elsewhere (for a scheduler that joins late: the hub sends them). */
  entries(): IterableIterator<[string, Pid]> {
    return this.#elsewhere.entries();
  }
}
