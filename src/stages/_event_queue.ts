/**
 * An unbounded FIFO of events over an array with a moving head (internal):
 * O(1) amortized push, shift and take — never `Array.prototype.shift` or
 * `splice(0, n)`, which move every event behind on each call. A partition
 * dispatcher keeps one per partition.
 *
 * @module
 */

/** A FIFO of events. */
export class EventQueue {
  #items: unknown[] = [];
  #head = 0;

  /** Events held. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends `event`. */
  push(event: unknown): void {
    this.#items.push(event);
  }

  /** Drops the oldest event (if any). */
  shift(): void {
    if (this.#head === this.#items.length) return;
    this.#items[this.#head++] = undefined;
    this.#compact();
  }

  /** Removes and returns up to `count` events, oldest first. */
  take(count: number): unknown[] {
    const end = Math.min(this.#items.length, this.#head + count);
    if (end <= this.#head) return [];
    const out = this.#items.slice(this.#head, end);
    for (let i = this.#head; i < end; i++) this.#items[i] = undefined;
    this.#head = end;
    this.#compact();
    return out;
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
