/**
 * ETS-style tables: rows (arrays, keyed by one element) held outside any
 * mailbox, owned by a process, read at the speed of a `Map`.
 *
 * @module
 */

import type { Context } from "../context.ts";
import { describeValue } from "../_inspect.ts";
import { Pid } from "../pid.ts";
import { System } from "../system.ts";
import { Life, type Process } from "../kernel/state/process.ts";
import { lookup as lookupProcess } from "../kernel/state/runtime.ts";
import { K_INFO } from "../kernel/state/envelopes.ts";
import { deliverSystem } from "../kernel/mailbox/delivery.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import { HashStore } from "./_hash_store.ts";
import { estimateTableBytes } from "./_memory_estimate.ts";
import { OrderedStore } from "./_ordered_store.ts";
import type { Entry, Store } from "./_store.ts";
import {
  directoryOf,
  existingDirectory,
  type TableDirectory,
  type TableRecord,
} from "./_table_directory.ts";
import { isComparableKey, isPlainObject, MAX_DEPTH, termEquals } from "./_terms.ts";
import {
  TableAccessError,
  TableDeletedError,
  TableKeyError,
  TableNameTakenError,
  TableOwnerError,
  TableTypeError,
  TableValueError,
} from "./errors.ts";
import { isGround, matches, type MatchPattern } from "./match.ts";
import type { TableAccess, TableOptions, TableType } from "./options.ts";
import type { TableInfo } from "./table_info.ts";
import { TableTransferMessage } from "./transfer.ts";

/**
 * One step of {@linkcode Table.updateCounter} (ETS's `{Pos, Incr, Threshold,
 * SetValue}`): add `incr` to the number at `pos`; with a `threshold`, a
 * result past it (above for `incr >= 0`, below for `incr < 0`) becomes
 * `setValue` instead.
 *
 * @example A counter that wraps from 9 back to 0
 * ```ts
 * import type { CounterUpdate } from "@beamlet/beamlet/tables";
 *
 * const wrap: CounterUpdate = { pos: 1, incr: 1, threshold: 9, setValue: 0 };
 * ```
 */
export interface CounterUpdate {
  /** The position of the number in the row. */
  readonly pos: number;
  /** What to add (negative to subtract). */
  readonly incr: number;
  /** The bound; with it, `setValue` is required. */
  readonly threshold?: number;
  /** The value a result past `threshold` becomes. */
  readonly setValue?: number;
}

/**
 * Bounds and order of {@linkcode Table.range}: keys greater than `gt` (or at
 * least `gte`) and less than `lt` (or at most `lte`), at most `limit` rows,
 * in key order or `reverse`d.
 *
 * @example The last 10 events of one device, keys `[device, time]`
 * ```ts
 * import type { RangeQuery } from "@beamlet/beamlet/tables";
 *
 * const query: RangeQuery = { gte: ["dev-7"], lt: ["dev-7", Infinity], limit: 10, reverse: true };
 * ```
 */
export interface RangeQuery {
  /** Keys strictly greater. */
  readonly gt?: unknown;
  /** Keys greater or equal. */
  readonly gte?: unknown;
  /** Keys strictly less. */
  readonly lt?: unknown;
  /** Keys less or equal. */
  readonly lte?: unknown;
  /** Rows at most (default: all). */
  readonly limit?: number;
  /** From the highest key down. */
  readonly reverse?: boolean;
}

/**
 * Several element updates of {@linkcode Table.updateElement}: `[pos, value]`
 * pairs, applied in order.
 *
 * @example
 * ```ts
 * import type { ElementUpdates } from "@beamlet/beamlet/tables";
 *
 * const updates: ElementUpdates = [[1, "away"], [2, Date.now()]];
 * ```
 */
export type ElementUpdates = readonly (readonly [number, unknown])[];

/**
 * The process a view made by `Table.as` acts for, while one of its
 * operations runs (operations are synchronous: nothing else runs meanwhile).
 */
let acting: Pid | undefined;

/** What a lookup of an absent key returns (rows are read-only either way). */
const NO_ROWS: readonly never[] = Object.freeze([]);

/** Shared by `insert` and `insertMany`: a checked, frozen copy of a row and its key. */
interface Checked<R> {
  readonly key: unknown;
  readonly row: R;
}

/**
 * A table of rows, as ETS: `set`, `ordered_set`, `bag` or `duplicate_bag`;
 * owned by a process and deleted when it exits (or handed to its `heir`);
 * `public`, `protected` or `private`; optionally named.
 *
 * A row is an array — a tuple such as `[key, value, ...]` — and its key the
 * element at `keyPos` (default 0). Rows are copied and frozen on insert,
 * arrays and plain objects all the way down (other objects — class
 * instances, `Map`s, `Date`s — are kept by reference: treat them as
 * immutable), and handed out as they are stored, without copying.
 *
 * Every operation is synchronous and atomic: no other process runs during
 * it, and one that throws changed nothing. Access is checked against the
 * process whose callback is running when the operation is made; code
 * outside any process, and the rest of an async callback after an `await`,
 * act from outside and are not checked — unless they go through
 * {@linkcode Table.as}`(ctx)` (see the `./tables` module doc).
 *
 * @example A protected cache written by its owner, read by anyone
 * ```ts
 * import { noreply, ok, System } from "@beamlet/beamlet";
 * import { Table } from "@beamlet/beamlet/tables";
 *
 * const system = new System();
 * await system.start({
 *   init: (_arg, ctx) => {
 *     const prices = new Table<[string, number]>(ctx, { name: "prices" });
 *     prices.insert(["apple", 3]);
 *     return ok(prices);
 *   },
 *   handleCast: (msg: [string, number], prices: Table<[string, number]>) => {
 *     prices.insert(msg); // only the owner may write: the table is protected
 *     return noreply(prices);
 *   },
 * }, undefined, { name: "prices" });
 *
 * const prices = Table.whereis<[string, number]>(system, "prices")!;
 * console.log(prices.get("apple")); // ["apple", 3]
 * system.cast("prices", ["pear", 5]);
 * await system.runUntilIdle();
 * console.log(prices.lookup("pear")); // [["pear", 5]]
 * ```
 */
