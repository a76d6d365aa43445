/**
 * Numbers shared with the TypeScript contract (`src/core/core.ts`): result
 * codes, enums and limits. They are duplicated here because AssemblyScript
 * sources never import TypeScript; the differential tests keep them in sync.
 */

/** Success (for calls that return no other value). */
export const OK: i32 = 0;
/** Unknown, freed or stale actor id. */
export const STALE: i32 = -1;
/** Mailbox at its bound, policy Reject. */
export const FULL: i32 = -2;
/** Mailbox at its bound, policy DropNewest. */
export const DROPPED: i32 = -3;
/** Empty mailbox or empty run queue. */
export const EMPTY: i32 = -4;
/** Argument out of its documented range. */
export const BAD_ARGUMENT: i32 = -5;
/** Call not valid in the actor's current state. */
export const BAD_STATE: i32 = -6;
/** Time before the core clock. */
export const PAST: i32 = -7;
/** Timer deadline beyond MAX_TIMER_DELAY. */
export const RANGE: i32 = -8;
/** A table is full. */
export const LIMIT: i32 = -9;
/** Unknown, fired or cancelled timer id. */
export const NO_TIMER: i32 = -10;
/** Linear memory could not grow. */
export const OUT_OF_MEMORY: i32 = -11;

/** Actor states (`ActorState`); 0 marks a free table record. */
export const STATE_FREE: u8 = 0;
export const STATE_WAITING: u8 = 1;
export const STATE_RUNNABLE: u8 = 2;
export const STATE_RUNNING: u8 = 3;
export const STATE_BLOCKED: u8 = 4;

/** Priorities (`Priority`), highest first; also the run-queue list index. */
export const PRIORITY_HIGH: i32 = 0;
export const PRIORITY_NORMAL: i32 = 1;
export const PRIORITY_LOW: i32 = 2;
export const PRIORITY_COUNT: i32 = 3;

/** Overflow policies (`Overflow`). */
export const OVERFLOW_REJECT: u8 = 0;
export const OVERFLOW_DROP_OLDEST: u8 = 1;
export const OVERFLOW_DROP_NEWEST: u8 = 2;
export const OVERFLOW_COUNT: i32 = 3;

/** `stat` fields (`Stat`). */
export const STAT_ENQUEUED: i32 = 0;
export const STAT_DEQUEUED: i32 = 1;
export const STAT_REFUSED: i32 = 2;
export const STAT_DROPPED: i32 = 3;
export const STAT_HIGH_WATER: i32 = 4;
export const STAT_REDUCTIONS: i32 = 5;
export const STAT_LENGTH: i32 = 6;
export const STAT_CAPACITY: i32 = 7;
export const STAT_BOUND: i32 = 8;
export const STAT_STATE: i32 = 9;
export const STAT_PRIORITY: i32 = 10;
export const STAT_OVERFLOW: i32 = 11;
export const STAT_INITIAL_CAPACITY: i32 = 12;
export const STAT_OLDEST_ENQUEUED_AT: i32 = 13;

/** Flag in `enqueue`'s result: DropOldest reused the dropped message's slot. */
export const REUSED_SLOT: i32 = 0x4000_0000;
/** Bound meaning "unbounded" (2^30); also the largest initial capacity. */
export const MAX_BOUND: i32 = 0x4000_0000;
/** Slots are numbered `0 .. MAX_SLOTS - 1`. */
export const MAX_SLOTS: i32 = 0x4000_0000;

/** Actor ids: `generation << ACTOR_INDEX_BITS | index`. */
export const ACTOR_INDEX_BITS: i32 = 20;
export const ACTOR_INDEX_MASK: i32 = (1 << ACTOR_INDEX_BITS) - 1;
export const MAX_ACTORS: i32 = 1 << ACTOR_INDEX_BITS;
export const ACTOR_MAX_GENERATION: i32 = 2047;

/** Timer ids: `generation << TIMER_INDEX_BITS | index`. */
export const TIMER_INDEX_BITS: i32 = 22;
export const TIMER_INDEX_MASK: i32 = (1 << TIMER_INDEX_BITS) - 1;
export const MAX_TIMERS: i32 = 1 << TIMER_INDEX_BITS;
export const TIMER_MAX_GENERATION: i32 = 511;

/** Furthest a timer may be ahead of the clock, in ticks: 2^36 - 1. */
export const MAX_TIMER_DELAY: f64 = 68719476735.0;
/** Latest core clock, in ms: 2^52, so clock + MAX_TIMER_DELAY stays exact in an f64. */
export const MAX_CLOCK: f64 = 4503599627370496.0;
/** Normal picks in a row before a waiting Low actor gets its turn. */
export const LOW_PRIORITY_EVERY: i32 = 8;
/** Default reductions per run. */
export const DEFAULT_REDUCTION_BUDGET: i32 = 2000;

/** End-of-list marker for every intrusive index list. */
export const NIL: i32 = -1;

/** Histogram handles: `generation << HISTOGRAM_INDEX_BITS | index`. */
export const HISTOGRAM_INDEX_BITS: i32 = 16;
export const HISTOGRAM_INDEX_MASK: i32 = (1 << HISTOGRAM_INDEX_BITS) - 1;
export const MAX_HISTOGRAMS: i32 = 1 << HISTOGRAM_INDEX_BITS;
export const HISTOGRAM_MAX_GENERATION: i32 = 32767;

/** Histogram buckets: 64 linear sub-buckets per power of two in `2^-20 .. 2^43`. */
export const HISTOGRAM_SUB_BITS: i32 = 6;
export const HISTOGRAM_SUB_BUCKETS: i32 = 1 << HISTOGRAM_SUB_BITS;
export const HISTOGRAM_MIN_EXPONENT: i32 = -20;
export const HISTOGRAM_OCTAVES: i32 = 63;
/** One underflow bucket (values below 2^-20, zero included), then 63 x 64. */
export const HISTOGRAM_BUCKETS: i32 = 1 + HISTOGRAM_OCTAVES * HISTOGRAM_SUB_BUCKETS;

/** `histogramStat` fields (`HistogramStat`). */
export const HISTOGRAM_STAT_COUNT: i32 = 0;
export const HISTOGRAM_STAT_SUM: i32 = 1;
export const HISTOGRAM_STAT_MIN: i32 = 2;
export const HISTOGRAM_STAT_MAX: i32 = 3;
export const HISTOGRAM_STAT_INVALID: i32 = 4;
