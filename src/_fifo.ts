/**
 * A first-in first-out queue over an array with a moving head (internal):
 * O(1) amortized push, shift and take, no per-item allocation — never
 * `Array.prototype.shift` or `splice(0, n)`, which move every item behind
 * on each call. Stages keep their buffers and partition queues in one, the
 * pipeline its held messages.
 *
 * @module
 */

/** A FIFO queue. */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** Items queued. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Queues `item` at the back. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** Drops the oldest item (if any). */
  shift(): void {
    this.dropFront(1);
  }

  /** Drops up to `count` items from the front. */
  dropFront(count: number): void {
    const end = Math.min(this.#items.length, this.#head + count);
    for (let i = this.#head; i < end; i++) this.#items[i] = undefined;
    this.#head = end;
    this.#compact();
  }

  /** Removes and returns up to `count` items, oldest first. */
  take(count: number): T[] {
    const end = Math.min(this.#items.length, this.#head + count);
    if (end <= this.#head) return [];
    const taken = this.#items.slice(this.#head, end) as T[];
    this.dropFront(end - this.#head);
    return taken;
  }

  /** Takes every item. */
  drain(): T[] {
    return this.take(this.length);
  }

  /** Puts back, in front and in order, items just taken from this queue. */
  unshift(items: readonly T[]): void {
    const n = items.length;
    if (n === 0) return;
    if (this.#head >= n) {
      // The slots they were taken from are still there: no copy of the rest.
      this.#head -= n;
      for (let i = 0; i < n; i++) this.#items[this.#head + i] = items[i];
      return;
    }
    const all: (T | undefined)[] = items.slice();
    for (let i = this.#head; i < this.#items.length; i++) all.push(this.#items[i]);
    this.#items = all;
    this.#head = 0;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
