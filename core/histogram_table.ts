/**
 * The histogram directory: handles with generations (like actor ids) naming
 * fixed-size histogram blocks, with first-in first-out reuse of freed
 * indices, so a stale handle names a newer histogram only after 32767 reuses
 * of its index.
 *
 * ```
 *  histogram handle (i32, > 0)
 *  ┌───┬──────────────────┬────────────────┐
 *  │ 0 │ generation (15)  │ index (16)     │
 *  └───┴──────────────────┴────────────────┘
 *
 *  HISTOGRAMS ──▶ entry[0] entry[1] ... entry[HISTOGRAM_CAPACITY - 1]
 *
 *  directory entry (16 bytes)
 *  ┌──────┬──────┬──────────────────────────────────────────────────────┐
 *  │    0 │ i32  │ HANDLE      current handle; 0 while the index is free│
 *  │    4 │ i32  │ GENERATION  1..32767, advanced on free               │
 *  │    8 │ ptr  │ BLOCK       the histogram (histogram.ts); 0 when free│
 *  │   12 │ i32  │ NEXT        free-FIFO link                           │
 *  └──────┴──────┴──────────────────────────────────────────────────────┘
 * ```
 *
 * A histogram's block (2^15 = 32768 bytes) goes back to the allocator's free
 * list on `histogramFree`, and the next `histogramCreate` takes it again.
 */

import { allocBlock, classFor, freeBlock } from "./allocator";
import {
  HISTOGRAM_CAPACITY, HISTOGRAM_ENTRY_SIZE, HISTOGRAM_FREE_HEAD, HISTOGRAM_FREE_TAIL,
  HISTOGRAM_INDEX_BITS, HISTOGRAM_INDEX_MASK, HISTOGRAM_LIVE, HISTOGRAM_MAX_GENERATION, HISTOGRAM_USED, HISTOGRAMS, LIMIT,
  MAX_HISTOGRAMS, NIL, OK, OUT_OF_MEMORY, STALE,
} from "./layout";
import { hi32, seti32 } from "./header";
import { BLOCK_CLASS, clearBlock } from "./histogram";

const HANDLE: usize = 0;
const GENERATION: usize = 4;
const BLOCK: usize = 8;
const NEXT: usize = 12;
const ENTRY_SIZE: usize = HISTOGRAM_ENTRY_SIZE;
/** Smallest directory block: 2^10 bytes, 64 entries. */
const FIRST_DIRECTORY_CLASS: i32 = 10;

// @ts-ignore: decorator
@inline function entryAt(index: i32): usize {
  return <usize>hi32(HISTOGRAMS) + <usize>index * ENTRY_SIZE;
}

/** The block of a live histogram with exactly this handle, or 0 (stale, freed, unknown). */
// @ts-ignore: decorator
@inline export function blockOf(handle: i32): usize {
  const index = handle & HISTOGRAM_INDEX_MASK;
  if (handle <= 0 || index >= hi32(HISTOGRAM_USED)) return 0;
  const entry = entryAt(index);
  return load<i32>(entry + HANDLE) == handle ? <usize>load<u32>(entry + BLOCK) : 0;
}

/** Allocates an empty histogram: its handle (> 0), or LIMIT / OUT_OF_MEMORY. */
export function histogramCreate(): i32 {
  if (hi32(HISTOGRAM_LIVE) >= MAX_HISTOGRAMS) return LIMIT;
  const reuse = hi32(HISTOGRAM_USED) > hi32(HISTOGRAM_LIVE);
  if (!reuse && hi32(HISTOGRAM_USED) == hi32(HISTOGRAM_CAPACITY) && !growDirectory()) {
    return OUT_OF_MEMORY;
  }
  const block = allocBlock(BLOCK_CLASS);
  if (block == 0) return OUT_OF_MEMORY;
  clearBlock(block);

  let index: i32;
  let generation: i32;
  if (reuse) {
    index = hi32(HISTOGRAM_FREE_HEAD);
    generation = load<i32>(entryAt(index) + GENERATION);
    const after = load<i32>(entryAt(index) + NEXT);
    seti32(HISTOGRAM_FREE_HEAD, after);
    if (after == NIL) seti32(HISTOGRAM_FREE_TAIL, NIL);
  } else {
    index = hi32(HISTOGRAM_USED);
    generation = 1;
    seti32(HISTOGRAM_USED, index + 1);
  }
  seti32(HISTOGRAM_LIVE, hi32(HISTOGRAM_LIVE) + 1);
  const entry = entryAt(index);
  const handle = (generation << HISTOGRAM_INDEX_BITS) | index;
  store<i32>(entry + HANDLE, handle);
  store<i32>(entry + GENERATION, generation);
  store<u32>(entry + BLOCK, <u32>block);
  store<i32>(entry + NEXT, NIL);
  return handle;
}

/** Frees a histogram and its block: OK, or STALE. */
export function histogramFree(handle: i32): i32 {
  const block = blockOf(handle);
  if (block == 0) return STALE;
  const index = handle & HISTOGRAM_INDEX_MASK;
  const entry = entryAt(index);
  freeBlock(block, BLOCK_CLASS);
  const generation = load<i32>(entry + GENERATION);
  store<i32>(entry + GENERATION, generation == HISTOGRAM_MAX_GENERATION ? 1 : generation + 1);
  store<i32>(entry + HANDLE, 0);
  store<u32>(entry + BLOCK, 0);
  store<i32>(entry + NEXT, NIL);
  const tail = hi32(HISTOGRAM_FREE_TAIL);
  if (tail == NIL) seti32(HISTOGRAM_FREE_HEAD, index);
  else store<i32>(entryAt(tail) + NEXT, index);
  seti32(HISTOGRAM_FREE_TAIL, index);
  seti32(HISTOGRAM_LIVE, hi32(HISTOGRAM_LIVE) - 1);
  return OK;
}

/** Live histograms. */
export function histogramCount(): i32 {
  return hi32(HISTOGRAM_LIVE);
}

/** Doubles the directory (entries move; handles hold indices, so nothing dangles). */
function growDirectory(): bool {
  const capacity = hi32(HISTOGRAM_CAPACITY);
  const oldClass = capacity == 0 ? 0 : classFor(<u64>capacity * ENTRY_SIZE);
  const grownClass = capacity == 0 ? FIRST_DIRECTORY_CLASS : oldClass + 1;
  const grown = min(<i32>((<u64>1 << grownClass) / ENTRY_SIZE), MAX_HISTOGRAMS);
  const directory = allocBlock(grownClass);
  if (directory == 0) return false;
  if (capacity != 0) {
    const old = <usize>hi32(HISTOGRAMS);
    memory.copy(directory, old, <usize>capacity * ENTRY_SIZE);
    freeBlock(old, oldClass);
  }
  seti32(HISTOGRAMS, <i32>directory);
  seti32(HISTOGRAM_CAPACITY, grown);
  return true;
}
