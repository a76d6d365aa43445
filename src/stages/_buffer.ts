/**
 * A producer's event buffer (internal): a FIFO bounded by `size`, which
 * drops the oldest or the newest events when full and says how many.
 *
 * @module
 */

/** Which events go when the buffer is full. */
export type Overflow = "drop_oldest" | "drop_newest";

/** A bounded FIFO of events. */
export class EventBuffer {
  readonly size: number;
  readonly overflow: Overflow;
  #items: unknown[] = [];
  #head = 0;

  constructor(size: number, overflow: Overflow) {
    this.size = size;
    this.overflow = overflow;
  }

  /** Events held. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends `events` (from `start`); returns how many were dropped to stay within the bound. */
  push(events: readonly unknown[], start = 0): number {
    const incoming = events.length - start;
    if (incoming <= 0) return 0;
    const room = this.size - this.length;
    if (incoming <= room) {
      for (let i = start; i < events.length; i++) this.#items.push(events[i]);
      return 0;
    }
    if (this.overflow === "drop_newest") {
      for (let i = start; i < start + room; i++) this.#items.push(events[i]);
      return incoming - room;
    }
    // drop_oldest: keep the last `size` of (held ++ incoming).
    const keepIncoming = Math.min(incoming, this.size);
    const dropHeld = Math.min(this.length, incoming - room);
    this.#head += dropHeld;
    for (let i = events.length - keepIncoming; i < events.length; i++) this.#items.push(events[i]);
    this.#compact();
    return dropHeld + (incoming - keepIncoming);
  }

  /** Removes and returns up to `count` events, oldest first. */
  take(count: number): unknown[] {
    const n = Math.min(count, this.length);
    if (n <= 0) return [];
    const out = this.#items.slice(this.#head, this.#head + n);
    this.#head += n;
    this.#compact();
    return out;
  }

  /** Puts back events just taken (they fit: they came from here). */
  unshift(events: readonly unknown[]): void {
    const n = events.length;
    if (n === 0) return;
    if (this.#head >= n) {
      // The slots they were taken from are still there: no copy of the rest.
      this.#head -= n;
      for (let i = 0; i < n; i++) this.#items[this.#head + i] = events[i];
      return;
    }
    const items = events.slice();
    for (let i = this.#head; i < this.#items.length; i++) items.push(this.#items[i]);
    this.#items = items;
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
