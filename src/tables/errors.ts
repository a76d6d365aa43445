/**
 * Named errors of tables. Each leaves the table as it was: an operation that
 * throws changed nothing.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { TableAccess } from "./options.ts";

/**
 * The base of every table error: `table` names the table (its name, or
 * `#Table<id>` when it has none).
 *
 * @example Catching any table error
 * ```ts
 * import { TableError } from "@beamlet/beamlet/tables";
 *
 * const safely = (fn: () => void) => {
 *   try {
 *     fn();
 *   } catch (error) {
 *     if (error instanceof TableError) console.log(error.table, error.message);
 *     else throw error;
 *   }
 * };
 * ```
 */
export class TableError extends Error {
  /** The table's name, or `#Table<id>`. */
  readonly table: string;

  /** Built by the subclasses. */
  constructor(table: string, message: string) {
    super(message);
    this.name = "TableError";
    this.table = table;
  }
}

/**
 * An operation on a table that was deleted (by `deleteTable`, or because its
 * owner exited with no live heir).
 *
 * @example
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { Table, TableDeletedError } from "@beamlet/beamlet/tables";
 *
 * const system = new System();
 * const owner = await system.start({ init: () => ok(null) });
 * const table = new Table(system, { owner });
 * table.deleteTable();
 * try {
 *   table.lookup("a");
 * } catch (error) {
 *   console.log(error instanceof TableDeletedError); // true
 * }
 * ```
 */
export class TableDeletedError extends TableError {
  /** What was asked (`"lookup"`, `"insert"`, ...). */
  readonly operation: string;

  /** Built by the table. */
  constructor(table: string, operation: string) {
    super(table, `${operation}: table ${table} has been deleted`);
    this.name = "TableDeletedError";
    this.operation = operation;
  }
}

/**
 * A process that is not the owner wrote to a `protected` or `private` table,
 * or read a `private` one.
 *
 * @example
 * ```ts
 * import { TableAccessError } from "@beamlet/beamlet/tables";
 *
 * const explain = (error: TableAccessError) =>
 *   `${error.caller} may not ${error.operation} ${error.access} table ${error.table} of ${error.owner}`;
 * ```
 */
export class TableAccessError extends TableError {
  /** What was asked. */
  readonly operation: string;
  /** The process that asked. */
  readonly caller: Pid;
  /** The table's owner. */
  readonly owner: Pid;
  /** The table's access mode. */
  readonly access: TableAccess;

  /** Built by the table. */
  constructor(table: string, operation: string, caller: Pid, owner: Pid, access: TableAccess) {
    super(
      table,
      `${operation}: ${caller} may not ${
        operation === "read" ? "read" : "do this on"
      } ${access} table ${table}, owned by ${owner}`,
    );
    this.name = "TableAccessError";
    this.operation = operation;
    this.caller = caller;
    this.owner = owner;
    this.access = access;
  }
}

/**
 * A key the table cannot use: not comparable in an `ordered_set`
 * (`reason: "not_comparable"`), or absent where the operation needs it
 * (`reason: "missing"`: `updateCounter` with no default row,
 * `lookupElement`).
 *
 * @example
 * ```ts
 * import { TableKeyError } from "@beamlet/beamlet/tables";
 *
 * const missing = (error: unknown) => error instanceof TableKeyError && error.reason === "missing";
 * ```
 */
export class TableKeyError extends TableError {
  /** Why the key was refused. */
  readonly reason: "not_comparable" | "missing";
  /** The key, as given. */
  readonly key: unknown;

  /** Built by the table. */
  constructor(table: string, reason: "not_comparable" | "missing", key: unknown, detail: string) {
    super(table, detail);
    this.name = "TableKeyError";
    this.reason = reason;
    this.key = key;
  }
}

/**
 * A row or value the operation cannot take: a row that is not an array or has
 * no element at the key position, `updateCounter` on an element that is not
 * a number, `updateElement` on the key position, a position out of range.
 *
 * @example
 * ```ts
 * import { TableValueError } from "@beamlet/beamlet/tables";
 *
 * const badRow = (error: unknown) => error instanceof TableValueError;
 * ```
 */
export class TableValueError extends TableError {
  /** What was asked. */
  readonly operation: string;

  /** Built by the table. */
  constructor(table: string, operation: string, detail: string) {
    super(table, `${operation}: ${detail}`);
    this.name = "TableValueError";
    this.operation = operation;
  }
}

/**
 * An operation the table's type does not have: `updateCounter` and
 * `updateElement` on a bag, `range` on a table that is not an
 * `ordered_set`.
 *
 * @example
 * ```ts
 * import { TableTypeError } from "@beamlet/beamlet/tables";
 *
 * const wrongType = (error: unknown) => error instanceof TableTypeError;
 * ```
 */
export class TableTypeError extends TableError {
  /** What was asked. */
  readonly operation: string;
  /** The table's type. */
  readonly type: string;

  /** Built by the table. */
  constructor(table: string, operation: string, type: string, hint: string) {
    super(table, `${operation} is not available on a ${type} table ${table}: ${hint}`);
    this.name = "TableTypeError";
    this.operation = operation;
    this.type = type;
  }
}

/**
 * A new table asked for a name another live table of the system holds.
 *
 * @example
 * ```ts
 * import { TableNameTakenError } from "@beamlet/beamlet/tables";
 *
 * const taken = (error: unknown) => error instanceof TableNameTakenError;
 * ```
 */
export class TableNameTakenError extends TableError {
  /** Built by the table. */
  constructor(name: string) {
    super(name, `a table named ${JSON.stringify(name)} already exists in this system`);
    this.name = "TableNameTakenError";
  }
}

/**
 * A table could not find its owner: made with a `System` outside any process
 * and no `owner` option, an owner (or `giveAway` receiver) that is not a live
 * process of the system, or a process that is not the owner giving the table
 * away.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { Table, TableOwnerError } from "@beamlet/beamlet/tables";
 *
 * try {
 *   new Table(new System()); // no process to own it
 * } catch (error) {
 *   console.log(error instanceof TableOwnerError); // true
 * }
 * ```
 */
export class TableOwnerError extends TableError {
  /** Built by the table. */
  constructor(table: string, detail: string) {
    super(table, detail);
    this.name = "TableOwnerError";
  }
}
