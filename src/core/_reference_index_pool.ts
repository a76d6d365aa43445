/**
 * Generational indices with first-in first-out reuse: the id scheme shared by
 * actors (20-bit index, generation 1..2047) and timers (22-bit index,
 * generation 1..511).
 *
 * ```
 * id (positive i32) = generation << indexBits | index
 *
 * free FIFO, linked through freeNext[]:
 *   freeHead -> i -> j -> ... -> freeTail      release() appends, allocate() takes the head
 * never-used indices: used, used + 1, ... (taken when the FIFO is empty)
 * ```
 *
 * FIFO reuse (rather than LIFO) spreads reuse over every freed index, so a
 * stale id names a newer entry only after `maxGeneration` reuses of its index.
 *
 * @module
 */

import { grown } from "./_reference_typed_arrays.ts";

/**
 * A table of generational indices.
 *
 * @example Allocating, releasing and reusing an index
 * ```ts
 * import { IndexPool } from "./_reference_index_pool.ts";
 *
 * const pool = new IndexPool(20, 2047, 1 << 20);
 * const a = pool.allocate();            // 0
 * const id = pool.idOf(a);              // 1 << 20
 * pool.release(a);
 * console.log(pool.indexOf(id));        // -1: stale
 * console.log(pool.allocate() === a);   // true: generation 2 now
 * ```
 */
export class IndexPool {
  /** Live entries. */
  count = 0;
  /** Number of indices ever handed out (the next never-used index). */
  used = 0;

  readonly #indexBits: number;
  readonly #indexMask: number;
  readonly #maxGeneration: number;
  readonly #maxIndices: number;
  #generations = new Int32Array(0);
  #live = new Uint8Array(0);
  #freeNext = new Int32Array(0);
  #freeHead = -1;
  #freeTail = -1;

  constructor(indexBits: number, maxGeneration: number, maxIndices: number) {
    this.#indexBits = indexBits;
    this.#indexMask = (1 << indexBits) - 1;
    this.#maxGeneration = maxGeneration;
    this.#maxIndices = maxIndices;
  }

  /** The index `allocate` would return, or -1 when every index is live. */
  peek(): number {
    if (this.#freeHead >= 0) return this.#freeHead;
    return this.used < this.#maxIndices ? this.used : -1;
  }

  /**
   * Takes the head of the free FIFO, else the next never-used index (which
   * starts at generation 1): the index, or -1 when every index is live.
   * Grows its arrays before changing anything, so an allocation failure
   * (`RangeError`) leaves the pool as it was.
   */
  allocate(): number {
    let index = this.#freeHead;
    if (index >= 0) {
      this.#freeHead = this.#freeNext[index];
      if (this.#freeHead < 0) this.#freeTail = -1;
    } else {
      index = this.used;
      if (index >= this.#maxIndices) return -1;
      if (index >= this.#live.length) {
        const generations = grown(this.#generations, index + 1);
        const live = grown(this.#live, index + 1);
        const freeNext = grown(this.#freeNext, index + 1, -1);
        this.#generations = generations;
        this.#live = live;
        this.#freeNext = freeNext;
      }
      this.#generations[index] = 1;
      this.used = index + 1;
    }
    this.#live[index] = 1;
    this.count++;
    return index;
  }

  /** Frees a live index: its generation advances (wrapping to 1) and it joins the FIFO tail. */
  release(index: number): void {
    const generation = this.#generations[index];
    this.#generations[index] = generation >= this.#maxGeneration ? 1 : generation + 1;
    this.#live[index] = 0;
    this.#freeNext[index] = -1;
    if (this.#freeTail >= 0) this.#freeNext[this.#freeTail] = index;
    else this.#freeHead = index;
    this.#freeTail = index;
    this.count--;
  }

  /** The id of a live index. */
  idOf(index: number): number {
    return (this.#generations[index] << this.#indexBits) | index;
  }

  /** The index a live id names, or -1 for an unknown, freed or stale id. */
  indexOf(id: number): number {
    if (id <= 0) return -1;
    const index = id & this.#indexMask;
    if (index >= this.used || this.#live[index] === 0) return -1;
    return this.#generations[index] === id >>> this.#indexBits ? index : -1;
  }
}
