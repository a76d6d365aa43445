/**
 * What one node knows of the other nodes' memberships in one scope
 * (internal, pure: no NATS, no timers): a {@linkcode GroupTable} per node
 * and incarnation, the incarnation of each node that is up, and the
 * incarnations seen going down.
 *
 * Only the table of a node that is up, under the incarnation it is up
 * with, is visible (in `members`, and its changes returned as events).
 * Messages from a node before its nodeup are kept in a pending table (the
 * nodeup will come and show it); messages from an incarnation seen going
 * down are dropped.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { append, GroupTable, type TableChange } from "./_group_table.ts";

/** Most pending incarnations kept per node (older ones are dropped). */
const MAX_PENDING = 4;
/** Most incarnations remembered as down per node. */
const MAX_DEAD = 16;

/** The other nodes' tables. */
export class RemoteView {
  /** node → incarnation → table. */
  readonly #tables = new Map<string, Map<number, GroupTable>>();
  /** node → the incarnation it is up with. */
  readonly #up = new Map<string, number>();
  /** node → incarnations seen going down (oldest first). */
  readonly #dead = new Map<string, number[]>();

  /** The visible table of `node`, if it is up and has one. */
  #visible(node: string): GroupTable | undefined {
    const incarnation = this.#up.get(node);
    return incarnation === undefined ? undefined : this.#tables.get(node)?.get(incarnation);
  }

  /** Whether `node` is up here with `incarnation`. */
  isVisible(node: string, incarnation: number): boolean {
    return this.#up.get(node) === incarnation;
  }

  /** Whether a message from `node` at `incarnation` must be dropped (that run went down). */
  isStale(node: string, incarnation: number): boolean {
    return this.#dead.get(node)?.includes(incarnation) ?? false;
  }

  /** The nodes up, in name order. */
  nodesUp(): string[] {
    return [...this.#up.keys()].sort();
  }

  /** The members of `group` on the nodes up, node by node in name order. */
  members(group: string): Pid[] {
    const out: Pid[] = [];
    for (const node of this.nodesUp()) {
      const table = this.#visible(node);
      table?.membersInto(group, out);
    }
    return out;
  }

  /** The groups with members on a node up. */
  groups(): Set<string> {
    const out = new Set<string>();
    for (const node of this.#up.keys()) {
      for (const group of this.#visible(node)?.groups() ?? []) out.add(group);
    }
    return out;
  }

  /** The table of `node` at `incarnation`, made if needed (a pending one may push out the oldest). */
  #table(node: string, incarnation: number): GroupTable {
    let runs = this.#tables.get(node);
    if (runs === undefined) this.#tables.set(node, runs = new Map());
    let table = runs.get(incarnation);
    if (table === undefined) {
      runs.set(incarnation, table = new GroupTable());
      const up = this.#up.get(node);
      const pending = [...runs.keys()].filter((run) => run !== up);
      if (pending.length > MAX_PENDING) runs.delete(pending[0]);
    }
    return table;
  }

  /** `pids` of `node` joined `group`: the visible changes. */
  join(node: string, incarnation: number, group: string, pids: readonly Pid[]): TableChange[] {
    if (this.isStale(node, incarnation)) return [];
    this.#table(node, incarnation).add(group, pids);
    return this.isVisible(node, incarnation) && pids.length > 0
      ? [{ type: "join", group, pids: [...pids] }]
      : [];
  }

  /** `pids` of `node` left `group`: the visible changes. */
  leave(node: string, incarnation: number, group: string, pids: readonly Pid[]): TableChange[] {
    if (this.isStale(node, incarnation)) return [];
    const removed = this.#tables.get(node)?.get(incarnation)?.remove(group, pids) ?? [];
    return this.isVisible(node, incarnation) && removed.length > 0
      ? [{ type: "leave", group, pids: removed }]
      : [];
  }

  /** `node` said all its memberships: the visible changes. */
  sync(
    node: string,
    incarnation: number,
    entries: readonly (readonly [string, readonly Pid[]])[],
  ): TableChange[] {
    if (this.isStale(node, incarnation)) return [];
    const changes = this.#table(node, incarnation).replace(entries);
    return this.isVisible(node, incarnation) ? changes : [];
  }

  /**
   * `node` is up with `incarnation`: its pending table shows (joins), the
   * tables of its other runs go (leaves, if one was visible).
   */
  nodeUp(node: string, incarnation: number): TableChange[] {
    const changes: TableChange[] = [];
    const before = this.#up.get(node);
    if (before === incarnation) return changes;
    const runs = this.#tables.get(node);
    if (before !== undefined) append(changes, runs?.get(before)?.clear() ?? []);
    if (runs !== undefined) {
      for (const run of [...runs.keys()]) if (run !== incarnation) runs.delete(run);
    }
    const dead = this.#dead.get(node);
    if (dead?.includes(incarnation)) dead.splice(dead.indexOf(incarnation), 1);
    this.#up.set(node, incarnation);
    append(changes, runs?.get(incarnation)?.asJoins() ?? []);
    return changes;
  }

  /**
   * `node`'s run `incarnation` went down: its table goes (leaves, if it was
   * visible) and its later messages are dropped. Pending tables of other
   * runs (a restart heard before this nodedown) stay.
   */
  nodeDown(node: string, incarnation: number): TableChange[] {
    const runs = this.#tables.get(node);
    const table = runs?.get(incarnation);
    runs?.delete(incarnation);
    if (runs?.size === 0) this.#tables.delete(node);
    let dead = this.#dead.get(node);
    if (dead === undefined) this.#dead.set(node, dead = []);
    if (!dead.includes(incarnation)) dead.push(incarnation);
    if (dead.length > MAX_DEAD) dead.shift();
    if (this.#up.get(node) !== incarnation) return [];
    this.#up.delete(node);
    return table?.clear() ?? [];
  }
}
