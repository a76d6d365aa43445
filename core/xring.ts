/**
 * Shared rings: lock-free multi-producer single-consumer byte rings between
 * schedulers, each a Worker of its own over one shared memory. A ring belongs
 * to its consumer: that core makes it from its own blocks (allocator.ts) and
 * is the only one that reads it; any other instance — on any thread — may
 * write into it by address, with atomic operations only, so the ring
 * functions below never touch the calling instance's header (except
 * `ringCreate`, which allocates).
 *
 * ```
 *  ring header (layout.ts: XRingHeader; 512 bytes, each side's fields 128 bytes from the others)
 *  ┌─────────────────────────────┬──────────┬─────────────────────────┬──────────────┐
 *  │ MAGIC CAPACITY MASK DATA    │ HEAD     │ TAIL RECORDS FULL WAKES │ SLEEPING     │
 *  │ OWNER (written at creation) │ consumer │ producers: cmpxchg, add │ consumer: 1  │
 *  └─────────────────────────────┴──────────┴─────────────────────────┴──────────────┘
 *  0                             128        256                       384        512
 *
 *  data area, wrapped (CAPACITY bytes; HEAD and TAIL are u32 positions, taken & MASK)
 *  ┌──────────┬──────────┬───────────────────────────────┬──────────┬──────────┬─────┐
 *  │ record   │ reserved │ zeroes: free room (consumed   │ record   │ record   │ PAD │
 *  │ (commit- │ (word 0: │ records, zeroed before HEAD   │          │ (commit- │     │
 *  │ ted)     │ writing) │ moved past them)              │          │ ted)     │     │
 *  └──────────┴──────────┴───────────────────────────────┴──────────┴──────────┴─────┘
 *  0                     ▲ TAIL                          ▲ HEAD                  CAPACITY
 *
 *  record (8-byte aligned)                       commit word (u32, stored last, atomically)
 *  ┌──────┬──────────┬──────────┬──────┬───────┐   0                       not committed (yet)
 *  │ word │ reserved │ producer │ zero │ pay-  │   1 .. reserved           a record that long
 *  │ u32  │ u32      │ u32      │ u32  │ load  │   XRING_PAD_FLAG | bytes  skip `bytes`: a PAD,
 *  └──────┴──────────┴──────────┴──────┴───────┘                           or an abandoned record
 *  (`reserved`: the length reserved, and `producer`: the reserving producer's
 *  id (>= 1), both stored right after the reservation; the record spans
 *  XRING_RECORD_HEADER + reserved bytes, rounded up to 8)
 * ```
 *
 * A producer reserves with one compare-and-swap on TAIL: the record's size,
 * or — when the record would cross the end of the data area — the bytes up
 * to the end as a PAD plus the record at offset 0, in the same swap. It then
 * copies its payload and commits: one atomic store of the record's commit
 * word. The consumer reads records in reservation order; each committed
 * record it consumes (PADs included) is zeroed whole before HEAD moves past
 * it, so every byte outside the committed records reads zero and a zero word
 * always means "not committed yet", wherever the next header lands.
 *
 * Guarantees: a record is visible only after its commit, exactly once, and
 * the records of one producer thread appear in its reservation order. The
 * usual MPSC trade-off: a producer that reserved first and is slow to commit
 * holds back the records committed after it, until it commits. A full ring
 * refuses the reservation (counted in FULL) and never blocks or drops: the
 * producer keeps its bytes and retries. A record of at most `maxRecord`
 * (CAPACITY / 2 - XRING_RECORD_HEADER) bytes always fits an empty ring, PAD
 * included. A reservation may be committed shorter than it was reserved (a
 * producer that encodes in place reserves an upper bound), or abandoned (a
 * commit of length 0 turns it into a PAD).
 *
 * Dead producers: a producer is a thread (a scheduler's Worker) that may be
 * terminated or crash between its reservation and its commit; the consumer
 * would then wait at that record forever, holding back every later record.
 * Each reservation names its producer (an id >= 1 the producer attaches
 * with; ids of live producers are unique per ring), so once the consumer
 * knows a producer's thread has ended (its Worker's exit event),
 * `ringSkipAbandoned` zeroes that producer's uncommitted reservations at
 * HEAD and moves past them. A live producer's reservation is never skipped,
 * however long it takes to commit (a preempted thread on a busy machine):
 * only the named, dead producer's are, and only before the position TAIL had
 * when it was known dead (a new producer reusing the id writes beyond it:
 * `ringSkipAbandonedBefore` takes that position, `ringSkipAbandoned` reads
 * TAIL now).
 *
 * A terminated thread cannot leave a reservation without its header: the
 * header is stored by `ringReserve` itself, in straight-line code right after
 * the compare-and-swap that made the reservation, and V8 and JavaScriptCore
 * stop a thread (terminate, or an interrupt) only at function entries and
 * loop back-edges — there is neither between the swap and those stores. The
 * consumer does not rely on it anyway: a record at HEAD whose commit word,
 * producer and reserved length all read zero while TAIL is past HEAD has an
 * unknown size and cannot be skipped; the consumer waits there (it would for
 * a live producer between its swap and its stores too, for a few
 * instructions).
 *
 * Sleeping: the consumer sets SLEEPING, then looks again for a record
 * (`ringPrepareSleep`); a producer commits, then looks at SLEEPING. Atomic
 * operations are sequentially consistent, so at least one of the two sees the
 * other: a sleeper is never left waiting for a record already committed. The
 * commit that finds SLEEPING set clears it with a compare-and-swap (one
 * producer wins) and notifies the word; the host waits on it with
 * `Atomics.waitAsync`.
 *
 * Limits: a ring is never freed (like the chunks it lives in); only one
 * thread may consume it; capacities are 4 KiB .. 256 MiB.
 */

