/**
 * `init`: places the header, forgets every structure and sets the reduction
 * budget (and the slot limit back to MAX_SLOTS). The module's start function
 * runs it with the default budget, so an
 * instance is usable at once; calling it again resets the core (memory that
 * already grew stays, as WebAssembly memory cannot shrink).
 */

import { resetAllocator } from "./allocator";
import {
  ACTOR_FREE_HEAD, ACTOR_FREE_TAIL, BAD_ARGUMENT, BUDGET, DEFAULT_REDUCTION_BUDGET, HEADER_SIZE,
  HISTOGRAM_FREE_HEAD, HISTOGRAM_FREE_TAIL, MAX_SLOTS, NIL, OK, OUT_OF_MEMORY, PRIORITY_COUNT,
  QUEUE_HEAD, QUEUE_TAIL, SLOT_LIMIT, TIMER_FREE_HEAD, TIMER_FREE_TAIL, WHEEL_HEAD, WHEEL_LISTS,
} from "./layout";
import { core, hi32, placeHeader, seti32 } from "./header";

const ALL_BITS: u8 = 0xff;
const PAGE_BITS: usize = 16;
const PAGE_SIZE: usize = 1 << PAGE_BITS;

/** Resets the core with `reductionBudget` (>= 1) reductions per run: OK, or BAD_ARGUMENT. */
export function init(reductionBudget: i32): i32 {
  if (reductionBudget < 1) return BAD_ARGUMENT;
  placeHeader();
  if (!reserveHeader()) return OUT_OF_MEMORY;
  memory.fill(core, 0, HEADER_SIZE);
  // NIL is -1: every list head and tail starts as all one bits.
  memory.fill(core + WHEEL_HEAD, ALL_BITS, <usize>WHEEL_LISTS * 4 * 2);
  for (let p = 0; p < PRIORITY_COUNT; p++) {
    seti32(QUEUE_HEAD + (<usize>p << 2), NIL);
    seti32(QUEUE_TAIL + (<usize>p << 2), NIL);
  }
  seti32(ACTOR_FREE_HEAD, NIL);
  seti32(ACTOR_FREE_TAIL, NIL);
  seti32(TIMER_FREE_HEAD, NIL);
  seti32(TIMER_FREE_TAIL, NIL);
  seti32(HISTOGRAM_FREE_HEAD, NIL);
  seti32(HISTOGRAM_FREE_TAIL, NIL);
  seti32(BUDGET, reductionBudget);
  seti32(SLOT_LIMIT, MAX_SLOTS);
  resetAllocator(core + HEADER_SIZE);
  return OK;
}

/** Grows memory so the header fits (a fresh module may start with no pages). */
function reserveHeader(): bool {
  const end = core + HEADER_SIZE;
  const have = <usize>memory.size() << PAGE_BITS;
  if (end <= have) return true;
  return memory.grow(<i32>((end - have + PAGE_SIZE - 1) >> PAGE_BITS)) >= 0;
}

/** Reductions each run of an actor may use. */
export function reductionBudget(): i32 {
  return hi32(BUDGET);
}

init(DEFAULT_REDUCTION_BUDGET);
