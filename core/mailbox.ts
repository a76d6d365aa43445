/**
 * Mailbox rings: each actor queues its messages' slots in a power-of-two ring
 * of i32 that doubles when full (up to nextPow2(bound)), shrinks back to its
 * initial capacity when the actor goes idle, and can be freed entirely
 * (hibernate). The payloads stay in JavaScript; the enqueue time of each
 * message is kept per slot (slots.ts).
 *
 * ```
 *  RING (2^k bytes, CAPACITY = 2^k / 4 entries)
 *  ┌──────┬──────┬──────┬──────┬──────┬──────┬──────┬──────┐
 *  │      │      │ slot │ slot │ slot │      │      │      │
 *  └──────┴──────┴──────┴──────┴──────┴──────┴──────┴──────┘
 *                  ▲ HEAD             ▲ (HEAD + LENGTH) & (CAPACITY - 1): next enqueue
 * ```
 *
 * `enqueue` and `dequeue` are the hot path: no loop and no allocation unless
 * the ring grows; everything rare (overflow, growth, a new slot array) sits in
 * its own function behind one branch (binaryen may inline it; the hot path
 * never executes it).
 */

import { allocBlock, classFor, freeBlock } from "./allocator";
import {
  BAD_STATE, CLOCK, DROPPED as DROPPED_CODE, EMPTY, FULL, OK, OUT_OF_MEMORY, OVERFLOW_DROP_NEWEST,
  OVERFLOW_REJECT, REUSED_SLOT, STALE, STATE_WAITING,
} from "./layout";
import { hf64 } from "./header";
import {
  BOUND, CAPACITY, DEQUEUED, DROPPED, ENQUEUED, HEAD, HIGH_WATER, INITIAL, LENGTH, OVERFLOW,
  recordOf, REFUSED, RING, STATE,
} from "./actor_table";
import { pushTail } from "./run_queue";
import { reserveSlot, returnSlot, stampSlot, takeSlot } from "./slots";

const ENTRY_SHIFT: i32 = 2;

/** A ring block for `capacity` entries, or 0 (out of memory). */
export function allocRing(capacity: i32): usize {
  return allocBlock(classFor(<u64>capacity << ENTRY_SHIFT));
}

/** Frees an actor's ring, if it has one (capacity 0 = hibernated). */
export function freeRing(record: usize): void {
  const capacity = load<i32>(record + CAPACITY);
  if (capacity != 0) freeBlock(load<u32>(record + RING), classFor(<u64>capacity << ENTRY_SHIFT));
  store<u32>(record + RING, 0);
  store<i32>(record + CAPACITY, 0);
  store<i32>(record + HEAD, 0);
}

/** Accepts a message: its slot (| REUSED_SLOT for a DropOldest drop), or a negative code. */
export function enqueue(id: i32): i32 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  const length = load<i32>(record + LENGTH);
  if (length >= load<i32>(record + BOUND)) return overflow(record);
  const reserved = reserveSlot();
  if (reserved != OK) return reserved;
  if (length == load<i32>(record + CAPACITY) && !growRing(record)) return OUT_OF_MEMORY;

  const slot = takeSlot();
  const mask = load<i32>(record + CAPACITY) - 1;
  const position = (load<i32>(record + HEAD) + length) & mask;
  store<i32>(<usize>load<u32>(record + RING) + (<usize>position << ENTRY_SHIFT), slot);
  stampSlot(slot, hf64(CLOCK));
  store<i32>(record + LENGTH, length + 1);
  store<u64>(record + ENQUEUED, load<u64>(record + ENQUEUED) + 1);
  if (length >= load<i32>(record + HIGH_WATER)) store<i32>(record + HIGH_WATER, length + 1);
  if (load<u8>(record + STATE) == STATE_WAITING) pushTail(record);
  return slot;
}

/** Takes the oldest message: its slot, or STALE / EMPTY. Any state; never changes it. */
export function dequeue(id: i32): i32 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  const length = load<i32>(record + LENGTH);
  if (length == 0) return EMPTY;
  const head = load<i32>(record + HEAD);
  const slot = load<i32>(<usize>load<u32>(record + RING) + (<usize>head << ENTRY_SHIFT));
  store<i32>(record + HEAD, (head + 1) & (load<i32>(record + CAPACITY) - 1));
  store<i32>(record + LENGTH, length - 1);
  store<u64>(record + DEQUEUED, load<u64>(record + DEQUEUED) + 1);
  returnSlot(slot);
  return slot;
}

