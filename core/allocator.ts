/**
 * A block allocator for power-of-two sizes inside this instance's chunks
 * (region.ts), with no managed objects and no traps: every structure of a
 * core or a store (tables, rings, stacks, histograms) asks for `2^k` bytes,
 * so one LIFO free list per size class is enough, and a failure to claim
 * memory comes back as 0 (the caller returns OUT_OF_MEMORY) instead of the
 * `unreachable` the runtime's TLSF would hit.
 *
 * ```
 *  this instance's current chunk
 *  ┌──────────────┬──────────────────────────────────┬──────────────────┐
 *  │ chunk header │ blocks (2^k bytes, k >= 4)       │ not yet used     │
 *  └──────────────┴──────────────────────────────────┴──────────────────┘
 *                                           HEAP_TOP ▲ (bump)   HEAP_END ▲
 *
 *  a free block of class k:          FREE_LISTS[k] ──▶ block ──▶ block ──▶ 0
 *  ┌───────────┬──────────────────┐
 *  │ next: ptr │ (unused)         │
 *  └───────────┴──────────────────┘
 * ```
 *
 * When a block does not fit the current chunk, a new one is claimed: a block
 * at least as large as an ordinary chunk gets a chunk of exactly its size
 * (the current chunk keeps serving small blocks); otherwise the rest of the
 * current chunk is cut into power-of-two blocks on the free lists and the
 * new chunk becomes current. When the memory has no room for an ordinary
 * chunk, the block still gets a chunk of its own size if that fits, so
 * OUT_OF_MEMORY means no room for the block itself. Blocks are not split or merged: a size class
 * keeps the blocks it has seen, which bounds memory by each class's own peak
 * and keeps both calls O(1) (amortized, for the claims).
 */

import { FREE_LISTS, HEAP_END, HEAP_TOP } from "./layout";
import { hu32, setu32 } from "./header";
import { claimChunk, nextChunkPayload } from "./region";

/** Smallest block: 16 bytes, so every block stays 16-byte aligned. */
export const MIN_CLASS: i32 = 4;
/** Largest block: 2 GiB (a 32-bit memory cannot hold two). */
export const MAX_CLASS: i32 = 31;

/** The size class whose blocks hold `bytes` (clamped below at MIN_CLASS); > MAX_CLASS when too big. */
export function classFor(bytes: u64): i32 {
  if (bytes <= (<u64>1 << MIN_CLASS)) return MIN_CLASS;
  return 64 - <i32>clz<u64>(bytes - 1);
}

/** A block of `2^sizeClass` bytes, or 0 when no memory can be claimed (or the class is too big). */
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
  if (end <= <u64>hu32(HEAP_END)) {
    setu32(HEAP_TOP, <u32>end);
    return <usize>top;
  }
  return allocInNewChunk(<u64>1 << sizeClass);
}

/** Returns a block of `2^sizeClass` bytes to its class's free list. */
export function freeBlock(block: usize, sizeClass: i32): void {
  const list = FREE_LISTS + (<usize>sizeClass << 2);
  store<u32>(block, hu32(list));
  setu32(list, <u32>block);
}

/** The block does not fit the current chunk: claim one (cold path). */
function allocInNewChunk(size: u64): usize {
  const payload = nextChunkPayload();
  if (size < payload) {
    const chunk = claimChunk(payload);
    if (chunk != 0) {
      releaseRest();
      setu32(HEAP_TOP, <u32>(<u64>chunk + size));
      setu32(HEAP_END, <u32>(<u64>chunk + payload));
      return chunk;
    }
  }
  // As large as an ordinary chunk, or no room left for one: a chunk of the block's own size.
  return claimChunk(size);
}

/** Cuts what is left of the current chunk into free blocks, largest first. */
function releaseRest(): void {
  let top = <usize>hu32(HEAP_TOP);
  const end = <usize>hu32(HEAP_END);
  while (end - top >= (<usize>1 << MIN_CLASS)) {
    const sizeClass = min(31 - <i32>clz<u32>(<u32>(end - top)), MAX_CLASS);
    freeBlock(top, sizeClass);
    top += <usize>1 << sizeClass;
  }
  setu32(HEAP_TOP, <u32>end);
}
