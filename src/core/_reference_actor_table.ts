/**
 * The actor table of the reference core: one typed array per field, indexed
 * by actor index, plus each actor's mailbox ring.
 *
 * ```
 * index i:  state  priority  overflow  bound  initialCapacity  head  length  highWater   (i32 / u8)
 *           enqueued  dequeued  refused  dropped  reductions                              (f64: exact past 2^32)
 *           ringOffset  capacity                                                          (i32)
 *
 * ring of actor i, in the arena (`_reference_ring_arena.ts`) at ringOffset[i]:
 *           [ . . s3 s4 s5 . . . ]      message k (0 = oldest) is at ringOffset + ((head + k) & (capacity - 1))
 *                 ^head                 capacity 0 (and no block) when hibernated
 * ```
 *
 * @module
 */

import { grown } from "./_reference_typed_arrays.ts";

/**
 * Per-actor fields, grown by doubling as indices are first used.
 *
 * @example Making room for an actor index
 * ```ts
 * import { ActorTable } from "./_reference_actor_table.ts";
 *
 * const table = new ActorTable();
 * table.ensure(1);
 * table.bound[0] = 100;
 * console.log(table.capacity[0]); // 0
 * ```
 */
export class ActorTable {
  /** {@linkcode ActorState}, 0 when the index is free. */
  state = new Uint8Array(0);
  priority = new Uint8Array(0);
  overflow = new Uint8Array(0);
  bound = new Int32Array(0);
  /** After rounding: `nextPow2(min(initialCapacity, bound))`. */
  initialCapacity = new Int32Array(0);
  head = new Int32Array(0);
  length = new Int32Array(0);
  highWater = new Int32Array(0);
  enqueued = new Float64Array(0);
  dequeued = new Float64Array(0);
  refused = new Float64Array(0);
  dropped = new Float64Array(0);
  reductions = new Float64Array(0);
  /** Where the actor's ring starts in the ring arena. */
  ringOffset = new Int32Array(0);
  /** Ring capacity: a power of two, 0 when hibernated. */
  capacity = new Int32Array(0);

  /**
   * Makes room for indices below `capacity`. Allocates every array before
   * assigning any, so an allocation failure leaves the table as it was.
   */
  ensure(capacity: number): void {
    if (capacity <= this.state.length) return;
    const state = grown(this.state, capacity);
    const priority = grown(this.priority, capacity);
    const overflow = grown(this.overflow, capacity);
    const bound = grown(this.bound, capacity);
    const initialCapacity = grown(this.initialCapacity, capacity);
    const head = grown(this.head, capacity);
    const length = grown(this.length, capacity);
    const highWater = grown(this.highWater, capacity);
    const enqueued = grown(this.enqueued, capacity);
    const dequeued = grown(this.dequeued, capacity);
    const refused = grown(this.refused, capacity);
    const dropped = grown(this.dropped, capacity);
    const reductions = grown(this.reductions, capacity);
    const ringOffset = grown(this.ringOffset, capacity);
    const ringCapacity = grown(this.capacity, capacity);
    this.state = state;
    this.priority = priority;
    this.overflow = overflow;
    this.bound = bound;
    this.initialCapacity = initialCapacity;
    this.head = head;
    this.length = length;
    this.highWater = highWater;
    this.enqueued = enqueued;
    this.dequeued = dequeued;
    this.refused = refused;
    this.dropped = dropped;
    this.reductions = reductions;
    this.ringOffset = ringOffset;
    this.capacity = ringCapacity;
  }
}
