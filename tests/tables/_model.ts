/**
 * A plain, Map-based model of one table (private: not a test file), written
 * from the spec and ETS's documented semantics, sharing no code with
 * `src/tables/`. Each key keeps its rows in insertion order; the keys keep
 * the order they were first inserted in (for a hash table the walk order is
 * compared as a set; for an ordered_set the model sorts with
 * `compareTerms`).
 *
 * Operations the real table refuses return a {@linkcode Refusal} (what error
 * is expected) and leave the model unchanged.
 *
 * @module
 */

import { compareTerms, type Row, sameTerm, termKey } from "./_term.ts";

/** A table type, as the spec names it. */
export type ModelType = "set" | "ordered_set" | "bag" | "duplicate_bag";

/** Why the real table must refuse an operation (the error class to expect). */
export type Refusal =
  | { refused: "deleted" }
  | { refused: "type" }
  | { refused: "value" }
  | { refused: "missing" };

/** One step of `updateCounter`. */
export interface CounterOp {
  readonly pos: number;
  readonly incr: number;
  readonly threshold?: number;
  readonly setValue?: number;
}

/** Bounds of a range query. */
export interface RangeBounds {
  readonly gt?: unknown;
  readonly gte?: unknown;
  readonly lt?: unknown;
  readonly lte?: unknown;
  readonly limit?: number;
  readonly reverse?: boolean;
}

interface Entry {
  key: unknown;
  rows: Row[];
}

/** Whether `value` is a refusal. */
export function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && "refused" in value;
}

/** The model of one table. */
export class TableModel {
  readonly #entries = new Map<string, Entry>();
  deleted = false;

  constructor(
    readonly type: ModelType,
    readonly keyPos: number,
    /** The wildcard of match patterns (the real `ANY`). */
    readonly any: unknown,
  ) {}

  get isSetType(): boolean {
    return this.type === "set" || this.type === "ordered_set";
  }

  keyOf(row: Row): unknown {
    return row[this.keyPos];
  }

  /** Every row: keys in walk order (sorted for an ordered_set), rows under a key in order. */
  rows(): Row[] {
    return this.#ordered().flatMap((entry) => entry.rows);
  }

  /** Every key, in walk order (sorted for an ordered_set, first insertion for the others). */
  keys(): unknown[] {
    return this.#ordered().map((entry) => entry.key);
  }

  get size(): number {
    let n = 0;
    for (const entry of this.#entries.values()) n += entry.rows.length;
    return n;
  }

  #ordered(): Entry[] {
    const entries = [...this.#entries.values()];
    if (this.type === "ordered_set") entries.sort((a, b) => compareTerms(a.key, b.key));
    return entries;
  }

  // ---- writes --------------------------------------------------------------------------

  insert(row: Row): void {
    const id = termKey(this.keyOf(row));
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      this.#entries.set(id, { key: this.keyOf(row), rows: [row] });
    } else if (this.isSetType) {
      entry.rows = [row];
    } else if (this.type === "bag") {
      // An identical row is already there: it stays where it is.
      if (!entry.rows.some((r) => sameTerm(r, row))) entry.rows.push(row);
    } else {
      entry.rows.push(row);
    }
  }

  insertMany(rows: readonly Row[]): void {
    for (const row of rows) this.insert(row);
  }

  insertNew(row: Row): boolean {
    if (this.member(this.keyOf(row))) return false;
    this.insert(row);
    return true;
  }

  insertNewMany(rows: readonly Row[]): boolean {
    if (rows.some((row) => this.member(this.keyOf(row)))) return false;
    this.insertMany(rows);
    return true;
  }

  delete(key: unknown): void {
    this.#entries.delete(termKey(key));
  }

  deleteObject(row: Row): void {
    const id = termKey(this.keyOf(row));
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    entry.rows = entry.rows.filter((r) => !sameTerm(r, row));
    if (entry.rows.length === 0) this.#entries.delete(id);
  }

  take(key: unknown): Row[] {
    const rows = this.lookup(key);
    this.delete(key);
    return rows;
  }

  deleteAll(): void {
    this.#entries.clear();
  }

