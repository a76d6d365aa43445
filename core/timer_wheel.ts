/**
 * A hierarchical timer wheel of 1 ms ticks: 7 levels of 64 slots, level L
 * slot s holding timers whose deadline tick agrees with the wheel tick above
 * bit 6L+5 and has digit s at bits 6L..6L+5. Six levels span 2^36 ticks (the
 * largest delay); the seventh holds deadlines just past the next 2^36
 * boundary, and, for a deadline across a 2^42 boundary, the next lap. Each slot is an intrusive doubly linked list of timer records
 * (O(1) cancel) and each level has a 64-bit occupancy bitmap, so `advance`
 * jumps straight to the next non-empty slot: hours of idle time cost a few
 * bit scans, not one step per tick.
 *
 * ```
 *  deadline tick (i64)
 *  ┌────────┬────────┬────────┬────────┬────────┬────────┬────────┐
 *  │ L6     │ L5     │ L4     │ L3     │ L2     │ L1     │ L0     │
 *  │ 41..36 │ 35..30 │ 29..24 │ 23..18 │ 17..12 │ 11..6  │ 5..0   │
 *  └────────┴────────┴────────┴────────┴────────┴────────┴────────┘
 *  level = (highest bit where tick and WHEEL_TICK differ) / 6
 *
 *  header, per level L (WHEEL_OCCUPIED u64[7], WHEEL_HEAD/TAIL i32[7 * 64])
 *  WHEEL_OCCUPIED[L]  bit s set  <=>  slot s of level L is not empty
 *  WHEEL_HEAD[L * 64 + s] ──▶ timer ⇄ timer ⇄ timer ◀── WHEEL_TAIL[L * 64 + s]
 * ```
 *
 * Invariant: every timer at level L sits in a slot whose digit is greater
 * than WHEEL_TICK's digit at L. So the next event is the lowest set bit of
 * the lowest non-empty level, and when that slot's start tick is reached,
 * every lower level is empty. Its timers either fire (deadline reached) or
 * cascade into those empty lower lists in list order, so each list stays in
 * schedule order and the timers of one tick fire in the order they were
 * scheduled. A sequence check still guards each fired tick and sorts it by
 * SEQUENCE should that order ever be broken.
 */

import {
  BAD_ARGUMENT, CLOCK, FIRED, FIRED_COUNT, MAX_CLOCK, NIL, PAST, RANGE, TIMER_INDEX_MASK,
  TIMER_LIVE, WHEEL_HEAD, WHEEL_LEVELS, WHEEL_OCCUPIED, WHEEL_SLOTS, WHEEL_TAIL, WHEEL_TICK,
} from "./layout";
import { hf64, hi32, hi64, setf64, seti32, seti64 } from "./header";
import {
  releaseTimer, T_ID, T_LOCATION, T_NEXT, T_PREV, T_SEQUENCE, T_TICK, timerAt,
} from "./timer_table";

const SLOT_BITS: i64 = 6;
const SLOT_MASK: i64 = 63;
const NO_TIMER_DUE: f64 = -1;

// @ts-ignore: decorator
@inline function occupiedAt(level: i32): usize {
  return WHEEL_OCCUPIED + (<usize>level << 3);
}

// @ts-ignore: decorator
@inline function firedAt(position: i32): usize {
  return <usize>hi32(FIRED) + (<usize>position << 2);
}

/** Links a pending timer into the list its deadline and the wheel tick call for. */
export function insertTimer(index: i32, timer: usize): void {
  const tick = load<i64>(timer + T_TICK);
  let level = <i32>((63 - clz<i64>(tick ^ hi64(WHEEL_TICK))) / SLOT_BITS);
  // A deadline across a 2^42 boundary differs above the top level. Being at
  // most MAX_TIMER_DELAY ahead, it lies in the top level's next lap (see slotStart).
  if (level >= <i32>WHEEL_LEVELS) level = <i32>WHEEL_LEVELS - 1;
  const slot = <i32>((tick >> (<i64>level * SLOT_BITS)) & SLOT_MASK);
  const location = level * <i32>WHEEL_SLOTS + slot;
  const tailAt = WHEEL_TAIL + (<usize>location << 2);
  const occupied = occupiedAt(level);
  const bits = hi64(occupied);
  const bit = <i64>1 << slot;
  store<u16>(timer + T_LOCATION, <u16>location);
  store<i32>(timer + T_NEXT, NIL);
  if (bits & bit) {
    const tail = hi32(tailAt);
    store<i32>(timer + T_PREV, tail);
    store<i32>(timerAt(tail) + T_NEXT, index);
  } else {
    store<i32>(timer + T_PREV, NIL);
    seti32(WHEEL_HEAD + (<usize>location << 2), index);
    seti64(occupied, bits | bit);
  }
  seti32(tailAt, index);
}

/** Unlinks a pending timer from its list (cancel). */
export function removeTimer(timer: usize): void {
  const location = <i32>load<u16>(timer + T_LOCATION);
  const before = load<i32>(timer + T_PREV);
  const after = load<i32>(timer + T_NEXT);
  if (before == NIL) seti32(WHEEL_HEAD + (<usize>location << 2), after);
  else store<i32>(timerAt(before) + T_NEXT, after);
  if (after == NIL) seti32(WHEEL_TAIL + (<usize>location << 2), before);
  else store<i32>(timerAt(after) + T_PREV, before);
  if (before == NIL && after == NIL) {
    const level = location / <i32>WHEEL_SLOTS;
    const occupied = occupiedAt(level);
    seti64(occupied, hi64(occupied) & ~(<i64>1 << (location & <i32>SLOT_MASK)));
  }
}

