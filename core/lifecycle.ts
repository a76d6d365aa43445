/**
 * `init`: places a scheduler core in the memory (region.ts) and sets up its
 * empty structures, its reduction budget, its slot limit and its actor limit. The host calls
 * it once, right after instantiating the module over a memory, and before any
 * other export (the module has no start function: where the header goes is
 * decided by the memory's directory, at `init`).
 */

import {
  ACTOR_FREE_HEAD, ACTOR_FREE_TAIL, ACTOR_LIMIT, BAD_ARGUMENT, BUDGET, MAX_ACTORS, MAX_SLOTS, NIL, OK,
  PRIORITY_COUNT, QUEUE_HEAD, QUEUE_TAIL, SCHEDULER_HEADER_SIZE, SLOT_LIMIT, TIMER_FREE_HEAD,
  TIMER_FREE_TAIL, WHEEL_HEAD, WHEEL_LISTS,
} from "./layout";
import { header, hi32, seti32 } from "./header";
import { placeInstance } from "./region";

const ALL_BITS: u8 = 0xff;

/**
 * Places and sets up a scheduler core with `reductionBudget` (>= 1)
 * reductions per run, at most `slotLimit` (1..MAX_SLOTS) slots in use and at
 * most `actorLimit` (1..MAX_ACTORS) live actors: OK, or BAD_ARGUMENT,
 * BAD_STATE (already placed, or not a beamlet memory), OUT_OF_MEMORY.
 */
export function init(reductionBudget: i32, slotLimit: i32, actorLimit: i32): i32 {
  if (reductionBudget < 1 || slotLimit < 1 || slotLimit > MAX_SLOTS) return BAD_ARGUMENT;
  if (actorLimit < 1 || actorLimit > MAX_ACTORS) return BAD_ARGUMENT;
  const placed = placeInstance(SCHEDULER_HEADER_SIZE);
  if (placed != OK) return placed;
  // NIL is -1: every list head and tail starts as all one bits.
  memory.fill(header + WHEEL_HEAD, ALL_BITS, <usize>WHEEL_LISTS * 4 * 2);
  for (let p = 0; p < PRIORITY_COUNT; p++) {
    seti32(QUEUE_HEAD + (<usize>p << 2), NIL);
    seti32(QUEUE_TAIL + (<usize>p << 2), NIL);
  }
  seti32(ACTOR_FREE_HEAD, NIL);
  seti32(ACTOR_FREE_TAIL, NIL);
  seti32(TIMER_FREE_HEAD, NIL);
  seti32(TIMER_FREE_TAIL, NIL);
  seti32(BUDGET, reductionBudget);
  seti32(SLOT_LIMIT, slotLimit);
  seti32(ACTOR_LIMIT, actorLimit);
  return OK;
}

/** Reductions each run of an actor may use. */
export function reductionBudget(): i32 {
  return hi32(BUDGET);
}
