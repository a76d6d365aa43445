/**
 * The global slot pool. A slot names a message across the boundary: the
 * caller keeps the payload at that index of its own array. Returned slots are
 * reused last-in first-out (the hottest array entries first); when none is
 * free, the next never-used slot is handed out, so slots stay dense.
 *
 * ```
 *  SLOT_STACK  i32[SLOT_CAPACITY]        SLOT_STAMPS  f64[SLOT_CAPACITY]
 *  ┌────┬────┬────┬─────────────┐        ┌──────┬──────┬──────┬───────┐
 *  │ s  │ s  │ s  │ (unused)    │        │ t(0) │ t(1) │ t(2) │ ...   │
 *  └────┴────┴────┴─────────────┘        └──────┴──────┴──────┴───────┘
 *  0          SLOT_TOP ▲                  enqueue time of the message now in slot i
 *
 *  slots in use = SLOT_NEXT - SLOT_TOP
 * ```
 *
 * Both arrays have SLOT_CAPACITY entries and SLOT_NEXT <= SLOT_CAPACITY, so a
 * push never overflows the stack and `dequeue` never allocates.
 */

import { allocBlock, classFor, freeBlock } from "./allocator";
import {
  BAD_ARGUMENT, BAD_STATE, LIMIT, MAX_SLOTS, OK, OUT_OF_MEMORY, SLOT_CAPACITY, SLOT_LIMIT,
  SLOT_NEXT, SLOT_STACK, SLOT_STAMPS, SLOT_TOP,
} from "./layout";
import { hi32, seti32 } from "./header";

const FIRST_CAPACITY: i32 = 256;
const STACK_SHIFT: i32 = 2;
const STAMP_SHIFT: i32 = 3;

/** Makes sure `takeSlot` can succeed: OK, LIMIT (SLOT_LIMIT slots in use) or OUT_OF_MEMORY. */
// @ts-ignore: decorator
@inline export function reserveSlot(): i32 {
  if (hi32(SLOT_TOP) != 0 || hi32(SLOT_NEXT) < hi32(SLOT_CAPACITY)) return OK;
  return growSlots();
}

/** Pops a free slot, or the next never-used one; call `reserveSlot` first. */
// @ts-ignore: decorator
@inline export function takeSlot(): i32 {
  const top = hi32(SLOT_TOP) - 1;
  if (top >= 0) {
    seti32(SLOT_TOP, top);
    return load<i32>(<usize>hi32(SLOT_STACK) + (<usize>top << STACK_SHIFT));
  }
  const slot = hi32(SLOT_NEXT);
  seti32(SLOT_NEXT, slot + 1);
  return slot;
}

/** Pushes a slot the caller no longer holds. */
// @ts-ignore: decorator
@inline export function returnSlot(slot: i32): void {
  const top = hi32(SLOT_TOP);
  store<i32>(<usize>hi32(SLOT_STACK) + (<usize>top << STACK_SHIFT), slot);
  seti32(SLOT_TOP, top + 1);
}

/** Records the core-clock time at which the message in `slot` was accepted. */
// @ts-ignore: decorator
@inline export function stampSlot(slot: i32, time: f64): void {
  store<f64>(<usize>hi32(SLOT_STAMPS) + (<usize>slot << STAMP_SHIFT), time);
}

/** When the message in `slot` was accepted. */
// @ts-ignore: decorator
@inline export function slotStamp(slot: i32): f64 {
  return load<f64>(<usize>hi32(SLOT_STAMPS) + (<usize>slot << STAMP_SHIFT));
}

/** Slots handed out and not yet returned. */
export function slotsInUse(): i32 {
  return hi32(SLOT_NEXT) - hi32(SLOT_TOP);
}

/**
 * Sets the most slots that may be in use at once (1..MAX_SLOTS): OK,
 * BAD_ARGUMENT, or BAD_STATE when more slots than that were already handed out.
 */
export function setSlotLimit(limit: i32): i32 {
  if (limit < 1 || limit > MAX_SLOTS) return BAD_ARGUMENT;
  if (hi32(SLOT_NEXT) > limit) return BAD_STATE;
  seti32(SLOT_LIMIT, limit);
  return OK;
}

/** The most slots that may be in use at once. */
export function slotLimit(): i32 {
  return hi32(SLOT_LIMIT);
}

/** Doubles both slot arrays, up to SLOT_LIMIT entries (cold path of `reserveSlot`). */
function growSlots(): i32 {
  const capacity = hi32(SLOT_CAPACITY);
  const limit = hi32(SLOT_LIMIT);
  if (capacity >= limit) return LIMIT;
  const doubled = capacity == 0 ? FIRST_CAPACITY : capacity << 1;
  const grown = doubled < limit ? doubled : limit;
  const stackClass = classFor(<u64>grown << STACK_SHIFT);
  const stampClass = classFor(<u64>grown << STAMP_SHIFT);
  const stack = allocBlock(stackClass);
  if (stack == 0) return OUT_OF_MEMORY;
  const stamps = allocBlock(stampClass);
  if (stamps == 0) {
    freeBlock(stack, stackClass);
    return OUT_OF_MEMORY;
  }
  if (capacity != 0) {
    const oldStack = <usize>hi32(SLOT_STACK);
    const oldStamps = <usize>hi32(SLOT_STAMPS);
    memory.copy(stack, oldStack, <usize>hi32(SLOT_TOP) << STACK_SHIFT);
    memory.copy(stamps, oldStamps, <usize>capacity << STAMP_SHIFT);
    freeBlock(oldStack, classFor(<u64>capacity << STACK_SHIFT));
    freeBlock(oldStamps, classFor(<u64>capacity << STAMP_SHIFT));
  }
  seti32(SLOT_STACK, <i32>stack);
  seti32(SLOT_STAMPS, <i32>stamps);
  seti32(SLOT_CAPACITY, grown);
  return OK;
}
