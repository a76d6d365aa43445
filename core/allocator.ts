/**
 * A block allocator for power-of-two sizes, with no managed objects and no
 * traps: every structure in the core (tables, rings, stacks) asks for `2^k`
 * bytes, so one LIFO free list per size class is enough, and a failure to
 * grow memory comes back as 0 (the caller returns OUT_OF_MEMORY) instead of
 * the `unreachable` the runtime's TLSF would hit.
 *
 * ```
 *  linear memory
 *  ┌──────────────┬────────────┬──────────────────────────────┬─────────┐
 *  │ static data  │ header     │ blocks (2^k bytes, k >= 4)   │ unused  │
 *  └──────────────┴────────────┴──────────────────────────────┴─────────┘
 *  0         __heap_base     HEAP_TOP (bump) ──────────▶     memory.size()
 *
 *  a free block of class k:          FREE_LISTS[k] ──▶ block ──▶ block ──▶ 0
 *  ┌───────────┬──────────────────┐
 *  │ next: ptr │ (unused)         │
 *  └───────────┴──────────────────┘
 * ```
 *
 * Blocks are not split or merged: a size class keeps the blocks it has seen,
 * which bounds memory by each class's own peak and keeps both calls O(1).
 */

import { FREE_LISTS, HEAP_TOP } from "./layout";
import { ALIGN, hu32, setu32 } from "./header";

/** Smallest block: 16 bytes, so every block stays 16-byte aligned. */
export const MIN_CLASS: i32 = 4;
/** Largest block: 2 GiB (a 32-bit memory cannot hold two). */
export const MAX_CLASS: i32 = 31;
const PAGE_BITS: i32 = 16;
const MAX_MEMORY: u64 = 1 << 32;

/** The size class whose blocks hold `bytes` (clamped below at MIN_CLASS); > MAX_CLASS when too big. */
export function classFor(bytes: u64): i32 {
  if (bytes <= (<u64>1 << MIN_CLASS)) return MIN_CLASS;
  return 64 - <i32>clz<u64>(bytes - 1);
}

/** A block of `2^sizeClass` bytes, or 0 when memory cannot grow (or the class is too big). */
export function allocBlock(sizeClass: i32): usize {
  if (sizeClass > MAX_CLASS) return 0;
  const list = FREE_LISTS + (<usize>sizeClass << 2);
  const head = hu32(list);
  if (head != 0) {
    setu32(list, load<u32>(head));
    return head;
  }
  const top = <u64>hu32(HEAP_TOP);
  const end = top + (<u64>1 << sizeClass);
  if (end > MAX_MEMORY) return 0;
  const have = <u64>memory.size() << PAGE_BITS;
  if (end > have && !growMemory(end - have)) return 0;
  setu32(HEAP_TOP, <u32>end);
  return <usize>top;
}

/** Returns a block of `2^sizeClass` bytes to its class's free list. */
export function freeBlock(block: usize, sizeClass: i32): void {
  const list = FREE_LISTS + (<usize>sizeClass << 2);
  store<u32>(block, hu32(list));
  setu32(list, <u32>block);
}

/** Grows memory by at least `bytes`, doubling when it can so growth stays amortized O(1). */
function growMemory(bytes: u64): bool {
  const needed = <i32>((bytes + (1 << PAGE_BITS) - 1) >> PAGE_BITS);
  const current = memory.size();
  const wanted = max(needed, current);
  if (memory.grow(wanted) >= 0) return true;
  return memory.grow(needed) >= 0;
}

/** Aligns the bump pointer after the header; forgets every block (used by `init`). */
export function resetAllocator(heapStart: usize): void {
  setu32(HEAP_TOP, <u32>((heapStart + ALIGN - 1) & ~(ALIGN - 1)));
}
