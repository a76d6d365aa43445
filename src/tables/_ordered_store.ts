/**
 * The store of `ordered_set` tables (internal): entries in a red-black tree
 * (`@js-sdsl/ordered-map`) sorted by {@linkcode compareKeys}. `next(key)` is
 * the first entry after `key` whether or not `key` is in the table, so a walk
 * never loses its place.
 *
 * @module
 */

import { OrderedMap } from "@js-sdsl/ordered-map";
import type { Entry, Store } from "./_store.ts";
import { compareKeys } from "./_terms.ts";

/** Bounds of a range walk. */
export interface RangeBounds {
  readonly gt?: unknown;
  readonly gte?: unknown;
  readonly lt?: unknown;
  readonly lte?: unknown;
}

/** An ordered store. */
export class OrderedStore<R> implements Store<R> {
  #tree = new OrderedMap<unknown, Entry<R>>([], compareKeys);

  get keyCount(): number {
    return this.#tree.size();
  }

  find(key: unknown): Entry<R> | undefined {
    return this.#tree.getElementByKey(key);
  }

  add(key: unknown, rows: readonly R[]): Entry<R> {
    const entry: Entry<R> = { key, rows };
    this.#tree.setElement(key, entry);
    return entry;
  }

  remove(key: unknown): void {
    this.#tree.eraseElementByKey(key);
  }

  clear(): void {
    this.#tree.clear();
  }

  first(): Entry<R> | undefined {
    return this.#tree.front()?.[1];
  }

  last(): Entry<R> | undefined {
    return this.#tree.back()?.[1];
  }

  next(key: unknown): Entry<R> | undefined {
    const at = this.#tree.upperBound(key);
    return at.equals(this.#tree.end()) ? undefined : at.pointer[1];
  }

  prev(key: unknown): Entry<R> | undefined {
    const at = this.#tree.reverseUpperBound(key);
    return at.equals(this.#tree.rEnd()) ? undefined : at.pointer[1];
  }

  *entries(): IterableIterator<Entry<R>> {
    for (let entry = this.first(); entry !== undefined; entry = this.next(entry.key)) yield entry;
  }

  /** The entries within `bounds`, in key order (or reversed), at most `limit`. */
  range(bounds: RangeBounds, limit: number, reverse: boolean): Entry<R>[] {
    const out: Entry<R>[] = [];
    const tree = this.#tree;
    const lowStrict = bounds.gt !== undefined;
    const low = lowStrict ? bounds.gt : bounds.gte;
    const hasLow = low !== undefined;
    const highStrict = bounds.lt !== undefined;
    const high = highStrict ? bounds.lt : bounds.lte;
    const hasHigh = high !== undefined;
    if (!reverse) {
      const it = !hasLow ? tree.begin() : lowStrict ? tree.upperBound(low) : tree.lowerBound(low);
      const end = tree.end();
      for (; !it.equals(end) && out.length < limit; it.next()) {
        const [key, entry] = it.pointer;
        if (hasHigh) {
          const order = compareKeys(key, high);
          if (order > 0 || (order === 0 && highStrict)) break;
        }
        out.push(entry);
      }
    } else {
      // Backwards by key: js-sdsl's reverse bounds give forward iterators.
      let entry = !hasHigh
        ? this.last()
        : highStrict
        ? this.prev(high)
        : (this.find(high) ?? this.prev(high));
      for (; entry !== undefined && out.length < limit; entry = this.prev(entry.key)) {
        if (hasLow) {
          const order = compareKeys(entry.key, low);
          if (order < 0 || (order === 0 && lowStrict)) break;
        }
        out.push(entry);
      }
    }
    return out;
  }
}
