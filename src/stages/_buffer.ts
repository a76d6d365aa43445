/**
 * A producer's event buffer (internal): a FIFO bounded by `size`, which
 * drops the oldest or the newest events when full and says how many.
 *
 * @module
 */

import { Fifo } from "../_fifo.ts";

/** Which events go when the buffer is full. */
export type Overflow = "drop_oldest" | "drop_newest";

/** A bounded FIFO of events. */
export class EventBuffer {
  readonly size: number;
  readonly overflow: Overflow;
  readonly #events = new Fifo<unknown>();

  constructor(size: number, overflow: Overflow) {
    this.size = size;
    this.overflow = overflow;
  }

  /** Events held. */
  get length(): number {
    return this.#events.length;
  }

  /** Appends `events` (from `start`); returns how many were dropped to stay within the bound. */
  push(events: readonly unknown[], start = 0): number {
    const incoming = events.length - start;
    if (incoming <= 0) return 0;
    const held = this.#events;
    const room = this.size - held.length;
    if (incoming <= room) {
      for (let i = start; i < events.length; i++) held.push(events[i]);
      return 0;
    }
    if (this.overflow === "drop_newest") {
      for (let i = start; i < start + room; i++) held.push(events[i]);
      return incoming - room;
    }
    // drop_oldest: keep the last `size` of (held ++ incoming).
    const keepIncoming = Math.min(incoming, this.size);
    const dropHeld = Math.min(held.length, incoming - room);
    held.dropFront(dropHeld);
    for (let i = events.length - keepIncoming; i < events.length; i++) held.push(events[i]);
    return dropHeld + (incoming - keepIncoming);
  }

  /** Removes and returns up to `count` events, oldest first. */
  take(count: number): unknown[] {
    return this.#events.take(count);
  }

  /** Puts back events just taken (they fit: they came from here). */
  unshift(events: readonly unknown[]): void {
    this.#events.unshift(events);
  }
}
