/**
 * One node's memberships in one scope (internal): group → its members,
 * each pid with how many times it joined (a pid joined twice is a member
 * twice and needs two leaves, as Erlang's `pg`). Members are kept in the
 * order they first joined, a pid's memberships side by side. A join, a
 * leave and an exit cost what they carry, not the size of the group.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";

/** A change of a table: `pids` joined or left `group`. */
export interface TableChange {
  readonly type: "join" | "leave";
  readonly group: string;
  readonly pids: Pid[];
}

/** A group's members: pid text → the pid and how many times it joined. */
type Bag = Map<string, { readonly pid: Pid; count: number }>;

/** group → members of one node. */
export class GroupTable {
  readonly #groups = new Map<string, Bag>();

  /** The members of `group` (a fresh array; empty when none). */
  members(group: string): Pid[] {
    const out: Pid[] = [];
    const bag = this.#groups.get(group);
    if (bag !== undefined) expand(bag, out);
    return out;
  }

  /** Appends the members of `group` to `out`. */
  membersInto(group: string, out: Pid[]): void {
    const bag = this.#groups.get(group);
    if (bag !== undefined) expand(bag, out);
  }

  /** Whether `group` has members here. */
  has(group: string): boolean {
    return this.#groups.has(group);
  }

  /** The groups with members. */
  groups(): IterableIterator<string> {
    return this.#groups.keys();
  }

  /** Adds one membership of each of `pids` to `group`. */
  add(group: string, pids: readonly Pid[]): void {
    if (pids.length === 0) return;
    let bag = this.#groups.get(group);
    if (bag === undefined) this.#groups.set(group, bag = new Map());
    for (const pid of pids) {
      const key = String(pid);
      const entry = bag.get(key);
      if (entry === undefined) bag.set(key, { pid, count: 1 });
      else entry.count++;
    }
  }

  /** Removes one membership of each of `pids` from `group`: those removed. */
  remove(group: string, pids: readonly Pid[]): Pid[] {
    const bag = this.#groups.get(group);
    if (bag === undefined) return [];
    const removed: Pid[] = [];
    for (const pid of pids) {
      const key = String(pid);
      const entry = bag.get(key);
      if (entry === undefined) continue;
      removed.push(entry.pid);
      if (--entry.count === 0) bag.delete(key);
    }
    if (bag.size === 0) this.#groups.delete(group);
    return removed;
  }

  /** Removes every membership of `pid`: one leave per group it was in. */
  removeEverywhere(pid: Pid): TableChange[] {
    const key = String(pid);
    const changes: TableChange[] = [];
    for (const [group, bag] of [...this.#groups]) {
      const entry = bag.get(key);
      if (entry === undefined) continue;
      bag.delete(key);
      if (bag.size === 0) this.#groups.delete(group);
      changes.push({ type: "leave", group, pids: repeat(entry.pid, entry.count) });
    }
    return changes;
  }

  /** Every group and its members (fresh arrays), as `[group, pids]` pairs. */
  entries(): [string, Pid[]][] {
    return [...this.#groups.keys()].map((group) => [group, this.members(group)]);
  }

  /** Whether no group has members. */
  get empty(): boolean {
    return this.#groups.size === 0;
  }

  /** Empties the table: one leave per group. */
  clear(): TableChange[] {
    const changes: TableChange[] = this.entries().map(([group, pids]) => ({
      type: "leave",
      group,
      pids,
    }));
    this.#groups.clear();
    return changes;
  }

  /** The joins that fill an empty table up to this one. */
  asJoins(): TableChange[] {
    return this.entries().map(([group, pids]) => ({ type: "join", group, pids }));
  }

  /**
   * Replaces the content with `entries` (a sync; a group may come in
   * several entries, which add up): the leaves and joins that take the old
   * content to the new, per group, counting memberships.
   */
  replace(entries: readonly (readonly [string, readonly Pid[]])[]): TableChange[] {
    const next = new GroupTable();
    for (const [group, pids] of entries) next.add(group, pids);
    const changes: TableChange[] = [];
    for (const [group, old] of this.#groups) {
      const left = surplus(old, next.#groups.get(group));
      if (left.length > 0) changes.push({ type: "leave", group, pids: left });
    }
    for (const [group, now] of next.#groups) {
      const joined = surplus(now, this.#groups.get(group));
      if (joined.length > 0) changes.push({ type: "join", group, pids: joined });
    }
    this.#groups.clear();
    for (const [group, bag] of next.#groups) this.#groups.set(group, bag);
    return changes;
  }
}

/** The memberships of `bag` beyond those of `other`. */
function surplus(bag: Bag, other: Bag | undefined): Pid[] {
  const out: Pid[] = [];
  for (const [key, { pid, count }] of bag) {
    for (let n = count - (other?.get(key)?.count ?? 0); n > 0; n--) out.push(pid);
  }
  return out;
}

function expand(bag: Bag, out: Pid[]): void {
  for (const { pid, count } of bag.values()) for (let n = 0; n < count; n++) out.push(pid);
}

function repeat(pid: Pid, count: number): Pid[] {
  const out: Pid[] = [];
  for (let n = 0; n < count; n++) out.push(pid);
  return out;
}

/** Appends `more` to `list` (no spread: a list may be longer than the call stack allows). */
export function append<T>(list: T[], more: readonly T[]): void {
  for (const item of more) list.push(item);
}