import {
  BAD_ARGUMENT, EMPTY, OK, XRING_CAPACITY, XRING_DATA, XRING_FULL, XRING_HEAD, XRING_HEADER_SIZE,
  XRING_MAGIC, XRING_MASK, XRING_MAX_CAPACITY, XRING_MIN_CAPACITY, XRING_OWNER, XRING_PAD_FLAG,
  XRING_RECORD_HEADER, XRING_RECORDS, XRING_SIGNATURE, XRING_SLEEPING, XRING_TAIL, XRING_WAKES,
} from "./layout";
import { header } from "./header";
import { allocBlock, classFor, freeBlock } from "./allocator";
import { instanceId } from "./region";

/** Offset of the reserved length in a record header. */
const RESERVED: usize = 4;
/** Offset of the reserving producer's id in a record header. */
const PRODUCER: usize = 8;
/** Every waiter on SLEEPING: the consumer has one, unless its host left a timed-out one behind. */
const ALL_WAITERS: i32 = i32.MAX_VALUE;

/** Bytes a record of `length` payload bytes takes in the data area: header included, 8-aligned. */
// @ts-ignore: decorator
@inline function recordSize(length: u32): u32 {
  return (length + XRING_RECORD_HEADER + 7) & ~7;
}

/** The largest payload a ring of `capacity` bytes takes: one always fits when it is empty. */
// @ts-ignore: decorator
@inline function maxRecordOf(capacity: u32): u32 {
  return (capacity >> 1) - XRING_RECORD_HEADER;
}

/**
 * Makes a ring with a data area of `capacity` bytes (a power of two in
 * XRING_MIN_CAPACITY .. XRING_MAX_CAPACITY) from this instance's blocks: its
 * address, or 0 (bad capacity, instance not placed, or out of memory).
 */
export function ringCreate(capacity: u32): usize {
  if (capacity < XRING_MIN_CAPACITY || capacity > XRING_MAX_CAPACITY) return 0;
  if ((capacity & (capacity - 1)) != 0 || header == 0) return 0;
  const headerClass = classFor(<u64>XRING_HEADER_SIZE);
  const ring = allocBlock(headerClass);
  if (ring == 0) return 0;
  const data = allocBlock(classFor(<u64>capacity));
  if (data == 0) {
    freeBlock(ring, headerClass);
    return 0;
  }
  // A block may come from a free list: the invariant needs zeroes everywhere.
  memory.fill(data, 0, capacity);
  memory.fill(ring, 0, XRING_HEADER_SIZE);
  store<u32>(ring + XRING_CAPACITY, capacity);
  store<u32>(ring + XRING_MASK, capacity - 1);
  store<u32>(ring + XRING_DATA, <u32>data);
  store<u32>(ring + XRING_OWNER, <u32>instanceId());
  // Last: whoever sees the magic (atomically) sees the whole header.
  atomic.store<u32>(ring + XRING_MAGIC, XRING_SIGNATURE);
  return ring;
}