/** Frees the ring of a Waiting actor with an empty mailbox: OK, or STALE / BAD_STATE. */
export function hibernate(id: i32): i32 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  if (load<u8>(record + STATE) != STATE_WAITING || load<i32>(record + LENGTH) != 0) return BAD_STATE;
  freeRing(record);
  return OK;
}

/** The slot of the oldest queued message (the mailbox must not be empty). */
export function oldestSlot(record: usize): i32 {
  return load<i32>(<usize>load<u32>(record + RING) + (<usize>load<i32>(record + HEAD) << ENTRY_SHIFT));
}

/** Returns every queued slot to the pool, oldest first: how many. */
export function discardMessages(record: usize): i32 {
  const length = load<i32>(record + LENGTH);
  const ring = <usize>load<u32>(record + RING);
  const mask = load<i32>(record + CAPACITY) - 1;
  const head = load<i32>(record + HEAD);
  for (let i = 0; i < length; i++) {
    returnSlot(load<i32>(ring + (<usize>((head + i) & mask) << ENTRY_SHIFT)));
  }
  store<i32>(record + LENGTH, 0);
  return length;
}

/** Back to the initial capacity once idle and empty (the actor just turned Waiting). */
export function shrinkRing(record: usize): void {
  const initial = load<i32>(record + INITIAL);
  const capacity = load<i32>(record + CAPACITY);
  if (capacity <= initial || load<i32>(record + LENGTH) != 0) return;
  const ring = allocRing(initial);
  // Out of memory: keep the larger ring (still correct, just bigger).
  if (ring == 0) return;
  freeRing(record);
  store<u32>(record + RING, <u32>ring);
  store<i32>(record + CAPACITY, initial);
}

/** The mailbox is at its bound: apply the overflow policy (cold path). */
function overflow(record: usize): i32 {
  const policy = load<u8>(record + OVERFLOW);
  if (policy == OVERFLOW_REJECT) {
    store<u64>(record + REFUSED, load<u64>(record + REFUSED) + 1);
    return FULL;
  }
  store<u64>(record + DROPPED, load<u64>(record + DROPPED) + 1);
  if (policy == OVERFLOW_DROP_NEWEST) return DROPPED_CODE;

  // DropOldest: the oldest entry's slot moves to the newest position, restamped.
  const ring = <usize>load<u32>(record + RING);
  const mask = load<i32>(record + CAPACITY) - 1;
  const head = load<i32>(record + HEAD);
  const length = load<i32>(record + LENGTH);
  const slot = load<i32>(ring + (<usize>head << ENTRY_SHIFT));
  store<i32>(ring + (<usize>((head + length) & mask) << ENTRY_SHIFT), slot);
  store<i32>(record + HEAD, (head + 1) & mask);
  stampSlot(slot, hf64(CLOCK));
  store<u64>(record + ENQUEUED, load<u64>(record + ENQUEUED) + 1);
  if (load<u8>(record + STATE) == STATE_WAITING) pushTail(record);
  return slot | REUSED_SLOT;
}

/** Doubles a full ring, or re-creates a hibernated one at its initial capacity (cold path). */
function growRing(record: usize): bool {
  const capacity = load<i32>(record + CAPACITY);
  const grown = capacity == 0 ? load<i32>(record + INITIAL) : capacity << 1;
  const ring = allocRing(grown);
  if (ring == 0) return false;
  if (capacity != 0) {
    // Unroll the full ring into the new one in order: [head, end) then [0, head).
    const old = <usize>load<u32>(record + RING);
    const head = <usize>load<i32>(record + HEAD);
    const tailBytes = (<usize>capacity - head) << ENTRY_SHIFT;
    memory.copy(ring, old + (head << ENTRY_SHIFT), tailBytes);
    memory.copy(ring + tailBytes, old, head << ENTRY_SHIFT);
    freeRing(record);
  }
  store<u32>(record + RING, <u32>ring);
  store<i32>(record + CAPACITY, grown);
  store<i32>(record + HEAD, 0);
  return true;
}
