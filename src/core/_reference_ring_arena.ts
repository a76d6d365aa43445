/**
 * The memory of the reference core's mailbox rings: one `Int32Array` carved
 * into power-of-two blocks, with a free list per block size.
 *
 * ```
 * memory: [ ring a (4) | ring b (16)        | free (4) -> | ring c (1) | ... ]   top ->
 *                                             ^ freeHeads[2]; a free block's first word links to the next
 * ```
 *
 * One arena rather than a typed array per actor: a spawn is a few integer
 * writes instead of two heap objects (~200 bytes and a few microseconds on V8
 * each), rings sit close together in memory, and growth is exactly
 * power-of-two as the contract's capacities are, so a freed block always fits
 * the next ring of its size. Like WebAssembly memory, the arena never shrinks;
 * it stays below 2^30 words (4 GiB, the wasm32 ceiling); an allocation that
 * would reach it is the core's OutOfMemory.
 *
 * @module
 */

/**
 * Most words the arena holds: 2^30 (4 GiB, the wasm32 ceiling); offsets stay `i32`.
 * A request must stay below it: a 4 GiB ring can never fit beside the WebAssembly
 * core's other tables, so both cores answer OutOfMemory for it.
 */
const MAX_ARENA_WORDS = 2 ** 30;
const MIN_ARENA_WORDS = 1024;

/**
 * Power-of-two blocks of `i32` words for mailbox rings.
 *
 * @example Allocating, freeing and reusing a ring block
 * ```ts
 * import { RingArena } from "./_reference_ring_arena.ts";
 *
 * const arena = new RingArena();
 * const a = arena.allocate(8);
 * arena.memory[a] = 42;
 * arena.release(a, 8);
 * console.log(arena.allocate(8) === a); // true: the free list of size 8
 * ```
 */
export class RingArena {
  /** The words; replaced (not resized) when the arena grows, so re-read it after `allocate`. */
  memory = new Int32Array(0);
  #top = 0;
  /** Head of the free list of each block size 2^k (k = 0..30), or -1. */
  readonly #freeHeads = new Int32Array(31).fill(-1);

  /**
   * A block of `capacity` words (a power of two): its offset. Throws
   * `RangeError` when the arena cannot grow, leaving it as it was.
   */
  allocate(capacity: number): number {
    const sizeClass = 31 - Math.clz32(capacity);
    const head = this.#freeHeads[sizeClass];
    if (head >= 0) {
      this.#freeHeads[sizeClass] = this.memory[head];
      return head;
    }
    const offset = this.#top;
    const end = offset + capacity;
    if (end > this.memory.length) this.#grow(end);
    this.#top = end;
    return offset;
  }

  /** Returns a block to the free list of its size. */
  release(offset: number, capacity: number): void {
    const sizeClass = 31 - Math.clz32(capacity);
    this.memory[offset] = this.#freeHeads[sizeClass];
    this.#freeHeads[sizeClass] = offset;
  }

  #grow(minWords: number): void {
    if (minWords >= MAX_ARENA_WORDS) {
      throw new RangeError(`ring arena: ${minWords} words reach the ${MAX_ARENA_WORDS} limit`);
    }
    let words = Math.max(this.memory.length * 2, MIN_ARENA_WORDS);
    while (words < minWords) words *= 2;
    const memory = new Int32Array(words);
    memory.set(this.memory.subarray(0, this.#top));
    this.memory = memory;
  }
}
