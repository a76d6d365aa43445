/**
 * The core header: every piece of core state is reachable from this one
 * struct in linear memory, so a later mode can place several cores (one per
 * Worker) in one shared `WebAssembly.Memory` by giving each its own header.
 * The only wasm global is `core`, the header's address.
 *
 * ```
 *  offset  type      field
 *  ┌──────┬─────────┬───────────────────────────────────────────────────┐
 *  │    0 │ f64     │ CLOCK            core clock, ms (last advance)    │
 *  │    8 │ i64     │ WHEEL_TICK       ticks <= this have been fired    │
 *  │   16 │ i64     │ TIMER_SEQUENCE   next schedule sequence number    │
 *  │   24 │ i32     │ BUDGET           reductions per run               │
 *  │   28 │ u32     │ HEAP_TOP         allocator bump pointer           │
 *  │   32 │ ptr     │ ACTORS           actor records (actor_table.ts)   │
 *  │   36 │ i32     │ ACTOR_CAPACITY   records allocated                │
 *  │   40 │ i32     │ ACTOR_USED       indices ever used (0, 1, 2, ...) │
 *  │   44 │ i32     │ ACTOR_LIVE       live actors                      │
 *  │   48 │ i32     │ ACTOR_FREE_HEAD  FIFO of freed indices           │
 *  │   52 │ i32     │ ACTOR_FREE_TAIL                                   │
 *  │   56 │ ptr     │ SLOT_STACK       i32[SLOT_CAPACITY] free slots    │
 *  │   60 │ ptr     │ SLOT_STAMPS      f64[SLOT_CAPACITY] enqueue times │
 *  │   64 │ i32     │ SLOT_CAPACITY                                     │
 *  │   68 │ i32     │ SLOT_TOP         entries on the free stack        │
 *  │   72 │ i32     │ SLOT_NEXT        slots ever handed out            │
 *  │   76 │ i32     │ LOW_COUNTER      Normal picks while Low waited    │
 *  │   80 │ i32[3]  │ QUEUE_HEAD       run queue per priority           │
 *  │   92 │ i32[3]  │ QUEUE_TAIL                                        │
 *  │  104 │ i32[3]  │ QUEUE_LENGTH                                      │
 *  │  116 │ ptr     │ TIMERS           timer records (timer_table.ts)   │
 *  │  120 │ i32     │ TIMER_CAPACITY                                    │
 *  │  124 │ i32     │ TIMER_USED       indices ever used                │
 *  │  128 │ i32     │ TIMER_LIVE       pending timers                   │
 *  │  132 │ i32     │ TIMER_FREE_HEAD  FIFO of freed indices            │
 *  │  136 │ i32     │ TIMER_FREE_TAIL                                   │
 *  │  140 │ ptr     │ FIRED            i32[TIMER_CAPACITY] fired ids    │
 *  │  144 │ i32     │ FIRED_COUNT      fired by the last advance        │
 *  │  148 │ i32     │ SLOT_LIMIT       most slots ever handed out       │
 *  │  152 │ ptr[32] │ FREE_LISTS       allocator.ts, one per 2^k bytes  │
 *  │  280 │ u64[7]  │ WHEEL_OCCUPIED   timer_wheel.ts, bit per slot     │
 *  │  336 │ i32[448]│ WHEEL_HEAD       7 levels x 64 slots              │
 *  │ 2128 │ i32[448]│ WHEEL_TAIL                                        │
 *  │ 3920 │ ptr     │ HISTOGRAMS       histogram directory (histogram_  │
 *  │      │         │                  table.ts)                        │
 *  │ 3924 │ i32     │ HISTOGRAM_CAPACITY  directory entries allocated   │
 *  │ 3928 │ i32     │ HISTOGRAM_USED   indices ever used                │
 *  │ 3932 │ i32     │ HISTOGRAM_LIVE   live histograms                  │
 *  │ 3936 │ i32     │ HISTOGRAM_FREE_HEAD  FIFO of freed indices        │
 *  │ 3940 │ i32     │ HISTOGRAM_FREE_TAIL                               │
 *  └──────┴─────────┴───────────────────────────────────────────────────┘
 *  HEADER_SIZE = 3944
 * ```
 */

