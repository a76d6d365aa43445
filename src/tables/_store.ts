/**
 * What a table keeps its rows in (internal): a hash store for `set`, `bag`
 * and `duplicate_bag`, an ordered store for `ordered_set`. A store maps keys
 * to entries; the table decides what an entry's rows may hold.
 *
 * @module
 */

/** The rows under one key (never empty while the entry is in its store). */
export interface Entry<R> {
  /** The key, as first inserted. */
  readonly key: unknown;
  /** The rows, oldest first (one for the set types): frozen, replaced on every change. */
  rows: readonly R[];
}

/** A store of entries by key. */
export interface Store<R> {
  /** Distinct keys. */
  readonly keyCount: number;
  /** The entry of `key`, if the store has one. */
  find(key: unknown): Entry<R> | undefined;
  /** Adds an entry for `key` (absent) with `rows`. */
  add(key: unknown, rows: readonly R[]): Entry<R>;
  /** Removes the entry of `key`, if any. */
  remove(key: unknown): void;
  /** Removes every entry. */
  clear(): void;
  /** The first entry in table order. */
  first(): Entry<R> | undefined;
  /** The last entry in table order. */
  last(): Entry<R> | undefined;
  /** The entry after `key` in table order (`null`: `key` is unknown to the store). */
  next(key: unknown): Entry<R> | undefined | null;
  /** The entry before `key` in table order (`null`: `key` is unknown to the store). */
  prev(key: unknown): Entry<R> | undefined | null;
  /** Every entry in table order, each visited once even if the store changes meanwhile. */
  entries(): IterableIterator<Entry<R>>;
}
