/**
 * The tables of one system (internal): the live ones in creation order, by
 * name, and by owner — and the exit hook that hands a table to its heir or
 * deletes it when its owner exits. The hook is registered with the kernel's
 * exit clean-up the first time the system gets a table, and runs inside the
 * owner's exit, so no operation between the exit and a later microtask can
 * see the table still owned by a dead process. The same first time installs
 * the `beamlet.table.stats` emitter (`_table_stats.ts`).
 *
 * @module
 */

import type { System } from "../system.ts";
import { runtimeOf } from "../_runtime_access.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import type { Process } from "../kernel/state/process.ts";
import type { ExitHook } from "../kernel/state/ports.ts";
import { attachTableStats, type TableStatsSource } from "./_table_stats.ts";

/** What the directory knows of one table. */
export interface TableRecord {
  /** The table itself (typed by the caller). */
  readonly table: unknown;
  /** Its name, if any. */
  readonly name: string | undefined;
  /** Called inside its owner's exit clean-up. */
  ownerExited(): void;
}

/** The tables of one system. */
export class TableDirectory {
  readonly rt: Runtime;
  /** Live tables, in creation order. */
  readonly #tables = new Set<TableRecord>();
  readonly #byName = new Map<string, TableRecord>();
  readonly #byOwner = new Map<Process, Set<TableRecord>>();
  #nextId = 1;

  constructor(rt: Runtime) {
    this.rt = rt;
    const hook: ExitHook = {
      step: "tables",
      run: (_rt, process) => this.#exited(process),
    };
    rt.exitHooks.push(hook);
  }

  /** The live tables (as their records hold them), oldest first. */
  list(): unknown[] {
    return [...this.#tables].map((record) => record.table);
  }

  /** A fresh table id. */
  nextId(): number {
    return this.#nextId++;
  }

  /** The live table named `name`. */
  byName(name: string): TableRecord | undefined {
    return this.#byName.get(name);
  }

  /** Adds a table (its name checked free by the caller). */
  add(record: TableRecord, owner: Process): void {
    this.#tables.add(record);
    if (record.name !== undefined) this.#byName.set(record.name, record);
    this.own(record, owner);
  }

  /** `owner` now owns `record`. */
  own(record: TableRecord, owner: Process): void {
    let owned = this.#byOwner.get(owner);
    if (owned === undefined) this.#byOwner.set(owner, owned = new Set());
    owned.add(record);
  }

  /** `owner` no longer owns `record`. */
  disown(record: TableRecord, owner: Process): void {
    const owned = this.#byOwner.get(owner);
    if (owned === undefined) return;
    owned.delete(record);
    if (owned.size === 0) this.#byOwner.delete(owner);
  }

  /** Forgets a deleted table. */
  remove(record: TableRecord, owner: Process): void {
    this.#tables.delete(record);
    if (record.name !== undefined && this.#byName.get(record.name) === record) {
      this.#byName.delete(record.name);
    }
    this.disown(record, owner);
  }

  /** A process exited: each table it owned goes to its heir or is deleted. */
  #exited(process: Process): void {
    if (this.#byOwner.size === 0) return;
    const owned = this.#byOwner.get(process);
    if (owned === undefined) return;
    this.#byOwner.delete(process);
    for (const record of owned) record.ownerExited();
  }
}

const directories = new WeakMap<System, TableDirectory>();

/** The table directory of `system`, made on first use. */
export function directoryOf(system: System): TableDirectory {
  let directory = directories.get(system);
  if (directory === undefined) {
    const made = new TableDirectory(runtimeOf(system));
    directories.set(system, made);
    attachTableStats(system, () => made.list() as TableStatsSource[]);
    directory = made;
  }
  return directory;
}

/** The table directory of `system`, if it ever had a table. */
export function existingDirectory(system: System): TableDirectory | undefined {
  return directories.get(system);
}