/** The lowest non-empty level, or WHEEL_LEVELS when no timer is pending. */
function nextLevel(): i32 {
  let level = 0;
  while (level < <i32>WHEEL_LEVELS && hi64(occupiedAt(level)) == 0) level++;
  return level;
}

/** The tick at which the first non-empty slot of `level` starts. */
function slotStart(level: i32): i64 {
  const shift = <i64>level * SLOT_BITS;
  const slot = ctz<i64>(hi64(occupiedAt(level)));
  const above = (hi64(WHEEL_TICK) >> (shift + SLOT_BITS)) << (shift + SLOT_BITS);
  const start = above | (slot << shift);
  // Only a top-level slot can sit behind the wheel tick: a deadline in the
  // next lap (insertTimer). The wheel tick's top digit is then 63, so no slot
  // of the current lap can be pending ahead of it.
  return start < hi64(WHEEL_TICK) ? start + (<i64>1 << (shift + SLOT_BITS)) : start;
}

/** Moves the clock to `now` and fires due timers: how many, or BAD_ARGUMENT / PAST / RANGE. */
export function advance(now: f64): i32 {
  if (!isFinite(now)) return BAD_ARGUMENT;
  if (now < hf64(CLOCK)) return PAST;
  if (now > MAX_CLOCK) return RANGE;
  seti32(FIRED_COUNT, 0);
  const target = <i64>Math.floor(now);
  while (hi32(TIMER_LIVE) != 0) {
    const level = nextLevel();
    const start = slotStart(level);
    if (start > target) break;
    seti64(WHEEL_TICK, start);
    visitSlot(level, <i32>((start >> (<i64>level * SLOT_BITS)) & SLOT_MASK));
  }
  if (target > hi64(WHEEL_TICK)) seti64(WHEEL_TICK, target);
  setf64(CLOCK, now);
  return hi32(FIRED_COUNT);
}

/** Empties one slot at its start tick: fires what is due, cascades the rest down. */
function visitSlot(level: i32, slot: i32): void {
  const location = level * <i32>WHEEL_SLOTS + slot;
  let index = hi32(WHEEL_HEAD + (<usize>location << 2));
  seti32(WHEEL_HEAD + (<usize>location << 2), NIL);
  seti32(WHEEL_TAIL + (<usize>location << 2), NIL);
  const occupied = occupiedAt(level);
  seti64(occupied, hi64(occupied) & ~(<i64>1 << slot));

  const now = hi64(WHEEL_TICK);
  const firstFired = hi32(FIRED_COUNT);
  let count = firstFired;
  let lastSequence: i64 = -1;
  let ordered = true;
  while (index != NIL) {
    const timer = timerAt(index);
    const after = load<i32>(timer + T_NEXT);
    if (load<i64>(timer + T_TICK) == now) {
      const sequence = load<i64>(timer + T_SEQUENCE);
      if (sequence < lastSequence) ordered = false;
      lastSequence = sequence;
      store<i32>(firedAt(count++), load<i32>(timer + T_ID));
      releaseTimer(index, timer);
    } else {
      insertTimer(index, timer);
    }
    index = after;
  }
  seti32(FIRED_COUNT, count);
  if (!ordered) sortBySequence(firstFired, count);
}

/** The sequence number of a timer that just fired (its record keeps it until reused). */
function firedSequence(position: i32): i64 {
  return load<i64>(timerAt(load<i32>(firedAt(position)) & TIMER_INDEX_MASK) + T_SEQUENCE);
}

/** Heap sort of fired[from, to) by sequence: in place, O(n log n), no allocation. */
function sortBySequence(from: i32, to: i32): void {
  const n = to - from;
  for (let root = (n >> 1) - 1; root >= 0; root--) siftDown(from, root, n);
  for (let end = n - 1; end > 0; end--) {
    swapFired(from, from + end);
    siftDown(from, 0, end);
  }
}

function siftDown(base: i32, root: i32, n: i32): void {
  while (true) {
    let child = (root << 1) + 1;
    if (child >= n) return;
    if (child + 1 < n && firedSequence(base + child + 1) > firedSequence(base + child)) child++;
    if (firedSequence(base + root) >= firedSequence(base + child)) return;
    swapFired(base + root, base + child);
    root = child;
  }
}

function swapFired(a: i32, b: i32): void {
  const t = load<i32>(firedAt(a));
  store<i32>(firedAt(a), load<i32>(firedAt(b)));
  store<i32>(firedAt(b), t);
}

/** The `index`-th timer id fired by the last advance, or BAD_ARGUMENT. */
export function timerFired(index: i32): i32 {
  if (<u32>index >= <u32>hi32(FIRED_COUNT)) return BAD_ARGUMENT;
  return load<i32>(firedAt(index));
}

/** Address of the fired-id buffer (i32[timerFiredCount]); moves when the timer table grows. */
export function firedBuffer(): usize {
  return <usize>hi32(FIRED);
}

/** When `advance` may next have work: -1 when idle, else a tick in (floor(now), earliest deadline]. */
export function timerNextDue(): f64 {
  if (hi32(TIMER_LIVE) == 0) return NO_TIMER_DUE;
  return <f64>slotStart(nextLevel());
}

/** The core clock: the last `now` given to `advance` (0 at start). */
export function now(): f64 {
  return hf64(CLOCK);
}
