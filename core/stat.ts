/**
 * `stat`: one counter or property of an actor, as an f64 so the u64 counters
 * cross the boundary without BigInt (exact up to 2^53).
 */

import {
  BAD_ARGUMENT, EMPTY, STALE, STAT_BOUND, STAT_CAPACITY, STAT_DEQUEUED, STAT_DROPPED, STAT_ENQUEUED,
  STAT_HIGH_WATER, STAT_INITIAL_CAPACITY, STAT_LENGTH, STAT_OLDEST_ENQUEUED_AT, STAT_OVERFLOW,
  STAT_PRIORITY, STAT_REDUCTIONS, STAT_REFUSED, STAT_STATE,
} from "./layout";
import {
  BOUND, CAPACITY, DEQUEUED, DROPPED, ENQUEUED, HIGH_WATER, INITIAL, LENGTH, OVERFLOW, PRIORITY,
  recordOf, REDUCTIONS, REFUSED, STATE,
} from "./actor_table";
import { oldestSlot } from "./mailbox";
import { slotStamp } from "./slots";

/** A counter or property of an actor (`Stat`), or STALE / BAD_ARGUMENT (unknown field). */
export function stat(id: i32, field: i32): f64 {
  const record = recordOf(id);
  if (record == 0) return STALE;
  switch (field) {
    case STAT_ENQUEUED: return <f64>load<u64>(record + ENQUEUED);
    case STAT_DEQUEUED: return <f64>load<u64>(record + DEQUEUED);
    case STAT_REFUSED: return <f64>load<u64>(record + REFUSED);
    case STAT_DROPPED: return <f64>load<u64>(record + DROPPED);
    case STAT_HIGH_WATER: return <f64>load<i32>(record + HIGH_WATER);
    case STAT_REDUCTIONS: return <f64>load<u64>(record + REDUCTIONS);
    case STAT_LENGTH: return <f64>load<i32>(record + LENGTH);
    case STAT_CAPACITY: return <f64>load<i32>(record + CAPACITY);
    case STAT_BOUND: return <f64>load<i32>(record + BOUND);
    case STAT_STATE: return <f64>load<u8>(record + STATE);
    case STAT_PRIORITY: return <f64>load<u8>(record + PRIORITY);
    case STAT_OVERFLOW: return <f64>load<u8>(record + OVERFLOW);
    case STAT_INITIAL_CAPACITY: return <f64>load<i32>(record + INITIAL);
    case STAT_OLDEST_ENQUEUED_AT:
      return load<i32>(record + LENGTH) == 0 ? <f64>EMPTY : slotStamp(oldestSlot(record));
  }
  return BAD_ARGUMENT;
}