/**
 * Reserves room for a record of `length` bytes (1 .. maxRecord) for the
 * producer `producer` (its id, >= 1): the address where its payload goes, or
 * 0 when the ring has no room now (counted in FULL), or `length` or
 * `producer` is out of range. Any thread; never blocks.
 */
export function ringReserve(ring: usize, length: u32, producer: u32): usize {
  const capacity = load<u32>(ring + XRING_CAPACITY);
  if (length == 0 || length > maxRecordOf(capacity) || producer == 0) return 0;
  const size = recordSize(length);
  const mask = capacity - 1;
  const data = <usize>load<u32>(ring + XRING_DATA);
  let offset: u32 = 0;
  let toEnd: u32 = 0;
  let need: u32 = 0;
  while (true) {
    // TAIL, then HEAD (binaryen keeps this order in the unshared build too, so
    // both builds stay identical). A HEAD read after TAIL may have passed it
    // (records reserved meanwhile were consumed): `used` then wraps past
    // capacity, and both are read again. Otherwise HEAD is at most the current
    // one, so the room is never overestimated, and the swap below fails if TAIL moved.
    const tail = atomic.load<u32>(ring + XRING_TAIL);
    const used = tail - atomic.load<u32>(ring + XRING_HEAD);
    if (used > capacity) continue;
    offset = tail & mask;
    toEnd = capacity - offset;
    need = size <= toEnd ? size : toEnd + size;
    if (need > capacity - used) {
      atomic.add<u64>(ring + XRING_FULL, 1);
      return 0;
    }
    if (atomic.cmpxchg<u32>(ring + XRING_TAIL, tail, tail + need) == tail) break;
  }
  // Straight-line code from the swap to the header's stores: no call, no loop,
  // so no point where the engine could stop this thread (see "Dead producers").
  if (need == size) {
    const at = data + <usize>offset;
    store<u32>(at + RESERVED, length);
    store<u32>(at + PRODUCER, producer);
    return at + XRING_RECORD_HEADER;
  }
  // Wrapped: the end of the area becomes a PAD (committed at once), the record goes to 0.
  store<u32>(data + RESERVED, length);
  store<u32>(data + PRODUCER, producer);
  atomic.store<u32>(data + <usize>offset, XRING_PAD_FLAG | toEnd);
  return data + XRING_RECORD_HEADER;
}

/**
 * Publishes the record whose payload is at `address` (from `ringReserve`)
 * with `length` bytes (1 .. its reserved length): 1 when it woke the sleeping
 * consumer, else 0. Any other length abandons the reservation (the consumer
 * skips it) and returns BAD_ARGUMENT. Exactly once per reservation, by the
 * thread that reserved it (nothing can check a second commit).
 */
export function ringCommit(ring: usize, address: usize, length: u32): i32 {
  const at = address - XRING_RECORD_HEADER;
  const reserved = load<u32>(at + RESERVED);
  if (length == 0 || length > reserved) {
    atomic.store<u32>(at, XRING_PAD_FLAG | recordSize(reserved));
    return BAD_ARGUMENT;
  }
  atomic.store<u32>(at, length);
  atomic.add<u64>(ring + XRING_RECORDS, 1);
  if (atomic.load<i32>(ring + XRING_SLEEPING) == 0) return 0;
  if (atomic.cmpxchg<i32>(ring + XRING_SLEEPING, 1, 0) != 1) return 0;
  atomic.add<u64>(ring + XRING_WAKES, 1);
  atomic.notify(ring + XRING_SLEEPING, ALL_WAITERS);
  return 1;
}

/** Zeroes `bytes` at HEAD's record and moves HEAD past them (consumer only). */
// @ts-ignore: decorator
@inline function consume(ring: usize, head: u32, at: usize, bytes: u32): void {
  memory.fill(at, 0, bytes);
  atomic.store<u32>(ring + XRING_HEAD, head + bytes);
}

/**
 * The payload address of the next committed record, or 0 when the next one is
 * not committed yet (the ring is empty, or its producer is still writing).
 * Consumes the PADs on the way. Consumer only.
 */
