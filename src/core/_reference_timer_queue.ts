/**
 * The timers of the reference core: a binary min-heap keyed on
 * (deadline tick, schedule sequence), with each timer's heap position kept so
 * a cancel is O(log n) and needs no tombstones.
 *
 * ```
 * heap position i:  heapTick[i]  heapSeq[i]  heapTimer[i]     children at 2i+1, 2i+2
 * timer index t:    position[t]  (-1 when not pending)
 * ```
 *
 * Why a heap rather than the WASM core's hierarchical wheel: the key already
 * encodes the firing order the contract demands — tick first, then schedule
 * order — so no cascade can reorder timers within a tick, and `advance` over a
 * long idle gap costs O(fired · log n), never O(gap). Scheduling is
 * O(log n); 2^22 pending timers take 32 bytes each.
 *
 * @module
 */

import { CoreCode, MAX_TIMERS, TIMER_INDEX_BITS, TIMER_MAX_GENERATION } from "./_layout.ts";
import { IndexPool } from "./_reference_index_pool.ts";
import { grown, isAllocationFailure } from "./_reference_typed_arrays.ts";

/**
 * Pending timers in firing order, and the list fired by the last sweep.
 *
 * @example Two timers in one tick fire in schedule order
 * ```ts
 * import { TimerQueue } from "./_reference_timer_queue.ts";
 *
 * const timers = new TimerQueue();
 * const a = timers.schedule(5);
 * const b = timers.schedule(5);
 * console.log(timers.fireThrough(5), timers.fired(0) === a, timers.fired(1) === b); // 2 true true
 * ```
 */
export class TimerQueue {
  readonly #ids = new IndexPool(TIMER_INDEX_BITS, TIMER_MAX_GENERATION, MAX_TIMERS);
  #position = new Int32Array(0);
  #heapTick = new Float64Array(0);
  #heapSeq = new Float64Array(0);
  #heapTimer = new Int32Array(0);
  #size = 0;
  /** Schedule order; an f64 stays exact far beyond 2^32 schedules. */
  #sequence = 0;
  #fired = new Int32Array(0);
  #firedCount = 0;

  /** Pending timers. */
  get count(): number {
    return this.#size;
  }

  /** The earliest pending tick, or -1 when none is pending. */
  earliest(): number {
    return this.#size > 0 ? this.#heapTick[0] : -1;
  }

  /** Adds a timer due at `tick` (already validated): its id, or Limit / OutOfMemory. */
  schedule(tick: number): number {
    const index = this.#ids.peek();
    if (index < 0) return CoreCode.Limit;
    const size = this.#size;
    try {
      this.#ensure(index + 1, size + 1);
      this.#ids.allocate();
    } catch (error) {
      if (isAllocationFailure(error)) return CoreCode.OutOfMemory;
      throw error;
    }
    this.#size = size + 1;
    this.#siftUp(size, tick, this.#sequence++, index);
    return this.#ids.idOf(index);
  }

  /** Cancels a pending timer: Ok, or NoTimer for an unknown, fired or cancelled id. */
  cancel(id: number): number {
    const index = this.#ids.indexOf(id);
    if (index < 0) return CoreCode.NoTimer;
    this.#removeAt(this.#position[index]);
    this.#position[index] = -1;
    this.#ids.release(index);
    return CoreCode.Ok;
  }

  /** Fires every timer due at or before `tick`, replacing the fired list: how many fired. */
  fireThrough(tick: number): number {
    let count = 0;
    while (this.#size > 0 && this.#heapTick[0] <= tick) {
      const index = this.#heapTimer[0];
      if (count >= this.#fired.length) this.#fired = grown(this.#fired, count + 1);
      this.#fired[count++] = this.#ids.idOf(index);
      this.#removeAt(0);
      this.#position[index] = -1;
      this.#ids.release(index);
    }
    this.#firedCount = count;
    return count;
  }

  /** The `n`-th timer fired by the last sweep, or BadArgument. */
  fired(n: number): number {
    return n >= 0 && n < this.#firedCount ? this.#fired[n] : CoreCode.BadArgument;
  }

  #ensure(timers: number, heapSize: number): void {
    const position = grown(this.#position, timers, -1);
    if (heapSize > this.#heapTimer.length) {
      const heapTick = grown(this.#heapTick, heapSize);
      const heapSeq = grown(this.#heapSeq, heapSize);
      const heapTimer = grown(this.#heapTimer, heapSize);
      this.#heapTick = heapTick;
      this.#heapSeq = heapSeq;
      this.#heapTimer = heapTimer;
    }
    this.#position = position;
  }

  /** Removes the entry at heap position `at`, refilling the hole with the last entry. */
  #removeAt(at: number): void {
    const last = --this.#size;
    if (at === last) return;
    const tick = this.#heapTick[last];
    const seq = this.#heapSeq[last];
    const timer = this.#heapTimer[last];
    if (at > 0) {
      const parent = (at - 1) >> 1;
      const parentTick = this.#heapTick[parent];
      if (tick < parentTick || (tick === parentTick && seq < this.#heapSeq[parent])) {
        this.#siftUp(at, tick, seq, timer);
        return;
      }
    }
    this.#siftDown(at, tick, seq, timer);
  }

  /** Places (tick, seq, timer) at or above the hole at `at`. */
  #siftUp(at: number, tick: number, seq: number, timer: number): void {
    const heapTick = this.#heapTick;
    const heapSeq = this.#heapSeq;
    const heapTimer = this.#heapTimer;
    const position = this.#position;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentTick = heapTick[parent];
      if (tick > parentTick || (tick === parentTick && seq > heapSeq[parent])) break;
      heapTick[at] = parentTick;
      heapSeq[at] = heapSeq[parent];
      const moved = heapTimer[parent];
      heapTimer[at] = moved;
      position[moved] = at;
      at = parent;
    }
    heapTick[at] = tick;
    heapSeq[at] = seq;
    heapTimer[at] = timer;
    position[timer] = at;
  }

  /** Places (tick, seq, timer) at or below the hole at `at`. */
  #siftDown(at: number, tick: number, seq: number, timer: number): void {
    const heapTick = this.#heapTick;
    const heapSeq = this.#heapSeq;
    const heapTimer = this.#heapTimer;
    const position = this.#position;
    const size = this.#size;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      let childTick = heapTick[child];
      let childSeq = heapSeq[child];
      const right = child + 1;
      if (right < size) {
        const rightTick = heapTick[right];
        if (rightTick < childTick || (rightTick === childTick && heapSeq[right] < childSeq)) {
          child = right;
          childTick = rightTick;
          childSeq = heapSeq[right];
        }
      }
      if (tick < childTick || (tick === childTick && seq < childSeq)) break;
      heapTick[at] = childTick;
      heapSeq[at] = childSeq;
      const moved = heapTimer[child];
      heapTimer[at] = moved;
      position[moved] = at;
      at = child;
    }
    heapTick[at] = tick;
    heapSeq[at] = seq;
    heapTimer[at] = timer;
    position[timer] = at;
  }
}
