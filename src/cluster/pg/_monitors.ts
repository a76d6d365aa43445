/**
 * Who watches which group (internal): listeners and processes, per group
 * or for the whole scope, and the dispatch of changes to them.
 *
 * @module
 */

import type { Pid, Ref } from "../../pid.ts";
import type { TableChange } from "./_group_table.ts";
import type { GroupListener, GroupMessage } from "./events.ts";

/** One monitor: a listener, or a process with its ref. `group` undefined: the whole scope. */
interface Watch {
  readonly group: string | undefined;
  readonly listener?: GroupListener;
  readonly pid?: Pid;
  readonly ref?: Ref;
}

/** How a dispatch reaches the outside. */
export interface Deliveries {
  /** Sends a message to a monitoring process. */
  send(pid: Pid, message: GroupMessage): void;
  /** A listener (or a send) threw. */
  failed(error: unknown): void;
}

/** The monitors of one scope. */
export class Monitors {
  readonly #byGroup = new Map<string, Set<Watch>>();
  readonly #scope = new Set<Watch>();
  readonly #byRef = new Map<string, Watch>();

  /** Adds a listener of `group` (or of every group): what removes it. */
  listen(group: string | undefined, listener: GroupListener): () => void {
    const watch: Watch = { group, listener };
    this.#add(watch);
    return () => this.#remove(watch);
  }

  /** Adds a monitoring process under `ref`. */
  watch(group: string | undefined, pid: Pid, ref: Ref): void {
    const watch: Watch = { group, pid, ref };
    this.#byRef.set(String(ref), watch);
    this.#add(watch);
  }

  /** Removes the monitor of `ref`: whether there was one. */
  unwatch(ref: Ref): boolean {
    const key = String(ref);
    const watch = this.#byRef.get(key);
    if (watch === undefined) return false;
    this.#byRef.delete(key);
    this.#remove(watch);
    return true;
  }

  /** The refs of the monitoring processes. */
  refs(): Ref[] {
    return [...this.#byRef.values()].map((watch) => watch.ref as Ref);
  }

  /** Removes every monitor. */
  clear(): void {
    this.#byGroup.clear();
    this.#scope.clear();
    this.#byRef.clear();
  }

  /** Tells each change to the monitors of its group and of the scope. */
  dispatch(changes: readonly TableChange[], out: Deliveries): void {
    for (const change of changes) {
      if (change.pids.length === 0) continue;
      const watches = [...(this.#byGroup.get(change.group) ?? []), ...this.#scope];
      for (const watch of watches) {
        try {
          if (watch.listener !== undefined) {
            watch.listener({ type: change.type, group: change.group, pids: [...change.pids] });
          } else if (watch.pid !== undefined && watch.ref !== undefined) {
            out.send(watch.pid, {
              type: "pg",
              event: change.type,
              ref: watch.ref,
              group: change.group,
              pids: [...change.pids],
            });
          }
        } catch (error) {
          out.failed(error);
        }
      }
    }
  }

  #add(watch: Watch): void {
    if (watch.group === undefined) {
      this.#scope.add(watch);
      return;
    }
    let set = this.#byGroup.get(watch.group);
    if (set === undefined) this.#byGroup.set(watch.group, set = new Set());
    set.add(watch);
  }

  #remove(watch: Watch): void {
    if (watch.group === undefined) {
      this.#scope.delete(watch);
      return;
    }
    const set = this.#byGroup.get(watch.group);
    set?.delete(watch);
    if (set?.size === 0) this.#byGroup.delete(watch.group);
  }
}
