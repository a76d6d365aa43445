/**
 * The tables view (internal): live ETS-like tables as plain, JSON-safe
 * rows — named ones first (by name), then unnamed ones (oldest first),
 * bounded; `info()` is read only for the tables listed.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import { idOf } from "./_process_id.ts";
import { capString } from "./_sanitize.ts";
import type { TableItem, TablesView } from "./view_types.ts";

/** What the view reads of a table's `info()` (a `TableInfo` has all of it). */
export interface TableViewInfo {
  readonly id: unknown;
  readonly type: string;
  readonly access: string;
  readonly keyPos: number;
  readonly owner: Pid;
  readonly heir: Pid | undefined;
  readonly size: number;
  readonly memory: number;
  readonly reads: number;
  readonly writes: number;
}

/** A live table as the view sees it (a `Table` is one). */
export interface TableViewSource {
  readonly name: string | undefined;
  info(): TableViewInfo;
}

/** A JSON-safe count: a finite number, else 0. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** The registered name of a process, if it has one. */
export type NameOfProcess = (pid: Pid) => string | undefined;

/** The row of one table, or undefined when it cannot be read (deleted meanwhile). */
function tableItem(table: TableViewSource, nameOf: NameOfProcess): TableItem | undefined {
  let info: TableViewInfo;
  try {
    info = table.info();
  } catch {
    return undefined;
  }
  const id = capString(String(info.id), 64);
  const name = typeof table.name === "string" ? capString(table.name) : null;
  const ownerName = nameOf(info.owner);
  return {
    id,
    name,
    label: name ?? `#Table<${id}>`,
    type: String(info.type),
    access: String(info.access),
    keyPos: count(info.keyPos),
    owner: String(info.owner),
    ownerId: idOf(info.owner),
    ownerName: typeof ownerName === "string" ? capString(ownerName) : null,
    heir: info.heir === undefined ? null : String(info.heir),
    size: count(info.size),
    memoryBytes: count(info.memory),
    reads: count(info.reads),
    writes: count(info.writes),
  };
}

/** The view of `tables` (live, oldest first), at most `limit` rows; `nameOf` names owners. */
export function tablesView(
  tables: readonly TableViewSource[],
  limit: number,
  nameOf: NameOfProcess = () => undefined,
): TablesView {
  const named: TableViewSource[] = [];
  const unnamed: TableViewSource[] = [];
  for (const table of tables) {
    if (typeof table.name === "string") named.push(table);
    else if (unnamed.length < limit) unnamed.push(table);
  }
  named.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
  const items: TableItem[] = [];
  for (const table of [...named.slice(0, limit), ...unnamed]) {
    if (items.length === limit) break;
    const item = tableItem(table, nameOf);
    if (item !== undefined) items.push(item);
  }
  return {
    time: Date.now(),
    total: tables.length,
    named: named.length,
    limit,
    truncated: tables.length > limit,
    items,
  };
}
