/**
 * The global slot pool of the reference core: the indices under which callers
 * keep payloads, and the core-clock stamp of the message in each slot.
 *
 * ```
 * stack[0 .. top-1]   returned slots, LIFO (the most recently returned is reused first,
 *                     so the caller's payload array stays small and warm in cache)
 * next                the next never-used slot (0, 1, 2, ... up to limit - 1)
 * stamps[slot]        when the message now in `slot` was accepted
 * ```
 *
 * Keeping the stamp by slot rather than in each mailbox ring halves the ring
 * size and makes a DropOldest reuse a single store.
 *
 * @module
 */

import { CoreCode, MAX_BOUND } from "./core.ts";
import { grown, isAllocationFailure } from "./_reference_typed_arrays.ts";

/**
 * Slots handed out to callers, with a LIFO of returned ones.
 *
 * @example Taking and returning slots
 * ```ts
 * import { SlotPool } from "./_reference_slot_pool.ts";
 *
 * const slots = new SlotPool();
 * const a = slots.take();  // 0
 * const b = slots.take();  // 1
 * slots.give(a);
 * console.log(slots.take() === a, slots.inUse); // true 2
 * ```
 */
export class SlotPool {
  /** Core-clock time at which the message in each slot was accepted. */
  stamps = new Float64Array(0);
  #stack = new Int32Array(0);
  #top = 0;
  #next = 0;
  readonly #limit: number;

  /** A pool that hands out at most `limit` slots at once (default 2^30). */
  constructor(limit: number = MAX_BOUND) {
    this.#limit = limit;
  }

  /** Slots handed out and not yet returned. */
  get inUse(): number {
    return this.#next - this.#top;
  }

  /** A free slot (the last returned, else the next never-used), or Limit / OutOfMemory. */
  take(): number {
    if (this.#top > 0) return this.#stack[--this.#top];
    const slot = this.#next;
    if (slot >= this.#limit) return CoreCode.Limit;
    if (slot >= this.stamps.length) {
      try {
        // The stack never holds more than `next` slots, so it grows with the stamps.
        const stamps = grown(this.stamps, slot + 1);
        const stack = grown(this.#stack, slot + 1);
        this.stamps = stamps;
        this.#stack = stack;
      } catch (error) {
        if (isAllocationFailure(error)) return CoreCode.OutOfMemory;
        throw error;
      }
    }
    this.#next = slot + 1;
    return slot;
  }

  /** Returns a slot to the top of the LIFO. */
  give(slot: number): void {
    this.#stack[this.#top++] = slot;
  }
}