export function ringPeek(ring: usize): usize {
  const mask = load<u32>(ring + XRING_MASK);
  const data = <usize>load<u32>(ring + XRING_DATA);
  while (true) {
    const head = atomic.load<u32>(ring + XRING_HEAD);
    const at = data + <usize>(head & mask);
    const word = atomic.load<u32>(at);
    if (word == 0) return 0;
    if ((word & XRING_PAD_FLAG) == 0) return at + XRING_RECORD_HEADER;
    consume(ring, head, at, word & ~XRING_PAD_FLAG);
  }
}

/** The payload length of the record `ringPeek` found, or 0 when there is none. Consumer only. */
export function ringLength(ring: usize): u32 {
  const at = ringPeek(ring);
  return at == 0 ? 0 : atomic.load<u32>(at - XRING_RECORD_HEADER);
}

/**
 * Consumes the record `ringPeek` found: zeroes it whole (header, payload and
 * the rest of its reservation) and moves HEAD past it. OK, or EMPTY when no
 * record is committed at HEAD. Consumer only.
 */
export function ringRelease(ring: usize): i32 {
  const at = ringPeek(ring);
  if (at == 0) return EMPTY;
  const record = at - XRING_RECORD_HEADER;
  consume(ring, atomic.load<u32>(ring + XRING_HEAD), record, recordSize(load<u32>(record + RESERVED)));
  return OK;
}

/**
 * `ringRelease`, then `ringPeek`: consumes the record found and returns the
 * next one's payload address, or 0 (none committed yet). One call per record
 * while draining. Consumer only.
 */
export function ringNext(ring: usize): usize {
  return ringRelease(ring) == OK ? ringPeek(ring) : 0;
}

/**
 * Skips the abandoned reservations of the dead producer `producer` at HEAD:
 * while the record at HEAD starts before position `before` (a TAIL read once
 * the producer was known dead), is reserved and not committed, and names
 * `producer`, zeroes it whole and moves HEAD past it; the committed PADs in
 * between are consumed too. Stops at a committed record, at another
 * producer's reservation, at an empty ring, and at a reservation whose header
 * reads zero (unknown size: see "Dead producers"). Returns how many
 * reservations it skipped. Consumer only; `producer` must be dead — its
 * thread ended — or nothing of it may be before `before`.
 */
export function ringSkipAbandonedBefore(ring: usize, producer: u32, before: u32): u32 {
  const mask = load<u32>(ring + XRING_MASK);
  const data = <usize>load<u32>(ring + XRING_DATA);
  let skipped: u32 = 0;
  if (producer == 0) return 0;
  while (true) {
    const head = atomic.load<u32>(ring + XRING_HEAD);
    // Positions wrap at 2^32 and are never more than CAPACITY apart.
    if (<i32>(before - head) <= 0) break;
    const at = data + <usize>(head & mask);
    const word = atomic.load<u32>(at);
    if ((word & XRING_PAD_FLAG) != 0) {
      consume(ring, head, at, word & ~XRING_PAD_FLAG);
      continue;
    }
    if (word != 0) break;
    if (atomic.load<u32>(at + PRODUCER) != producer) break;
    const reserved = atomic.load<u32>(at + RESERVED);
    if (reserved == 0) break;
    consume(ring, head, at, recordSize(reserved));
    skipped++;
  }
  return skipped;
}

/**
 * `ringSkipAbandonedBefore` up to the current TAIL: skips the dead producer
 * `producer`'s abandoned reservations at HEAD (and the PADs in between), and
 * returns how many it skipped. Consumer only, once `producer`'s thread has
 * ended, and before another producer attaches with the same id.
 */
export function ringSkipAbandoned(ring: usize, producer: u32): u32 {
  return ringSkipAbandonedBefore(ring, producer, atomic.load<u32>(ring + XRING_TAIL));
}

/**
 * Sets SLEEPING, then looks again: 1 when the consumer may wait on SLEEPING
 * (nothing committed at HEAD), else 0 (SLEEPING cleared: a record is there).
 * Consumer only.
 */
export function ringPrepareSleep(ring: usize): i32 {
  atomic.store<i32>(ring + XRING_SLEEPING, 1);
  if (ringPeek(ring) == 0) return 1;
  atomic.store<i32>(ring + XRING_SLEEPING, 0);
  return 0;
}
