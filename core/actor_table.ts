/**
 * The actor table: one fixed-size record per index, ids with generations,
 * and first-in first-out reuse of freed indices (so a stale id names a newer
 * actor only after 2047 reuses of its index).
 *
 * ```
 *  actor id (i32, > 0)
 *  ┌───┬──────────────────┬────────────────────────┐
 *  │ 0 │ generation (11)  │ index (20)             │
 *  └───┴──────────────────┴────────────────────────┘
 *
 *  ACTORS ──▶ record[0] record[1] ... record[ACTOR_CAPACITY - 1]
 *
 *  actor record (88 bytes)
 *  ┌──────┬──────┬──────────────────────────────────────────────────────┐
 *  │    0 │ i32  │ ID          current id; 0 while the index is free    │
 *  │    4 │ u8   │ STATE       ActorState; 0 while free                 │
 *  │    5 │ u8   │ PRIORITY                                             │
 *  │    6 │ u8   │ OVERFLOW                                             │
 *  │    7 │ u8   │ (padding)                                            │
 *  │    8 │ ptr  │ RING        i32[CAPACITY] slots (mailbox.ts); 0 = none│
 *  │   12 │ i32  │ CAPACITY    power of two; 0 when hibernated          │
 *  │   16 │ i32  │ HEAD        ring position of the oldest message      │
 *  │   20 │ i32  │ LENGTH      queued messages                          │
 *  │   24 │ i32  │ BOUND                                                │
 *  │   28 │ i32  │ INITIAL     initial capacity, rounded                │
 *  │   32 │ i32  │ PREV        run-queue link (index), NIL at the head  │
 *  │   36 │ i32  │ NEXT        run-queue link, or free-FIFO link        │
 *  │   40 │ i32  │ HIGH_WATER  largest LENGTH ever                      │
 *  │   44 │ i32  │ GENERATION  1..2047, advanced on free                │
 *  │   48 │ u64  │ ENQUEUED                                             │
 *  │   56 │ u64  │ DEQUEUED                                             │
 *  │   64 │ u64  │ REFUSED                                              │
 *  │   72 │ u64  │ DROPPED                                              │
 *  │   80 │ u64  │ REDUCTIONS                                           │
 *  └──────┴──────┴──────────────────────────────────────────────────────┘
 * ```
 */

import { allocBlock, classFor, freeBlock } from "./allocator";
import {
  ACTOR_CAPACITY, ACTOR_FREE_HEAD, ACTOR_FREE_TAIL, ACTOR_INDEX_BITS, ACTOR_INDEX_MASK, ACTOR_LIMIT,
  ACTOR_LIVE, ACTOR_MAX_GENERATION, ACTOR_USED, ACTORS, BAD_ARGUMENT, LIMIT, MAX_ACTORS, MAX_BOUND, NIL, OK,
  OUT_OF_MEMORY, OVERFLOW_COUNT, PRIORITY_COUNT, STALE, STATE_FREE, STATE_RUNNABLE, STATE_WAITING,
} from "./layout";
import { hi32, seti32 } from "./header";
import { allocRing, discardMessages, freeRing } from "./mailbox";
import { pushTail, unlink } from "./run_queue";

export const ID: usize = 0;
export const STATE: usize = 4;
export const PRIORITY: usize = 5;
export const OVERFLOW: usize = 6;
export const RING: usize = 8;
export const CAPACITY: usize = 12;
export const HEAD: usize = 16;
export const LENGTH: usize = 20;
export const BOUND: usize = 24;
export const INITIAL: usize = 28;
export const PREV: usize = 32;
export const NEXT: usize = 36;
export const HIGH_WATER: usize = 40;
export const GENERATION: usize = 44;
export const ENQUEUED: usize = 48;
export const DEQUEUED: usize = 56;
export const REFUSED: usize = 64;
export const DROPPED: usize = 72;
export const REDUCTIONS: usize = 80;
export const RECORD_SIZE: usize = 88;

/** Smallest table block: 2^12 bytes, 46 records. */
const FIRST_TABLE_CLASS: i32 = 12;

/** The record at `index` (no checks). */
// @ts-ignore: decorator
@inline export function recordAt(index: i32): usize {
  return <usize>hi32(ACTORS) + <usize>index * RECORD_SIZE;
}

/** The record of a live actor with exactly this id, or 0 (stale, freed, unknown). */
// @ts-ignore: decorator
@inline export function recordOf(id: i32): usize {
  const index = id & ACTOR_INDEX_MASK;
  if (id <= 0 || index >= hi32(ACTOR_USED)) return 0;
  const record = recordAt(index);
  return load<i32>(record + ID) == id ? record : 0;
}

/** The table index of a record. */
// @ts-ignore: decorator
@inline export function indexOf(record: usize): i32 {
  return load<i32>(record + ID) & ACTOR_INDEX_MASK;
}

/** Smallest power of two >= n (n in 1..2^30). */
// @ts-ignore: decorator
@inline export function nextPow2(n: i32): i32 {
  return n <= 1 ? 1 : 1 << (32 - clz(n - 1));
}

