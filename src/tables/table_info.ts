/**
 * What `Table.info()` tells of a table.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { TableAccess, TableType } from "./options.ts";

/**
 * A table's description and counters (ETS's `:ets.info/1`).
 *
 * @example
 * ```ts
 * import type { TableInfo } from "@beamlet/beamlet/tables";
 *
 * const describe = (info: TableInfo) =>
 *   `${info.name ?? `#Table<${info.id}>`}: ${info.size} rows, ~${info.memory} B, owner ${info.owner}`;
 * ```
 */
export interface TableInfo {
  /** The table's id, unique in its system. */
  readonly id: number;
  /** Its name, if it has one. */
  readonly name: string | undefined;
  /** Its type. */
  readonly type: TableType;
  /** Its access mode. */
  readonly access: TableAccess;
  /** The key position of its rows. */
  readonly keyPos: number;
  /** Its owner. */
  readonly owner: Pid;
  /** Its heir, if any. */
  readonly heir: Pid | undefined;
  /** Rows. */
  readonly size: number;
  /** Distinct keys. */
  readonly keys: number;
  /** Estimated bytes (from a sample of rows; for comparing and watching growth). */
  readonly memory: number;
  /** Read operations since it was made (lookups, matches, walks, ...). */
  readonly reads: number;
  /** Write operations since it was made (inserts, deletes, updates, ...). */
  readonly writes: number;
  /** `Date.now()` when it was made. */
  readonly createdAt: number;
}