export const CLOCK: usize = 0;
export const WHEEL_TICK: usize = 8;
export const TIMER_SEQUENCE: usize = 16;
export const BUDGET: usize = 24;
export const HEAP_TOP: usize = 28;
export const ACTORS: usize = 32;
export const ACTOR_CAPACITY: usize = 36;
export const ACTOR_USED: usize = 40;
export const ACTOR_LIVE: usize = 44;
export const ACTOR_FREE_HEAD: usize = 48;
export const ACTOR_FREE_TAIL: usize = 52;
export const SLOT_STACK: usize = 56;
export const SLOT_STAMPS: usize = 60;
export const SLOT_CAPACITY: usize = 64;
export const SLOT_TOP: usize = 68;
export const SLOT_NEXT: usize = 72;
export const LOW_COUNTER: usize = 76;
export const QUEUE_HEAD: usize = 80;
export const QUEUE_TAIL: usize = 92;
export const QUEUE_LENGTH: usize = 104;
export const TIMERS: usize = 116;
export const TIMER_CAPACITY: usize = 120;
export const TIMER_USED: usize = 124;
export const TIMER_LIVE: usize = 128;
export const TIMER_FREE_HEAD: usize = 132;
export const TIMER_FREE_TAIL: usize = 136;
export const FIRED: usize = 140;
export const FIRED_COUNT: usize = 144;
export const SLOT_LIMIT: usize = 148;
export const FREE_LISTS: usize = 152;
export const FREE_LIST_COUNT: usize = 32;
export const WHEEL_OCCUPIED: usize = 280;
export const WHEEL_LEVELS: usize = 7;
export const WHEEL_SLOTS: usize = 64;
export const WHEEL_HEAD: usize = 336;
export const WHEEL_TAIL: usize = WHEEL_HEAD + WHEEL_LEVELS * WHEEL_SLOTS * 4;
export const HISTOGRAMS: usize = WHEEL_TAIL + WHEEL_LEVELS * WHEEL_SLOTS * 4;
export const HISTOGRAM_CAPACITY: usize = HISTOGRAMS + 4;
export const HISTOGRAM_USED: usize = HISTOGRAMS + 8;
export const HISTOGRAM_LIVE: usize = HISTOGRAMS + 12;
export const HISTOGRAM_FREE_HEAD: usize = HISTOGRAMS + 16;
export const HISTOGRAM_FREE_TAIL: usize = HISTOGRAMS + 20;
export const HEADER_SIZE: usize = HISTOGRAMS + 24;

/** Alignment of the header and of every allocated block. */
export const ALIGN: usize = 16;

/** Address of the current core's header (set by `init`). */
export let core: usize = 0;

/** Places the header right after the static data. */
export function placeHeader(): void {
  core = (__heap_base + ALIGN - 1) & ~(ALIGN - 1);
}

// Tiny typed accessors: `hi32(ACTOR_LIVE)` reads, `seti32(ACTOR_LIVE, n)` writes.

// @ts-ignore: decorator
@inline export function hi32(offset: usize): i32 {
  return load<i32>(core + offset);
}
// @ts-ignore: decorator
@inline export function seti32(offset: usize, value: i32): void {
  store<i32>(core + offset, value);
}
// @ts-ignore: decorator
@inline export function hu32(offset: usize): u32 {
  return load<u32>(core + offset);
}
// @ts-ignore: decorator
@inline export function setu32(offset: usize, value: u32): void {
  store<u32>(core + offset, value);
}
// @ts-ignore: decorator
@inline export function hi64(offset: usize): i64 {
  return load<i64>(core + offset);
}
// @ts-ignore: decorator
@inline export function seti64(offset: usize, value: i64): void {
  store<i64>(core + offset, value);
}
// @ts-ignore: decorator
@inline export function hf64(offset: usize): f64 {
  return load<f64>(core + offset);
}
// @ts-ignore: decorator
@inline export function setf64(offset: usize, value: f64): void {
  store<f64>(core + offset, value);
}
