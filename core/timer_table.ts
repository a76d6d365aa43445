/**
 * Timer records and ids: like the actor table, ids carry a generation and
 * freed indices are reused first-in first-out, so cancelling a timer that
 * already fired (or was cancelled) is recognised as NO_TIMER.
 *
 * ```
 *  timer id (i32, > 0)
 *  ┌───┬────────────────┬──────────────────────────┐
 *  │ 0 │ generation (9) │ index (22)               │
 *  └───┴────────────────┴──────────────────────────┘
 *
 *  TIMERS ──▶ record[0] ... record[TIMER_CAPACITY - 1]
 *  FIRED  ──▶ i32[TIMER_CAPACITY]: ids fired by the last advance (never
 *             reallocated during an advance: it is as long as the table)
 *
 *  timer record (32 bytes)
 *  ┌──────┬──────┬──────────────────────────────────────────────────────┐
 *  │    0 │ i32  │ ID          current id; 0 while free                 │
 *  │    4 │ u16  │ GENERATION  1..511, advanced when fired or cancelled │
 *  │    6 │ u16  │ LOCATION    wheel list: level * 64 + slot            │
 *  │    8 │ i32  │ PREV        wheel-list link (index), NIL at the head │
 *  │   12 │ i32  │ NEXT        wheel-list link, or free-FIFO link       │
 *  │   16 │ i64  │ TICK        deadline tick (ms)                       │
 *  │   24 │ i64  │ SEQUENCE    schedule order, breaks ties in a tick    │
 *  └──────┴──────┴──────────────────────────────────────────────────────┘
 * ```
 */

import { allocBlock, classFor, freeBlock } from "./allocator";
import {
  BAD_ARGUMENT, CLOCK, FIRED, FIRED_COUNT, LIMIT, MAX_TIMER_DELAY, MAX_TIMERS, NIL, NO_TIMER, OK,
  OUT_OF_MEMORY, PAST, RANGE, TIMER_CAPACITY, TIMER_FREE_HEAD, TIMER_FREE_TAIL, TIMER_INDEX_BITS,
  TIMER_INDEX_MASK, TIMER_LIVE, TIMER_MAX_GENERATION, TIMER_SEQUENCE, TIMER_USED, TIMERS,
} from "./layout";
import { hf64, hi32, hi64, seti32, seti64 } from "./header";
import { insertTimer, removeTimer } from "./timer_wheel";

export const T_ID: usize = 0;
export const T_GENERATION: usize = 4;
export const T_LOCATION: usize = 6;
export const T_PREV: usize = 8;
export const T_NEXT: usize = 12;
export const T_TICK: usize = 16;
export const T_SEQUENCE: usize = 24;
export const TIMER_RECORD_SIZE: usize = 32;
const TIMER_RECORD_SHIFT: i32 = 5;
const FIRED_ENTRY_SHIFT: i32 = 2;
/** Smallest timer table: 2^10 bytes, 32 records. */
const FIRST_TABLE_CLASS: i32 = 10;

/** The timer record at `index` (no checks). */
// @ts-ignore: decorator
@inline export function timerAt(index: i32): usize {
  return <usize>hi32(TIMERS) + (<usize>index << TIMER_RECORD_SHIFT);
}