/** Allocates an actor: its id (> 0), or BAD_ARGUMENT / LIMIT / OUT_OF_MEMORY. */
export function spawn(initialCapacity: i32, bound: i32, overflow: i32, priority: i32): i32 {
  if (initialCapacity < 1 || initialCapacity > MAX_BOUND) return BAD_ARGUMENT;
  if (bound < 1 || bound > MAX_BOUND) return BAD_ARGUMENT;
  if (<u32>overflow >= <u32>OVERFLOW_COUNT) return BAD_ARGUMENT;
  if (<u32>priority >= <u32>PRIORITY_COUNT) return BAD_ARGUMENT;
  if (hi32(ACTOR_LIVE) >= hi32(ACTOR_LIMIT)) return LIMIT;

  const reuse = hi32(ACTOR_USED) > hi32(ACTOR_LIVE);
  if (!reuse && hi32(ACTOR_USED) == hi32(ACTOR_CAPACITY) && !growTable()) return OUT_OF_MEMORY;
  const capacity = nextPow2(min(initialCapacity, bound));
  const ring = allocRing(capacity);
  if (ring == 0) return OUT_OF_MEMORY;

  let index: i32;
  let generation: i32;
  if (reuse) {
    index = hi32(ACTOR_FREE_HEAD);
    generation = load<i32>(recordAt(index) + GENERATION);
    const after = load<i32>(recordAt(index) + NEXT);
    seti32(ACTOR_FREE_HEAD, after);
    if (after == NIL) seti32(ACTOR_FREE_TAIL, NIL);
  } else {
    index = hi32(ACTOR_USED);
    generation = 1;
    seti32(ACTOR_USED, index + 1);
  }
  seti32(ACTOR_LIVE, hi32(ACTOR_LIVE) + 1);

  const record = recordAt(index);
  memory.fill(record, 0, RECORD_SIZE);
  const id = (generation << ACTOR_INDEX_BITS) | index;
  store<i32>(record + ID, id);
  store<u8>(record + STATE, STATE_WAITING);
  store<u8>(record + PRIORITY, <u8>priority);
  store<u8>(record + OVERFLOW, <u8>overflow);
  store<u32>(record + RING, <u32>ring);
  store<i32>(record + CAPACITY, capacity);
  store<i32>(record + BOUND, bound);
  store<i32>(record + INITIAL, capacity);
  store<i32>(record + PREV, NIL);
  store<i32>(record + NEXT, NIL);
  store<i32>(record + GENERATION, generation);
  return id;
}

/** Frees an actor, leaving the run queue and discarding its queued slots: how many, or STALE. */
export function free(id: i32): i32 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  const index = id & ACTOR_INDEX_MASK;
  if (load<u8>(record + STATE) == STATE_RUNNABLE) unlink(record);
  const discarded = discardMessages(record);
  freeRing(record);

  const generation = load<i32>(record + GENERATION);
  store<i32>(record + GENERATION, generation == ACTOR_MAX_GENERATION ? 1 : generation + 1);
  store<i32>(record + ID, 0);
  store<u8>(record + STATE, STATE_FREE);
  store<i32>(record + NEXT, NIL);
  const tail = hi32(ACTOR_FREE_TAIL);
  if (tail == NIL) seti32(ACTOR_FREE_HEAD, index);
  else store<i32>(recordAt(tail) + NEXT, index);
  seti32(ACTOR_FREE_TAIL, index);
  seti32(ACTOR_LIVE, hi32(ACTOR_LIVE) - 1);
  return discarded;
}

/** Changes an actor's priority; a Runnable actor moves to the tail of its new queue. */
export function setPriority(id: i32, priority: i32): i32 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  if (<u32>priority >= <u32>PRIORITY_COUNT) return BAD_ARGUMENT;
  if (<i32>load<u8>(record + PRIORITY) == priority) return OK;
  const runnable = load<u8>(record + STATE) == STATE_RUNNABLE;
  if (runnable) unlink(record);
  store<u8>(record + PRIORITY, <u8>priority);
  if (runnable) pushTail(record);
  return OK;
}

/** Live actors. */
export function actorCount(): i32 {
  return hi32(ACTOR_LIVE);
}

/** Doubles the table (records move; everything links by index, so nothing dangles). */
function growTable(): bool {
  const capacity = hi32(ACTOR_CAPACITY);
  const oldClass = capacity == 0 ? 0 : classFor(<u64>capacity * RECORD_SIZE);
  const grownClass = capacity == 0 ? FIRST_TABLE_CLASS : oldClass + 1;
  const grown = min(<i32>((<u64>1 << grownClass) / RECORD_SIZE), MAX_ACTORS);
  const table = allocBlock(grownClass);
  if (table == 0) return false;
  if (capacity != 0) {
    const old = <usize>hi32(ACTORS);
    memory.copy(table, old, <usize>capacity * RECORD_SIZE);
    freeBlock(old, oldClass);
  }
  seti32(ACTORS, <i32>table);
  seti32(ACTOR_CAPACITY, grown);
  return true;
}
