/**
 * A first-in first-out queue over an array with a moving head (internal):
 * O(1) amortized push and shift, no per-item allocation.
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

  /** Takes up to `n` items from the front, in order. */
  take(n: number): T[] {
    const end = Math.min(this.#items.length, this.#head + n);
    const taken = this.#items.slice(this.#head, end) as T[];
    for (let i = this.#head; i < end; i++) this.#items[i] = undefined;
    this.#head = end;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return taken;
  }

  /** Takes every item. */
  drain(): T[] {
    return this.take(this.length);
  }
}