/** Schedules a timer at `deadline` ms: its id (> 0), or BAD_ARGUMENT / PAST / RANGE / LIMIT / OUT_OF_MEMORY. */
export function timerSchedule(deadline: f64): i32 {
  if (!isFinite(deadline)) return BAD_ARGUMENT;
  const current = Math.floor(hf64(CLOCK));
  let tick = Math.ceil(deadline);
  if (tick < current) return PAST;
  // The wheel has already passed the current tick: it fires at the next one.
  if (tick == current) tick = current + 1;
  if (tick - current > MAX_TIMER_DELAY) return RANGE;
  if (hi32(TIMER_LIVE) >= MAX_TIMERS) return LIMIT;

  const reuse = hi32(TIMER_USED) > hi32(TIMER_LIVE);
  if (!reuse && hi32(TIMER_USED) == hi32(TIMER_CAPACITY) && !growTimers()) return OUT_OF_MEMORY;
  let index: i32;
  let generation: i32;
  if (reuse) {
    index = hi32(TIMER_FREE_HEAD);
    generation = <i32>load<u16>(timerAt(index) + T_GENERATION);
    const after = load<i32>(timerAt(index) + T_NEXT);
    seti32(TIMER_FREE_HEAD, after);
    if (after == NIL) seti32(TIMER_FREE_TAIL, NIL);
  } else {
    index = hi32(TIMER_USED);
    generation = 1;
    seti32(TIMER_USED, index + 1);
  }
  seti32(TIMER_LIVE, hi32(TIMER_LIVE) + 1);

  const timer = timerAt(index);
  const id = (generation << TIMER_INDEX_BITS) | index;
  const sequence = hi64(TIMER_SEQUENCE);
  seti64(TIMER_SEQUENCE, sequence + 1);
  store<i32>(timer + T_ID, id);
  store<u16>(timer + T_GENERATION, <u16>generation);
  store<i64>(timer + T_TICK, <i64>tick);
  store<i64>(timer + T_SEQUENCE, sequence);
  insertTimer(index, timer);
  return id;
}

/** Cancels a pending timer: OK, or NO_TIMER (unknown, fired or cancelled). */
export function timerCancel(timerId: i32): i32 {
  const index = timerId & TIMER_INDEX_MASK;
  if (timerId <= 0 || index >= hi32(TIMER_USED)) return NO_TIMER;
  const timer = timerAt(index);
  if (load<i32>(timer + T_ID) != timerId) return NO_TIMER;
  removeTimer(timer);
  releaseTimer(index, timer);
  return OK;
}

/** Pending timers. */
export function timerCount(): i32 {
  return hi32(TIMER_LIVE);
}

/** Retires a timer that fired or was cancelled: new generation, index to the FIFO tail. */
export function releaseTimer(index: i32, timer: usize): void {
  const generation = <i32>load<u16>(timer + T_GENERATION);
  store<u16>(timer + T_GENERATION, <u16>(generation == TIMER_MAX_GENERATION ? 1 : generation + 1));
  store<i32>(timer + T_ID, 0);
  store<i32>(timer + T_NEXT, NIL);
  const tail = hi32(TIMER_FREE_TAIL);
  if (tail == NIL) seti32(TIMER_FREE_HEAD, index);
  else store<i32>(timerAt(tail) + T_NEXT, index);
  seti32(TIMER_FREE_TAIL, index);
  seti32(TIMER_LIVE, hi32(TIMER_LIVE) - 1);
}

/** Doubles the timer table and the fired buffer together. */
function growTimers(): bool {
  const capacity = hi32(TIMER_CAPACITY);
  const grown = capacity == 0 ? (1 << FIRST_TABLE_CLASS) >> TIMER_RECORD_SHIFT : capacity << 1;
  const tableClass = classFor(<u64>grown << TIMER_RECORD_SHIFT);
  const firedClass = classFor(<u64>grown << FIRED_ENTRY_SHIFT);
  const table = allocBlock(tableClass);
  if (table == 0) return false;
  const fired = allocBlock(firedClass);
  if (fired == 0) {
    freeBlock(table, tableClass);
    return false;
  }
  if (capacity != 0) {
    const oldTable = <usize>hi32(TIMERS);
    memory.copy(table, oldTable, <usize>capacity << TIMER_RECORD_SHIFT);
    freeBlock(oldTable, classFor(<u64>capacity << TIMER_RECORD_SHIFT));
    // The last advance's fired ids stay readable across the move.
    const oldFired = <usize>hi32(FIRED);
    memory.copy(fired, oldFired, <usize>hi32(FIRED_COUNT) << FIRED_ENTRY_SHIFT);
    freeBlock(oldFired, classFor(<u64>capacity << FIRED_ENTRY_SHIFT));
  }
  seti32(TIMERS, <i32>table);
  seti32(FIRED, <i32>fired);
  seti32(TIMER_CAPACITY, grown);
  return true;
}
