/**
 * The bounded queue of one `/events` stream: a ring of frames that drops
 * its oldest frame when full and counts the drops, so the writer can tell
 * the client how many it missed (a `gap` event) before the frames that
 * follow the hole.
 *
 * @module
 */

/** A ring of at most `capacity` items, dropping the oldest when full. */
export class DropOldestQueue<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;

  /** An empty queue of `capacity` (an integer >= 1) slots. */
  constructor(readonly capacity: number) {
    this.#items = new Array(capacity);
  }

  /** Items queued. */
  get size(): number {
    return this.#size;
  }

  /** Adds `item`; when full, the oldest item is dropped first (and counted). */
  push(item: T): void {
    if (this.#size === this.capacity) {
      this.#items[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.capacity;
      this.#size--;
      this.#dropped++;
    }
    this.#items[(this.#head + this.#size) % this.capacity] = item;
    this.#size++;
  }

  /** The oldest item, removed; `undefined` when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return item;
  }

  /** Items dropped since the last call (and resets the count). */
  takeDropped(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }

  /** Forgets every item and the drop count. */
  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    this.#dropped = 0;
  }
}
