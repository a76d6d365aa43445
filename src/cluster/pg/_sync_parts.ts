/**
 * Putting the parts of a big sync back together (internal, pure): parts
 * of one node's sync come in order (one publisher, one connection), each
 * but the last with `more: true`; nothing is replaced until the last.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import type { SyncMessage } from "./_wire.ts";

/** Most pids a sync in parts may hold before it is dropped (a runaway sender). */
export const MAX_SYNC_PIDS = 4_000_000;

/** The syncs in parts being received, one per node. */
export class SyncParts {
  readonly #pending = new Map<string, { inc: number; entries: [string, Pid[]][]; pids: number }>();

  /**
   * Adds a part: the whole sync's entries once `message` is its last part,
   * `undefined` while more are to come, `"overflow"` when it grew past
   * {@linkcode MAX_SYNC_PIDS} (then it is dropped).
   */
  add(message: SyncMessage): [string, Pid[]][] | undefined | "overflow" {
    const { node, inc } = message;
    let pending = this.#pending.get(node);
    if (pending !== undefined && pending.inc !== inc) pending = undefined; // a new run: start over
    if (!message.more && pending === undefined) {
      this.#pending.delete(node);
      return message.groups;
    }
    if (pending === undefined) {
      pending = { inc, entries: [], pids: 0 };
      this.#pending.set(node, pending);
    }
    for (const entry of message.groups) {
      pending.entries.push(entry);
      pending.pids += entry[1].length;
    }
    if (pending.pids > MAX_SYNC_PIDS) {
      this.#pending.delete(node);
      return "overflow";
    }
    if (message.more) return undefined;
    this.#pending.delete(node);
    return pending.entries;
  }

  /** Forgets a node's partial sync (it went down). */
  forget(node: string): void {
    this.#pending.delete(node);
  }
}
