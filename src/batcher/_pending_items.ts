/**
 * A batcher's pending items (internal): a list in arrival order, taken from
 * the front in batches, and — when items are coalesced — an index by key.
 * Without a key there is no Map to fill and empty: an add is an array push.
 *
 * @module
 */

/** An `addAndWait` caller. */
export interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** One pending item (the merge of every item of its key so far). */
export interface Entry<T> {
  item: T;
  /** Its key (undefined when items are not coalesced). */
  readonly key: unknown;
  /**
   * When its key arrived (system clock): the interval runs from the oldest.
   * Set on the entries that can become the oldest (see `BatcherCore.offer`), 0 on the others.
   */
  readonly at: number;
  waiters: Waiter[] | undefined;
}

/** Compacts the list once this many taken slots sit at its front. */
const COMPACT_AT = 1024;

export class PendingItems<T> {
  readonly #byKey: Map<unknown, Entry<T>> | undefined;
  #list: Entry<T>[] = [];
  #head = 0;

  constructor(keyed: boolean) {
    this.#byKey = keyed ? new Map() : undefined;
  }

  get size(): number {
    return this.#list.length - this.#head;
  }

  /** The pending entry of `key` (keyed only). */
  get(key: unknown): Entry<T> | undefined {
    return this.#byKey?.get(key);
  }

  add(entry: Entry<T>): void {
    this.#list.push(entry);
    this.#byKey?.set(entry.key, entry);
  }

  /** The oldest pending entry. */
  oldest(): Entry<T> | undefined {
    return this.#head < this.#list.length ? this.#list[this.#head] : undefined;
  }

  /** Takes up to `max` entries from the front. */
  take(max: number): Entry<T>[] {
    const list = this.#list;
    const end = Math.min(list.length, this.#head + max);
    const taken = list.slice(this.#head, end);
    const byKey = this.#byKey;
    if (byKey !== undefined) { for (const entry of taken) byKey.delete(entry.key); }
    if (end === list.length) {
      this.#list = [];
      this.#head = 0;
    } else if (end >= COMPACT_AT && end * 2 >= list.length) {
      this.#list = list.slice(end);
      this.#head = 0;
    } else {
      list.fill(undefined as never, this.#head, end); // let the taken entries go
      this.#head = end;
    }
    return taken;
  }

  /** Every pending entry, oldest first. */
  entries(): Entry<T>[] {
    return this.#list.slice(this.#head);
  }

  clear(): void {
    this.#list = [];
    this.#head = 0;
    this.#byKey?.clear();
  }
}
