/**
 * The options of a {@linkcode Table}: its type, access, key position, name
 * and heir.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/**
 * How a table holds rows, as ETS's table types:
 * - `"set"`: one row per key, in a hash table (the default);
 * - `"ordered_set"`: one row per key, kept sorted by key (range queries,
 *   `first` / `next` in key order);
 * - `"bag"`: any number of rows per key, but no two identical rows;
 * - `"duplicate_bag"`: any number of rows per key, identical ones included.
 *
 * @example
 * ```ts
 * import type { TableType } from "@beamlet/beamlet/tables";
 *
 * const type: TableType = "ordered_set";
 * ```
 */
export type TableType = "set" | "ordered_set" | "bag" | "duplicate_bag";

/**
 * Who may read and write a table, as ETS's access modes:
 * - `"public"`: every process reads and writes;
 * - `"protected"`: every process reads, only the owner writes (the default);
 * - `"private"`: only the owner reads and writes.
 *
 * The check applies when the caller is a process whose callback is running
 * (see the `./tables` module doc for what counts as the caller).
 *
 * @example
 * ```ts
 * import type { TableAccess } from "@beamlet/beamlet/tables";
 *
 * const access: TableAccess = "private";
 * ```
 */
export type TableAccess = "public" | "protected" | "private";

/**
 * Options of a new {@linkcode Table}.
 *
 * @example A named, public counter table
 * ```ts
 * import type { TableOptions } from "@beamlet/beamlet/tables";
 *
 * const options: TableOptions = { name: "hits", access: "public", type: "set" };
 * ```
 */
export interface TableOptions {
  /** `"set"` (default), `"ordered_set"`, `"bag"` or `"duplicate_bag"`. */
  readonly type?: TableType;
  /** `"protected"` (default), `"public"` or `"private"`. */
  readonly access?: TableAccess;
  /** Which element of a row is its key (default 0: rows are `[key, ...values]`). */
  readonly keyPos?: number;
  /**
   * A name, unique among the live tables of the system: `Table.whereis(system,
   * name)` finds the table, and telemetry, `/metrics` and the dashboard show it.
   */
  readonly name?: string;
  /** Who receives the table when its owner exits (else the table is deleted). */
  readonly heir?: Pid;
  /** What the heir receives with the table (`TableTransferMessage.data`). */
  readonly heirData?: unknown;
  /**
   * The owner, when the table is made with a `System` outside any process;
   * ignored when it is made with a process's `Context`.
   */
  readonly owner?: Pid;
}