  /** `updateCounter(key, ops, defaultRow)`: the new values, or why it is refused. */
  updateCounter(key: unknown, ops: readonly CounterOp[], defaultRow?: Row): number[] | Refusal {
    if (!this.isSetType) return { refused: "type" };
    const entry = this.#entries.get(termKey(key));
    let row: unknown[];
    if (entry !== undefined) row = [...entry.rows[0]];
    else if (defaultRow !== undefined) row = [...defaultRow];
    else return { refused: "missing" };
    const results: number[] = [];
    for (const op of ops) {
      if (op.pos === this.keyPos || op.pos < 0 || op.pos >= row.length) return { refused: "value" };
      const old = row[op.pos];
      if (typeof old !== "number") return { refused: "value" };
      let value = old + op.incr;
      if (op.threshold !== undefined && op.setValue !== undefined) {
        if (op.incr >= 0 ? value > op.threshold : value < op.threshold) value = op.setValue;
      }
      row[op.pos] = value;
      results.push(value);
    }
    this.insert(row);
    return results;
  }

  /** `updateElement(key, [[pos, value], ...])`: whether the key was there, or why it is refused. */
  updateElement(key: unknown, updates: readonly (readonly [number, unknown])[]): boolean | Refusal {
    if (!this.isSetType) return { refused: "type" };
    // As implemented: a missing key answers false before the positions are checked.
    const entry = this.#entries.get(termKey(key));
    if (entry === undefined) return false;
    const row = [...entry.rows[0]];
    for (const [pos, value] of updates) {
      if (pos === this.keyPos || pos < 0 || pos >= row.length) return { refused: "value" };
      row[pos] = value;
    }
    entry.rows = [row];
    return true;
  }

  // ---- reads ---------------------------------------------------------------------------

  lookup(key: unknown): Row[] {
    return [...(this.#entries.get(termKey(key))?.rows ?? [])];
  }

  get(key: unknown): Row | undefined {
    return this.#entries.get(termKey(key))?.rows[0];
  }

  member(key: unknown): boolean {
    return this.#entries.has(termKey(key));
  }

  /** Whether `value` matches the pattern element `pattern` (ANY, a sub-pattern, or a term). */
  matches(pattern: unknown, value: unknown): boolean {
    if (pattern === this.any) return true;
    if (Array.isArray(pattern)) {
      return Array.isArray(value) && value.length === pattern.length &&
        pattern.every((p, i) => this.matches(p, value[i]));
    }
    return sameTerm(pattern, value);
  }

  match(pattern: Row): Row[] {
    return this.rows().filter((row) => this.matches(pattern, row));
  }

  select(predicate: (row: Row) => boolean): Row[] {
    return this.rows().filter(predicate);
  }

  selectDelete(predicate: (row: Row) => boolean): number {
    let n = 0;
    for (const [id, entry] of [...this.#entries]) {
      const kept = entry.rows.filter((row) => !predicate(row));
      n += entry.rows.length - kept.length;
      if (kept.length === 0) this.#entries.delete(id);
      else entry.rows = kept;
    }
    return n;
  }

  /** The rows whose key is within the bounds (in key order; for an ordered_set, reversed and limited). */
  range(bounds: RangeBounds): Row[] {
    const within = (key: unknown) =>
      (bounds.gt === undefined || compareTerms(key, bounds.gt) > 0) &&
      (bounds.gte === undefined || compareTerms(key, bounds.gte) >= 0) &&
      (bounds.lt === undefined || compareTerms(key, bounds.lt) < 0) &&
      (bounds.lte === undefined || compareTerms(key, bounds.lte) <= 0);
    const entries = [...this.#entries.values()].filter((e) => within(e.key))
      .sort((a, b) => compareTerms(a.key, b.key));
    if (bounds.reverse) entries.reverse();
    const rows = entries.flatMap((e) => e.rows);
    return bounds.limit === undefined ? rows : rows.slice(0, bounds.limit);
  }

  /** The smallest key > `key` (ordered_set), or undefined. */
  nextKey(key: unknown): unknown {
    return this.keys().find((k) => compareTerms(k, key) > 0);
  }

  /** The largest key < `key` (ordered_set), or undefined. */
  prevKey(key: unknown): unknown {
    // (No findLast: the npm build compiles for ES2022.)
    const below = this.keys().filter((k) => compareTerms(k, key) < 0);
    return below[below.length - 1];
  }
}