export class Table<R extends readonly unknown[] = readonly unknown[], K = R[0]>
  implements Iterable<R> {
  /** The system whose processes own it. */
  readonly system: System;
  /** Its id, unique in the system. */
  readonly id: number;
  /** Its name, if it has one. */
  readonly name: string | undefined;
  /** Its type. */
  readonly type: TableType;
  /** Its access mode. */
  readonly access: TableAccess;
  /** Which element of a row is its key. */
  readonly keyPos: number;
  /** `Date.now()` when it was made. */
  readonly createdAt: number;

  readonly #rt: Runtime;
  readonly #directory: TableDirectory;
  readonly #record: TableRecord;
  readonly #store: Store<R>;
  readonly #ordered: OrderedStore<R> | undefined;
  /** The store when it is a hash store: a monomorphic call on the read path. */
  readonly #hash: HashStore<R> | undefined;
  readonly #bag: boolean;
  /** Reads need a closer look: the table is private, or deleted (one test on the read path). */
  #guardReads: boolean;
  readonly #label: string;
  #owner: Process;
  #heir: Pid | undefined;
  #heirData: unknown;
  #size = 0;
  #deleted = false;
  #reads = 0;
  #writes = 0;

  /**
   * Makes a table owned by the process of `ctx` (in a callback), or — given
   * a `System` — by `options.owner`, else by the process whose callback is
   * running now. Throws `TableOwnerError` when there is no live owner,
   * `TableNameTakenError` for a name in use, and `TypeError` for bad options.
   *
   * @example Made in `init`, so its owner is the server
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * await system.start({
   *   init: (_arg, ctx) => ok(new Table<[string, number]>(ctx, { type: "ordered_set", name: "scores" })),
   * });
   * console.log(Table.whereis(system, "scores")?.type); // "ordered_set"
   * ```
   */
  constructor(owner: Context | System, options: TableOptions = {}) {
    const { system, ownerPid } = ownerOf(owner, options);
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Table: options must be an object, got ${describeValue(options)}`);
    }
    const type = options.type ?? "set";
    if (type !== "set" && type !== "ordered_set" && type !== "bag" && type !== "duplicate_bag") {
      throw new TypeError(
        `Table: type must be "set", "ordered_set", "bag" or "duplicate_bag", got ${
          describeValue(type)
        }`,
      );
    }
    const access = options.access ?? "protected";
    if (access !== "public" && access !== "protected" && access !== "private") {
      throw new TypeError(
        `Table: access must be "public", "protected" or "private", got ${describeValue(access)}`,
      );
    }
    const keyPos = options.keyPos ?? 0;
    if (!Number.isSafeInteger(keyPos) || keyPos < 0) {
      throw new TypeError(`Table: keyPos must be an integer >= 0, got ${describeValue(keyPos)}`);
    }
    const name = options.name;
    if (name !== undefined && (typeof name !== "string" || name.length === 0)) {
      throw new TypeError(`Table: name must be a non-empty string, got ${describeValue(name)}`);
    }
    if (options.heir !== undefined && !(options.heir instanceof Pid)) {
      throw new TypeError(`Table: heir must be a Pid, got ${describeValue(options.heir)}`);
    }
    const directory = directoryOf(system);
    const rt = directory.rt;
    const process = liveProcess(rt, ownerPid);
    if (process === undefined) {
      throw new TableOwnerError(name ?? "(new table)", `Table: owner ${ownerPid} is not alive`);
    }
    if (name !== undefined && directory.byName(name) !== undefined) {
      throw new TableNameTakenError(name);
    }
    this.system = system;
    this.id = directory.nextId();
    this.name = name;
    this.type = type;
    this.access = access;
    this.keyPos = keyPos;
    this.createdAt = Date.now();
    this.#rt = rt;
    this.#directory = directory;
    this.#label = name ?? `#Table<${this.id}>`;
    this.#ordered = type === "ordered_set" ? new OrderedStore<R>() : undefined;
    this.#hash = this.#ordered === undefined ? new HashStore<R>() : undefined;
    this.#store = this.#ordered ?? this.#hash!;
    this.#guardReads = access === "private";
    this.#bag = type === "bag" || type === "duplicate_bag";
    this.#owner = process;
    this.#heir = options.heir;
    this.#heirData = options.heirData;
    this.#record = { table: this, name, ownerExited: () => this.#ownerExited() };
    directory.add(this.#record, process);
  }

  /**
   * The live table named `name` in `system`, if any (ETS's named tables).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * console.log(Table.whereis(new System(), "nothing")); // undefined
   * ```
   */
  static whereis<R extends readonly unknown[] = readonly unknown[], K = R[0]>(
    system: System,
    name: string,
  ): Table<R, K> | undefined {
    if (!(system instanceof System)) {
      throw new TypeError(`Table.whereis: expected a System, got ${describeValue(system)}`);
    }
    return existingDirectory(system)?.byName(name)?.table as Table<R, K> | undefined;
  }

  /**
   * The live tables of `system`, oldest first (ETS's `:ets.all/0`).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * console.log(Table.list(new System()).length); // 0
   * ```
   */
  static list(system: System): Table[] {
    if (!(system instanceof System)) {
      throw new TypeError(`Table.list: expected a System, got ${describeValue(system)}`);
    }
    return (existingDirectory(system)?.list() ?? []) as Table[];
  }

  /** Its owner (a heir or a `giveAway` receiver once it has been handed over). */
  get owner(): Pid {
    return this.#owner.pid;
  }

  /** Its heir, if any. */
  get heir(): Pid | undefined {
    return this.#heir;
  }

  /** Rows it holds (0 once deleted). */
  get size(): number {
    return this.#size;
  }

  /** Whether it has been deleted. */
  get deleted(): boolean {
    return this.#deleted;
  }

  /**
   * Inserts `row`, replacing the row with its key in a `set` / `ordered_set`;
   * a `bag` keeps one copy of identical rows, a `duplicate_bag` all of them.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * table.insert(["a", 1]);
   * table.insert(["a", 2]);
   * console.log(table.lookup("a")); // [["a", 2]]
   * ```
   */
  insert(row: R): void {
    this.#canWrite("insert");
    const checked = this.#checkRow("insert", row);
    this.#put(checked.key, checked.row);
  }

  /**
   * Inserts every row of `rows`, atomically: all are checked before any is
   * inserted.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * table.insertMany([["a", 1], ["b", 2]]);
   * console.log(table.size); // 2
   * ```
   */
  insertMany(rows: readonly R[]): void {
    this.#canWrite("insertMany");
    const checked = this.#checkRows("insertMany", rows);
    for (const { key, row } of checked) this.#put(key, row);
  }

  /**
   * Inserts `row` only if its key is absent: whether it did.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * console.log(table.insertNew(["a", 1]), table.insertNew(["a", 2])); // true false
   * ```
   */
  insertNew(row: R): boolean {
    this.#canWrite("insertNew");
    const checked = this.#checkRow("insertNew", row);
    if (this.#store.find(checked.key) !== undefined) return false;
    this.#put(checked.key, checked.row);
    return true;
  }

  /**
   * Inserts every row of `rows` only if none of their keys is present: whether
   * it did (all or nothing).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * table.insert(["b", 0]);
   * console.log(table.insertNewMany([["a", 1], ["b", 2]]), table.size); // false 1
   * ```
   */
  insertNewMany(rows: readonly R[]): boolean {
    this.#canWrite("insertNewMany");
    const checked = this.#checkRows("insertNewMany", rows);
    for (const { key } of checked) if (this.#store.find(key) !== undefined) return false;
    for (const { key, row } of checked) this.#put(key, row);
    return true;
  }

  /**
   * The rows under `key` (`[]` if none; at most one in a set type), as a
   * frozen array the table hands out without copying.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const rooms = new Table<[string, string]>(system, { owner, type: "bag" });
   * rooms.insertMany([["lobby", "ada"], ["lobby", "bob"]]);
   * console.log(rooms.lookup("lobby").length); // 2
   * ```
   */
  lookup(key: K): readonly R[] {
    if (this.#guardReads) this.#canRead("lookup");
    else this.#reads++;
    const hash = this.#hash;
    const entry = hash !== undefined ? hash.find(key) : this.#find("lookup", key);
    return entry === undefined ? NO_ROWS : entry.rows;
  }

  /**
   * The first row under `key`, if any: in a set type, its row.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * table.insert(["a", 1]);
   * console.log(table.get("a")?.[1], table.get("b")); // 1 undefined
   * ```
   */
  get(key: K): R | undefined {
    if (this.#guardReads) this.#canRead("get");
    else this.#reads++;
    const hash = this.#hash;
    return (hash !== undefined ? hash.find(key) : this.#find("get", key))?.rows[0];
  }

  /**
   * The element at `pos` of the row under `key` (a set type); a
   * `TableKeyError` if there is none.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number, string]>(system, { owner });
   * table.insert(["a", 1, "x"]);
   * console.log(table.lookupElement("a", 2)); // "x"
   * ```
   */
  lookupElement<P extends number>(key: K, pos: P): R[P] {
    this.#canRead("lookupElement");
    this.#noBag("lookupElement", "use lookup(key).map((row) => row[pos])");
    const entry = this.#find("lookupElement", key);
    if (entry === undefined) throw this.#missing("lookupElement", key);
    const row = entry.rows[0];
    this.#checkPos("lookupElement", pos, row, false);
    return row[pos] as R[P];
  }

  /**
   * Whether a row has `key`.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[number]>(system, { owner });
   * table.insert([7]);
   * console.log(table.member(7), table.member(8)); // true false
   * ```
   */
  member(key: K): boolean {
    if (this.#guardReads) this.#canRead("member");
    else this.#reads++;
    const hash = this.#hash;
    return (hash !== undefined ? hash.find(key) : this.#find("member", key)) !== undefined;
  }

  /**
   * Deletes every row under `key`.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * table.insert(["a", 1]);
   * table.delete("a");
   * console.log(table.size); // 0
   * ```
   */
  delete(key: K): void {
    this.#canWrite("delete");
    const entry = this.#find("delete", key);
    if (entry === undefined) return;
    this.#size -= entry.rows.length;
    this.#store.remove(entry.key);
  }

  /**
   * Deletes the rows equal to `row` (compared structurally): in a
   * `duplicate_bag`, every copy.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const rooms = new Table<[string, string]>(system, { owner, type: "bag" });
   * rooms.insertMany([["lobby", "ada"], ["lobby", "bob"]]);
   * rooms.deleteObject(["lobby", "ada"]);
   * console.log(rooms.lookup("lobby")); // [["lobby", "bob"]]
   * ```
   */
  deleteObject(row: R): void {
    this.#canWrite("deleteObject");
    const { key } = this.#checkRow("deleteObject", row, false);
    const entry = this.#store.find(key);
    if (entry === undefined) return;
    const kept = entry.rows.filter((stored) => !termEquals(stored, row));
    if (kept.length === entry.rows.length) return;
    this.#size -= entry.rows.length - kept.length;
    if (kept.length === 0) this.#store.remove(entry.key);
    else entry.rows = Object.freeze(kept);
  }

  /**
   * Deletes and returns the rows under `key`.
   *
   * @example A one-shot token
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const tokens = new Table<[string, string]>(system, { owner });
   * tokens.insert(["t-1", "ada"]);
   * console.log(tokens.take("t-1"), tokens.take("t-1")); // [["t-1", "ada"]] []
   * ```
   */
  take(key: K): readonly R[] {
    this.#canWrite("take");
    const entry = this.#find("take", key);
    if (entry === undefined) return NO_ROWS;
    const rows = entry.rows;
    this.#size -= rows.length;
    this.#store.remove(entry.key);
    return rows;
  }

  /**
   * Adds to the numbers of the row under `key` (a set type) and returns the
   * results, as ETS's `update_counter`: `incr` alone updates the element
   * after the key; a {@linkcode CounterUpdate} (or several, applied in order,
   * atomically) names positions and bounds. With no row under `key`,
   * `defaultRow` (its key replaced by `key`) is inserted first, else a
   * `TableKeyError`. A `TableValueError` if an element is not a number.
   *
   * @example Rate-limit counters
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const hits = new Table<[string, number]>(system, { owner, access: "public" });
   * hits.updateCounter("ada", 1, ["ada", 0]);
   * console.log(hits.updateCounter("ada", 1, ["ada", 0])); // 2
   * console.log(hits.updateCounter("ada", { pos: 1, incr: 5, threshold: 5, setValue: 5 })); // 5
   * ```
   */
  updateCounter(key: K, incr: number | CounterUpdate, defaultRow?: R): number;
  /** Several updates of one row, applied in order: their results. */
  updateCounter(key: K, updates: readonly CounterUpdate[], defaultRow?: R): number[];
  updateCounter(
    key: K,
    update: number | CounterUpdate | readonly CounterUpdate[],
    defaultRow?: R,
  ): number | number[] {
    const op = "updateCounter";
    this.#canWrite(op);
    this.#noBag(op, "counters need one row per key");
    const updates = counterUpdates(this.#label, update, this.keyPos);
    let entry = this.#find(op, key);
    let base: readonly unknown[];
    if (entry !== undefined) {
      base = entry.rows[0];
    } else if (defaultRow !== undefined) {
      if (!Array.isArray(defaultRow)) {
        throw new TableValueError(
          this.#label,
          op,
          `defaultRow must be an array, got ${describeValue(defaultRow)}`,
        );
      }
      const copy = (this.#copy(op, defaultRow) as unknown[]).slice();
      this.#checkPos(op, this.keyPos, copy, false);
      copy[this.keyPos] = this.#copy(op, key);
      base = copy;
    } else {
      throw this.#missing(op, key);
    }
    const row = base.slice();
    const results: number[] = [];
    for (const { pos, incr, threshold, setValue } of updates) {
      this.#checkPos(op, pos, row, true);
      const current = row[pos];
      if (typeof current !== "number") {
        throw new TableValueError(
          this.#label,
          op,
          `element ${pos} of the row under ${describeValue(key)} is ${
            describeValue(current)
          }, not a number`,
        );
      }
      let value = current + incr;
      if (threshold !== undefined && (incr >= 0 ? value > threshold : value < threshold)) {
        value = setValue!;
      }
      row[pos] = value;
      results.push(value);
    }
    const frozen = Object.freeze(row) as unknown as R;
    if (entry === undefined) {
      entry = this.#store.add(key, Object.freeze([frozen]));
      this.#size++;
    } else {
      entry.rows = Object.freeze([frozen]);
    }
    return Array.isArray(update) ? results : results[0];
  }

  /**
   * Replaces elements of the row under `key` (a set type): `pos` and
   * `value`, or `[pos, value]` pairs. Whether there was a row; the key's
   * own position cannot change (`TableValueError`).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const users = new Table<[string, string, number]>(system, { owner });
   * users.insert(["ada", "online", 1]);
   * users.updateElement("ada", [[1, "away"], [2, 2]]);
   * console.log(users.get("ada")); // ["ada", "away", 2]
   * ```
   */
  updateElement<P extends number>(key: K, pos: P, value: R[P]): boolean;
  /** Several positions at once. */
  updateElement(key: K, updates: ElementUpdates): boolean;
  updateElement(key: K, posOrUpdates: number | ElementUpdates, value?: unknown): boolean {
    const op = "updateElement";
    this.#canWrite(op);
    this.#noBag(op, "use deleteObject and insert");
    let updates: ElementUpdates;
    if (typeof posOrUpdates === "number") {
      updates = [[posOrUpdates, value]];
    } else if (Array.isArray(posOrUpdates)) {
      for (const pair of posOrUpdates) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new TableValueError(
            this.#label,
            op,
            `each update must be a [pos, value] pair, got ${describeValue(pair)}`,
          );
        }
      }
      updates = posOrUpdates;
    } else {
      throw new TableValueError(
        this.#label,
        op,
        `expected a position or [pos, value] pairs, got ${describeValue(posOrUpdates)}`,
      );
    }
    const entry = this.#find(op, key);
    if (entry === undefined) return false;
    const row = entry.rows[0].slice();
    for (const [pos, element] of updates) {
      this.#checkPos(op, pos, row, true);
      row[pos] = this.#copy(op, element);
    }
    entry.rows = Object.freeze([Object.freeze(row) as unknown as R]);
    return true;
  }

  /**
   * The rows that match `pattern` ({@linkcode ANY} matches any element; see
   * `MatchPattern`). A pattern whose key element has no wildcard reads only
   * that key's rows.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { ANY, Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const orders = new Table<[number, string, string]>(system, { owner });
   * orders.insertMany([[1, "ada", "open"], [2, "bob", "open"], [3, "ada", "paid"]]);
   * console.log(orders.match([ANY, "ada", ANY]).length); // 2
   * ```
   */
  match(pattern: MatchPattern<R>): R[] {
    this.#canRead("match");
    if (!Array.isArray(pattern)) {
      throw new TableValueError(
        this.#label,
        "match",
        `a pattern must be an array, got ${describeValue(pattern)}`,
      );
    }
    const out: R[] = [];
    const keyPattern = (pattern as readonly unknown[])[this.keyPos];
    if (pattern.length > this.keyPos && isGround(keyPattern)) {
      if (this.#ordered !== undefined && !isComparableKey(keyPattern)) return out;
      const entry = this.#store.find(keyPattern);
      if (entry !== undefined) {
        for (const row of entry.rows) if (matches(pattern, row)) out.push(row);
      }
      return out;
    }
    for (const entry of this.#store.entries()) {
      for (const row of entry.rows) if (matches(pattern, row)) out.push(row);
    }
    return out;
  }

  /**
   * The rows for which `predicate` holds, in table order — or what `project`
   * makes of each (ETS's `select` with a match specification's guard and
   * body as functions).
   *
   * @example Names of the users over 30
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const users = new Table<[string, number]>(system, { owner });
   * users.insertMany([["ada", 36], ["bob", 25]]);
   * console.log(users.select(([, age]) => age > 30, ([name]) => name)); // ["ada"]
   * ```
   */
  select(predicate: (row: R) => boolean): R[];
  /** With a projection. */
  select<T>(predicate: (row: R) => boolean, project: (row: R) => T): T[];
  select<T>(predicate: (row: R) => boolean, project?: (row: R) => T): (R | T)[] {
    this.#canRead("select");
    checkFunction(this.#label, "select", predicate);
    if (project !== undefined) checkFunction(this.#label, "select", project);
    const out: (R | T)[] = [];
    for (const row of this.#snapshot()) {
      if (predicate(row)) out.push(project === undefined ? row : project(row));
    }
    return out;
  }

  /**
   * How many rows satisfy `predicate`.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const users = new Table<[string, number]>(system, { owner });
   * users.insertMany([["ada", 36], ["bob", 25]]);
   * console.log(users.selectCount(([, age]) => age > 30)); // 1
   * ```
   */
  selectCount(predicate: (row: R) => boolean): number {
    this.#canRead("selectCount");
    checkFunction(this.#label, "selectCount", predicate);
    let count = 0;
    for (const row of this.#snapshot()) if (predicate(row)) count++;
    return count;
  }

  /**
   * Deletes the rows that satisfy `predicate`: how many. The predicate sees
   * every row as it was before the first deletion.
   *
   * @example Expiring sessions
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const sessions = new Table<[string, number]>(system, { owner });
   * sessions.insertMany([["s1", 100], ["s2", 900]]);
   * console.log(sessions.selectDelete(([, expires]) => expires < 500)); // 1
   * ```
   */
  selectDelete(predicate: (row: R) => boolean): number {
    this.#canWrite("selectDelete");
    checkFunction(this.#label, "selectDelete", predicate);
    const doomed: Array<readonly [Entry<R>, R[]]> = [];
    for (const entry of this.#store.entries()) {
      const kept = entry.rows.filter((row) => !predicate(row));
      if (kept.length !== entry.rows.length) doomed.push([entry, kept]);
    }
    let deleted = 0;
    for (const [entry, kept] of doomed) {
      deleted += entry.rows.length - kept.length;
      if (kept.length === 0) this.#store.remove(entry.key);
      else entry.rows = Object.freeze(kept);
    }
    this.#size -= deleted;
    return deleted;
  }

  /**
   * The rows of an `ordered_set` whose keys lie within the bounds, in key
   * order (or reversed), at most `limit`.
   *
   * @example Readings of one sensor between two times, keys `[sensor, time]`
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const readings = new Table<[[string, number], number]>(system, { owner, type: "ordered_set" });
   * readings.insertMany([[["s1", 10], 20.5], [["s1", 20], 21], [["s2", 15], 19]]);
   * console.log(readings.range({ gte: ["s1", 0], lt: ["s1", 15] }).length); // 1
   * ```
   */
  range(query: RangeQuery = {}): R[] {
    const op = "range";
    this.#canRead(op);
    const ordered = this.#ordered;
    if (ordered === undefined) {
      throw new TableTypeError(this.#label, op, this.type, "use select, or an ordered_set");
    }
    if (typeof query !== "object" || query === null) {
      throw new TableValueError(
        this.#label,
        op,
        `expected a query object, got ${describeValue(query)}`,
      );
    }
    for (const bound of [query.gt, query.gte, query.lt, query.lte]) {
      if (bound !== undefined) this.#checkKey(op, bound);
    }
    const limit = query.limit ?? Infinity;
    if (typeof limit !== "number" || !(limit >= 0)) {
      throw new TableValueError(
        this.#label,
        op,
        `limit must be a number >= 0, got ${describeValue(limit)}`,
      );
    }
    const out: R[] = [];
    for (const entry of ordered.range(query, limit, query.reverse === true)) {
      out.push(...entry.rows);
    }
    return out;
  }

  /**
   * The first key in table order (`undefined`: the table is empty): the
   * lowest key of an `ordered_set`; otherwise the order in which keys first
   * came. With {@linkcode Table.next}, a walk that stays valid while the
   * table changes.
   *
   * @example Walking a table
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[number]>(system, { owner, type: "ordered_set" });
   * table.insertMany([[3], [1], [2]]);
   * const keys: number[] = [];
   * for (let key = table.first(); key !== undefined; key = table.next(key)) keys.push(key);
   * console.log(keys); // [1, 2, 3]
   * ```
   */
  first(): K | undefined {
    this.#canRead("first");
    return this.#store.first()?.key as K | undefined;
  }

  /**
   * The key after `key` in table order (`undefined` at the end). In an
   * `ordered_set`, the smallest key greater than `key`, present or not; in
   * the other types, `key` may have been deleted since the walk reached it,
   * but a `TableKeyError` (`"missing"`) tells that the table never had it or
   * has forgotten it (after many more deletions).
   *
   * @example See {@linkcode Table.first}.
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[number]>(system, { owner, type: "ordered_set" });
   * table.insertMany([[10], [20]]);
   * console.log(table.next(15)); // 20
   * ```
   */
  next(key: K): K | undefined {
    this.#canRead("next");
    this.#checkKey("next", key);
    const entry = this.#store.next(key);
    if (entry === null) throw this.#missing("next", key);
    return entry?.key as K | undefined;
  }

  /**
   * The last key in table order (`undefined`: the table is empty).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[number]>(system, { owner, type: "ordered_set" });
   * table.insertMany([[3], [1]]);
   * console.log(table.last()); // 3
   * ```
   */
  last(): K | undefined {
    this.#canRead("last");
    return this.#store.last()?.key as K | undefined;
  }

  /**
   * The key before `key` in table order (`undefined` at the start); as
   * {@linkcode Table.next}, backwards.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[number]>(system, { owner, type: "ordered_set" });
   * table.insertMany([[10], [20]]);
   * console.log(table.prev(15)); // 10
   * ```
   */
  prev(key: K): K | undefined {
    this.#canRead("prev");
    this.#checkKey("prev", key);
    const entry = this.#store.prev(key);
    if (entry === null) throw this.#missing("prev", key);
    return entry?.key as K | undefined;
  }

  /**
   * Every row, in table order (ETS's `tab2list`).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner, type: "ordered_set" });
   * table.insertMany([["b", 2], ["a", 1]]);
   * console.log(table.toArray()); // [["a", 1], ["b", 2]]
   * ```
   */
  toArray(): R[] {
    this.#canRead("toArray");
    return this.#snapshot();
  }

  /**
   * Every row, in table order, read as the loop goes (rows inserted or
   * deleted meanwhile may or may not be seen; none is seen twice).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * table.insertMany([["a", 1], ["b", 2]]);
   * let total = 0;
   * for (const [, n] of table) total += n;
   * console.log(total); // 3
   * ```
   */
  [Symbol.iterator](): IterableIterator<R> {
    this.#canRead("iterate"); // now, not at the first step
    return this.#rows();
  }

  *#rows(): IterableIterator<R> {
    for (const entry of this.#store.entries()) yield* entry.rows;
  }

  /**
   * The table's description and counters: size, estimated memory, owner,
   * reads and writes (works on a deleted table too: size 0).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner, name: "hits" });
   * table.insert(["a", 1]);
   * const { size, memory, writes } = table.info();
   * console.log(size, memory > 0, writes); // 1 true 1
   * ```
   */
  info(): TableInfo {
    return {
      id: this.id,
      name: this.name,
      type: this.type,
      access: this.access,
      keyPos: this.keyPos,
      owner: this.#owner.pid,
      heir: this.#heir,
      size: this.#size,
      keys: this.#store.keyCount,
      memory: estimateTableBytes(this.#store.keyCount, this.#size, this.#sampleRows()),
      reads: this.#reads,
      writes: this.#writes,
      createdAt: this.createdAt,
    };
  }

  /**
   * Deletes every row; the table stays. It also forgets every key, so a
   * walk in progress over a hash type ends in a `TableKeyError` from `next`
   * (an `ordered_set` walk just finds no next key).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table<[string, number]>(system, { owner });
   * table.insert(["a", 1]);
   * table.deleteAll();
   * console.log(table.size, table.deleted); // 0 false
   * ```
   */
  deleteAll(): void {
    this.#canWrite("deleteAll");
    this.#store.clear();
    this.#size = 0;
  }

  /**
   * Hands the table to `pid`, which receives a {@linkcode TableTransferMessage}
   * with `data` (ETS's `give_away`). Only the owner may (or code outside any
   * process); `pid` must be a live process other than the owner.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const a = await system.start({ init: () => ok(null) });
   * const b = await system.start({ init: () => ok(null) });
   * const table = new Table(system, { owner: a });
   * table.giveAway(b, "yours now");
   * console.log(table.owner === b); // true
   * ```
   */
  giveAway(pid: Pid, data?: unknown): void {
    const op = "giveAway";
    this.#checkOwner(op);
    if (!(pid instanceof Pid)) {
      throw new TypeError(`Table.giveAway: expected a Pid, got ${describeValue(pid)}`);
    }
    const receiver = liveProcess(this.#rt, pid);
    if (receiver === undefined) {
      throw new TableOwnerError(this.#label, `giveAway: ${pid} is not a live process`);
    }
    if (receiver === this.#owner) {
      throw new TableOwnerError(this.#label, `giveAway: ${pid} already owns ${this.#label}`);
    }
    this.#transfer(receiver, data);
  }

  /**
   * Sets (or, with `undefined`, removes) the heir, and what it receives.
   * Only the owner may (or code outside any process).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const backup = await system.start({ init: () => ok(null) });
   * const table = new Table(system, { owner });
   * table.setHeir(backup, { reason: "failover" });
   * console.log(table.heir === backup); // true
   * ```
   */
  setHeir(pid: Pid | undefined, data?: unknown): void {
    this.#checkOwner("setHeir");
    if (pid !== undefined && !(pid instanceof Pid)) {
      throw new TypeError(`Table.setHeir: expected a Pid or undefined, got ${describeValue(pid)}`);
    }
    this.#heir = pid;
    this.#heirData = pid === undefined ? undefined : data;
  }

  /**
   * Deletes the table (ETS's `delete/1`); its name is free again. Only the
   * owner may (or code outside any process); deleting twice is a no-op.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import { Table } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const table = new Table(system, { owner, name: "scratch" });
   * table.deleteTable();
   * console.log(table.deleted, Table.whereis(system, "scratch")); // true undefined
   * ```
   */
  deleteTable(): void {
    if (this.#deleted) return;
    this.#checkOwner("deleteTable");
    this.#delete();
  }

  /**
   * This table as the process of `ctx` uses it: every operation through the
   * view is checked against that process, wherever the code runs — in
   * particular after an `await` in an async callback, where the table
   * otherwise sees no process (JavaScript keeps no `self()` across an
   * `await`) and checks nothing. Same rows, same counters: only the caller
   * differs.
   *
   * @example Access stays checked after an await
   * ```ts
   * import { ok, reply, System } from "@beamlet/beamlet";
   * import { Table, TableAccessError } from "@beamlet/beamlet/tables";
   *
   * const system = new System();
   * const owner = await system.start({ init: () => ok(null) });
   * const prices = new Table<[string, number]>(system, { owner, name: "prices" });
   * const other = await system.start({
   *   init: () => ok(null),
   *   handleCall: async (_req: "write", _from, state: null, ctx) => {
   *     await Promise.resolve();
   *     try {
   *       prices.as(ctx).insert(["apple", 0]);
   *       return reply("written", state);
   *     } catch (error) {
   *       return reply(error instanceof TableAccessError ? "refused" : "?", state);
   *     }
   *   },
   * });
   * console.log(await system.call(other, "write")); // "refused"
   * ```
   */
  as(ctx: Context): Table<R, K> {
    if (
      typeof ctx !== "object" || ctx === null || !(ctx.self instanceof Pid) ||
      ctx.system !== this.system
    ) {
      throw new TypeError(
        `Table.as: expected the Context of a process of this table's system, got ${
          describeValue(ctx)
        }`,
      );
    }
    const self = ctx.self;
    return new Proxy(this, {
      get(table, property) {
        const value = Reflect.get(table, property, table);
        if (typeof value !== "function" || property === "constructor") return value;
        return (...args: unknown[]) => {
          const previous = acting;
          acting = self;
          try {
            return value.apply(table, args);
          } finally {
            acting = previous;
          }
        };
      },
    });
  }

  /** How this table is shown: its name or `#Table<id>`. */
  toString(): string {
    return this.#label;
  }

  // ---- internals -----------------------------------------------------------

  #canRead(op: string): void {
    if (this.#deleted) throw new TableDeletedError(this.#label, op);
    if (this.access === "private") this.#checkCaller(op);
    this.#reads++;
  }

  #canWrite(op: string): void {
    if (this.#deleted) throw new TableDeletedError(this.#label, op);
    if (this.access !== "public") this.#checkCaller(op);
    this.#writes++;
  }

  /** Only the owner, or code outside any process. */
  #checkOwner(op: string): void {
    if (this.#deleted) throw new TableDeletedError(this.#label, op);
    this.#checkCaller(op);
  }

  /**
   * The caller is the owner or outside any process: the process a view made
   * by `as` acts for, else the process whose callback runs now.
   */
  #checkCaller(op: string): void {
    const owner = this.#owner.pid;
    if (acting !== undefined) {
      if (!acting.equals(owner)) {
        throw new TableAccessError(this.#label, op, acting, owner, this.access);
      }
      return;
    }
    const current = this.#rt.current;
    if (current !== undefined && current !== this.#owner) {
      throw new TableAccessError(this.#label, op, current.pid, owner, this.access);
    }
  }

  #missing(op: string, key: unknown): TableKeyError {
    return new TableKeyError(
      this.#label,
      "missing",
      key,
      `${op}: no row with key ${describeValue(key)} in table ${this.#label}`,
    );
  }

  /** An `ordered_set` takes comparable keys only. */
  #checkKey(op: string, key: unknown): void {
    if (this.#ordered !== undefined && !isComparableKey(key)) {
      throw new TableKeyError(
        this.#label,
        "not_comparable",
        key,
        `${op}: ${
          describeValue(key)
        } is not a key of an ordered_set (numbers, strings, arrays of those)`,
      );
    }
  }

  /** The entry of `key`, its comparability checked. */
  #find(op: string, key: unknown): Entry<R> | undefined {
    if (this.#ordered !== undefined) this.#checkKey(op, key);
    return this.#store.find(key);
  }

  #noBag(op: string, hint: string): void {
    if (this.#bag) throw new TableTypeError(this.#label, op, this.type, hint);
  }

  /** `pos` is an element of `row` (and, when `write`, not its key). */
  #checkPos(op: string, pos: unknown, row: readonly unknown[], write: boolean): void {
    if (typeof pos !== "number" || !Number.isInteger(pos) || pos < 0 || pos >= row.length) {
      throw new TableValueError(
        this.#label,
        op,
        `position ${describeValue(pos)} is not an element of a row of ${row.length}`,
      );
    }
    if (write && pos === this.keyPos) {
      throw new TableValueError(this.#label, op, `position ${pos} is the key; it cannot change`);
    }
  }

  /** A row checked (an array with a key), copied and frozen (unless `copy` is false). */
  #checkRow(op: string, row: unknown, copy = true): Checked<R> {
    if (!Array.isArray(row)) {
      throw new TableValueError(
        this.#label,
        op,
        `a row must be an array, got ${describeValue(row)}`,
      );
    }
    if (row.length <= this.keyPos) {
      throw new TableValueError(
        this.#label,
        op,
        `a row needs an element at the key position ${this.keyPos}; it has ${row.length}`,
      );
    }
    const key = row[this.keyPos];
    this.#checkKey(op, key);
    if (!copy) return { key, row: row as unknown as R };
    // Copied all the way down (arrays and plain objects), so neither the
    // caller changing what it inserted nor a reader changing what it got
    // can change the table — a composite key least of all.
    const stored = this.#copy(op, row) as unknown as R;
    return { key: stored[this.keyPos], row: stored };
  }

  /** `frozenCopy`, a cycle told as a `TableValueError`. */
  #copy(op: string, value: unknown): unknown {
    try {
      return frozenCopy(value);
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error;
      throw new TableValueError(
        this.#label,
        op,
        `a row may nest arrays and objects ${MAX_DEPTH} deep at most (does it hold a cycle?)`,
      );
    }
  }

  #checkRows(op: string, rows: unknown): Checked<R>[] {
    if (!Array.isArray(rows)) {
      throw new TableValueError(
        this.#label,
        op,
        `expected an array of rows, got ${describeValue(rows)}`,
      );
    }
    return rows.map((row) => this.#checkRow(op, row));
  }

  /** Stores a checked row under `key`, by the table's type. */
  #put(key: unknown, row: R): void {
    const entry = this.#store.find(key);
    if (entry === undefined) {
      this.#store.add(key, Object.freeze([row]));
      this.#size++;
    } else if (!this.#bag) {
      entry.rows = Object.freeze([row]);
    } else if (this.type === "duplicate_bag" || !entry.rows.some((kept) => termEquals(kept, row))) {
      entry.rows = Object.freeze([...entry.rows, row]);
      this.#size++;
    }
  }

  /** Every row, read now. */
  #snapshot(): R[] {
    const rows: R[] = [];
    for (const entry of this.#store.entries()) for (const row of entry.rows) rows.push(row);
    return rows;
  }

  *#sampleRows(): IterableIterator<R> {
    for (const entry of this.#store.entries()) yield* entry.rows;
  }

  /** Hands the table to `receiver` and tells it. */
  #transfer(receiver: Process, data: unknown): void {
    const from = this.#owner;
    this.#directory.disown(this.#record, from);
    this.#directory.own(this.#record, receiver);
    this.#owner = receiver;
    // A runtime message, as DOWN and EXIT are: a full mailbox holds it back
    // rather than refuse it, so no owner ever misses that it got a table.
    deliverSystem(this.#rt, receiver, K_INFO, new TableTransferMessage(this, from.pid, data));
  }

  /** Inside the owner's exit: to the heir, or deleted. */
  #ownerExited(): void {
    const heir = this.#heir === undefined ? undefined : liveProcess(this.#rt, this.#heir);
    if (heir === undefined || heir === this.#owner) {
      this.#delete();
      return;
    }
    const data = this.#heirData;
    this.#heir = undefined;
    this.#heirData = undefined;
    this.#transfer(heir, data);
  }

  #delete(): void {
    this.#deleted = true;
    this.#guardReads = true;
    this.#directory.remove(this.#record, this.#owner);
    this.#store.clear();
    this.#size = 0;
  }
}

/** The system and owner pid a new table gets from its first argument and options. */
function ownerOf(owner: unknown, options: TableOptions): { system: System; ownerPid: Pid } {
  if (owner instanceof System) {
    if (options?.owner !== undefined) {
      if (!(options.owner instanceof Pid)) {
        throw new TypeError(`Table: owner must be a Pid, got ${describeValue(options.owner)}`);
      }
      return { system: owner, ownerPid: options.owner };
    }
    const current = directoryOf(owner).rt.current;
    if (current === undefined) {
      throw new TableOwnerError(
        options?.name ?? "(new table)",
        "Table: a table needs an owner process: make it with a process's ctx, inside a callback, or pass { owner }",
      );
    }
    return { system: owner, ownerPid: current.pid };
  }
  if (
    typeof owner === "object" && owner !== null && "self" in owner && "system" in owner &&
    owner.system instanceof System && owner.self instanceof Pid
  ) {
    return { system: owner.system, ownerPid: owner.self };
  }
  throw new TypeError(
    `Table: expected a process's Context or a System, got ${describeValue(owner)}`,
  );
}

/** A row (or key) that nests deeper than `MAX_DEPTH`: a cycle, most likely. */
class TooDeep extends Error {}

/** A deep, frozen copy of the arrays and plain objects in `value` (pids and other objects as they are). */
function frozenCopy(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = frozenCopy(value[i], depth + 1);
    return Object.freeze(copy);
  }
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = Object.getPrototypeOf(value) === null
    ? Object.create(null)
    : {};
  for (const [name, element] of Object.entries(value)) copy[name] = frozenCopy(element, depth + 1);
  return Object.freeze(copy);
}

/** The live process behind `pid` in `rt`. */
function liveProcess(rt: Runtime, pid: Pid): Process | undefined {
  const process = lookupProcess(rt, pid);
  return process === undefined || process.life === Life.Dead ? undefined : process;
}

/** The updates of an `updateCounter`, checked. */
function counterUpdates(
  label: string,
  update: unknown,
  keyPos: number,
): readonly CounterUpdate[] {
  const op = "updateCounter";
  if (typeof update === "number") return [checkUpdate(label, { pos: keyPos + 1, incr: update })];
  if (Array.isArray(update)) return update.map((one) => checkUpdate(label, one));
  if (typeof update === "object" && update !== null) return [checkUpdate(label, update)];
  throw new TableValueError(
    label,
    op,
    `expected a number or { pos, incr }, got ${describeValue(update)}`,
  );
}

function checkUpdate(label: string, update: unknown): CounterUpdate {
  const op = "updateCounter";
  if (typeof update !== "object" || update === null) {
    throw new TableValueError(label, op, `expected { pos, incr }, got ${describeValue(update)}`);
  }
  const { incr, threshold, setValue } = update as CounterUpdate;
  if (typeof incr !== "number" || !Number.isFinite(incr)) {
    throw new TableValueError(
      label,
      op,
      `incr must be a finite number, got ${describeValue(incr)}`,
    );
  }
  if (threshold !== undefined || setValue !== undefined) {
    if (typeof threshold !== "number" || typeof setValue !== "number") {
      throw new TableValueError(label, op, `threshold and setValue go together, both numbers`);
    }
  }
  return update as CounterUpdate;
}

function checkFunction(label: string, op: string, fn: unknown): void {
  if (typeof fn !== "function") {
    throw new TableValueError(label, op, `expected a function, got ${describeValue(fn)}`);
  }
}
