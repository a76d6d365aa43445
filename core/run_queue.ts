/**
 * The run queue: three FIFO lists (High, Normal, Low) threaded through the
 * actor records' PREV/NEXT fields, so joining, leaving (free, setPriority)
 * and taking the head are all O(1) and an actor is queued at most once —
 * exactly while it is Runnable.
 *
 * ```
 *  header                          actor records
 *  QUEUE_HEAD[p] ──▶ ┌──────┐ NEXT ┌──────┐ NEXT ┌──────┐
 *                    │  a   │ ───▶ │  b   │ ───▶ │  c   │ ──▶ NIL
 *           NIL ◀─── └──────┘ ◀─── └──────┘ ◀─── └──────┘ ◀── QUEUE_TAIL[p]
 *                             PREV          PREV
 *  QUEUE_LENGTH[p]: 3
 * ```
 *
 * Low gets one turn after every LOW_PRIORITY_EVERY Normal picks made while
 * it waited (LOW_COUNTER), so a flooded Normal queue cannot starve it.
 */

import {
  ACTOR_INDEX_MASK, BAD_ARGUMENT, BAD_STATE, EMPTY, LOW_COUNTER, LOW_PRIORITY_EVERY, NIL,
  PRIORITY_COUNT, PRIORITY_HIGH, PRIORITY_LOW, PRIORITY_NORMAL, QUEUE_HEAD, QUEUE_LENGTH,
  QUEUE_TAIL, STALE, STATE_BLOCKED, STATE_RUNNABLE, STATE_RUNNING, STATE_WAITING,
} from "./layout";
import { hi32, seti32 } from "./header";
import { ID, LENGTH, NEXT, PREV, PRIORITY, recordAt, recordOf, REDUCTIONS, STATE } from "./actor_table";
import { shrinkRing } from "./mailbox";

// @ts-ignore: decorator
@inline function lane(offset: usize, priority: i32): usize {
  return offset + (<usize>priority << 2);
}

/** Makes an actor Runnable at the tail of its priority's queue. */
// @ts-ignore: decorator
@inline export function pushTail(record: usize): void {
  const priority = <i32>load<u8>(record + PRIORITY);
  const index = load<i32>(record + ID) & ACTOR_INDEX_MASK;
  const tail = hi32(lane(QUEUE_TAIL, priority));
  const length = hi32(lane(QUEUE_LENGTH, priority));
  store<i32>(record + PREV, length == 0 ? NIL : tail);
  store<i32>(record + NEXT, NIL);
  if (length == 0) seti32(lane(QUEUE_HEAD, priority), index);
  else store<i32>(recordAt(tail) + NEXT, index);
  seti32(lane(QUEUE_TAIL, priority), index);
  seti32(lane(QUEUE_LENGTH, priority), length + 1);
  store<u8>(record + STATE, STATE_RUNNABLE);
}

/** Takes a Runnable actor out of its queue (its state is the caller's to set). */
export function unlink(record: usize): void {
  const priority = <i32>load<u8>(record + PRIORITY);
  const before = load<i32>(record + PREV);
  const after = load<i32>(record + NEXT);
  if (before == NIL) seti32(lane(QUEUE_HEAD, priority), after);
  else store<i32>(recordAt(before) + NEXT, after);
  if (after == NIL) seti32(lane(QUEUE_TAIL, priority), before);
  else store<i32>(recordAt(after) + PREV, before);
  seti32(lane(QUEUE_LENGTH, priority), hi32(lane(QUEUE_LENGTH, priority)) - 1);
  store<i32>(record + PREV, NIL);
  store<i32>(record + NEXT, NIL);
}

/** Takes the next Runnable actor (now Running): its id, or EMPTY. */
export function next(): i32 {
  let priority: i32;
  if (hi32(lane(QUEUE_LENGTH, PRIORITY_HIGH)) != 0) {
    priority = PRIORITY_HIGH;
  } else {
    const normal = hi32(lane(QUEUE_LENGTH, PRIORITY_NORMAL)) != 0;
    const low = hi32(lane(QUEUE_LENGTH, PRIORITY_LOW)) != 0;
    if (normal && low) {
      const counter = hi32(LOW_COUNTER);
      if (counter >= LOW_PRIORITY_EVERY) {
        priority = PRIORITY_LOW;
        seti32(LOW_COUNTER, 0);
      } else {
        priority = PRIORITY_NORMAL;
        seti32(LOW_COUNTER, counter + 1);
      }
    } else if (normal) {
      priority = PRIORITY_NORMAL;
    } else if (low) {
      priority = PRIORITY_LOW;
      seti32(LOW_COUNTER, 0);
    } else {
      return EMPTY;
    }
  }
  const record = recordAt(hi32(lane(QUEUE_HEAD, priority)));
  unlink(record);
  store<u8>(record + STATE, STATE_RUNNING);
  return load<i32>(record + ID);
}

/** Ends a run: Blocked if asked, else Runnable (mail waiting) or Waiting. Its new state, or a code. */
export function release(id: i32, reductions: i32, blocked: i32): i32 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  if (reductions < 0 || <u32>blocked > 1) return BAD_ARGUMENT;
  if (load<u8>(record + STATE) != STATE_RUNNING) return BAD_STATE;
  store<u64>(record + REDUCTIONS, load<u64>(record + REDUCTIONS) + <u64>reductions);
  if (blocked) {
    store<u8>(record + STATE, STATE_BLOCKED);
    return STATE_BLOCKED;
  }
  return settle(record);
}

/** Unparks a Blocked actor: its new state (Runnable or Waiting), or STALE / BAD_STATE. */
export function wake(id: i32): i32 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  if (load<u8>(record + STATE) != STATE_BLOCKED) return BAD_STATE;
  return settle(record);
}

/** Runnable actors of a priority, or BAD_ARGUMENT. */
export function runQueueLength(priority: i32): i32 {
  if (<u32>priority >= <u32>PRIORITY_COUNT) return BAD_ARGUMENT;
  return hi32(lane(QUEUE_LENGTH, priority));
}

/** Runnable again if mail is waiting, else Waiting with the ring shrunk back. */
function settle(record: usize): i32 {
  if (load<i32>(record + LENGTH) != 0) {
    pushTail(record);
    return STATE_RUNNABLE;
  }
  store<u8>(record + STATE, STATE_WAITING);
  shrinkRing(record);
  return STATE_WAITING;
}
