/**
 * The scheduler core contract: actor table, mailbox rings, run queue and timer
 * wheel, over integers only.
 *
 * Two implementations follow it exactly — the WebAssembly core compiled from
 * `core/` (fast path) and the TypeScript {@linkcode ReferenceCore} (the model
 * for property tests and the fallback where WebAssembly cannot be compiled
 * from bytes). Given the same sequence of calls they return the same numbers;
 * a differential property test holds them to it.
 *
 * Payloads never enter the core. `enqueue` hands out a *slot*; the caller
 * keeps the payload in its own array at that index until `dequeue` hands the
 * slot back. Everything is an `i32` (or an `f64` for times and counters), and
 * every failure is a negative {@linkcode CoreCode}, never an exception, so the
 * hot path crosses the JS↔WASM boundary once per enqueue and once per dequeue.
 *
 * ## Integer arguments
 *
 * Every integer argument is taken as an `i32` (`x | 0` in JavaScript, as the
 * WebAssembly boundary does): pass integers. Times (`advance`, `timerSchedule`)
 * are `f64` milliseconds.
 *
 * ## Actors
 *
 * An actor id is a positive `i32`: `generation << 20 | index` with a 20-bit
 * table index and an 11-bit
 * generation in `1..2047` that advances each time the index is freed (wrapping
 * 2047 → 1). Freed indices are reused first-in first-out, so a stale id names
 * a newer actor only after 2047 reuses of its index. Any call with an unknown,
 * freed or stale id returns {@linkcode CoreCode.Stale} and changes nothing.
 * At most `actorLimit` actors are alive at once (a creation option in
 * `1..MAX_ACTORS`, default {@linkcode MAX_ACTORS} = 2^20): with that many
 * alive, `spawn` returns {@linkcode CoreCode.Limit}.
 *
 * The table grows by doubling as indices are first used, so its memory
 * follows the peak number of live actors, not the limit: the WebAssembly
 * core keeps an 88-byte record per index (in a power-of-two block: 2^20
 * records take a 128 MiB block) plus each live actor's mailbox ring (a
 * 16-byte block for the default initial capacity of 4); the reference core
 * keeps the same 88 bytes per index in typed arrays grown by doubling, plus
 * its ring.
 *
 * States ({@linkcode ActorState}): `spawn` → Waiting. A successful `enqueue`
 * to a Waiting actor makes it Runnable (appended to the tail of its priority's
 * queue); to a Runnable, Running or Blocked actor it changes no state. `next()`
 * takes the head Runnable actor and makes it Running. `release` ends a run:
 * Blocked if asked, else Runnable again (at the tail) if its mailbox is not
 * empty, else Waiting. `wake` turns Blocked into Runnable (mailbox not empty)
 * or Waiting. An actor is in the run queue at most once, exactly while
 * Runnable. `dequeue` is allowed in any state and never changes the state.
 *
 * ## Mailboxes
 *
 * A ring of slots with a power-of-two capacity. It starts at
 * `nextPow2(min(initialCapacity, bound))`, doubles when full (never past
 * `nextPow2(bound)`), and shrinks back to its initial capacity when the actor
 * turns Waiting with an empty mailbox (`release`, `wake`). `hibernate` frees an
 * idle ring entirely (capacity 0) until the next enqueue. At most `bound`
 * messages are queued; {@linkcode MAX_BOUND} means "unbounded" (memory is the
 * limit). When the mailbox holds `bound` messages, the {@linkcode Overflow}
 * policy decides:
 *
 * - `Reject`: the new message is refused: `enqueue` returns
 *   {@linkcode CoreCode.Full}, `refused` += 1.
 * - `DropNewest`: the new message is dropped: `enqueue` returns
 *   {@linkcode CoreCode.Dropped}, `dropped` += 1.
 * - `DropOldest`: the oldest queued message is dropped and its slot is reused
 *   for the new one: `enqueue` returns `slot | REUSED_SLOT`; the caller must
 *   read (and report) the old payload at `slot` before overwriting it;
 *   `dropped` += 1, `enqueued` += 1.
 *
 * Counters are per mailbox: `enqueued` (accepted), `dequeued`, `refused`,
 * `dropped`, `highWater` (largest length ever). So, for any mailbox,
 * `length = enqueued - dequeued - (drops by DropOldest)`.
 * Each accepted message is stamped with the core clock (the last `advance`),
 * which gives the age of the oldest message ({@linkcode Stat.OldestEnqueuedAt}).
 *
 * Slots are global across actors, in `0 .. slotLimit - 1` (`slotLimit` is a
 * creation option, at most and by default 2^30); a slot handed out by
 * `enqueue` stays the caller's until `dequeue` returns it (or `free` discards
 * it), then it may be handed out again. With `slotLimit` slots in use, every
 * `enqueue` that would need a new one is refused with {@linkcode CoreCode.Limit}
 * (a DropOldest drop reuses its slot, so it still succeeds), which bounds the
 * caller's payload array.
 *
 * ## Run queue
 *
 * Three FIFO queues: High, Normal, Low. `next()` takes from High while it is
 * not empty. Otherwise, when both Normal and Low have actors, it takes Low
 * once after every {@linkcode LOW_PRIORITY_EVERY} Normal picks (a counter that
 * counts Normal picks made while Low was not empty and resets when Low is
 * picked); otherwise whichever is non-empty. Within a priority the order is
 * strictly round-robin, so a ready actor runs before any other actor of its
 * priority runs twice — however many messages the others hold. Each run gets
 * `reductionBudget` reductions (one per handled message is the convention);
 * `release` adds what was used to the actor's `reductions`.
 *
 * ## Timers
 *
 * A hierarchical timer wheel with 1 ms ticks. The core clock starts at 0 and
 * only moves forward (up to {@linkcode MAX_CLOCK}) with `advance(now)`, which fires every pending timer whose
 * deadline tick is `<= floor(now)`. A deadline `d` has tick `ceil(d)`: a tick
 * `< floor(clock)` is in the past ({@linkcode CoreCode.Past}); a tick equal to
 * `floor(clock)` has already been passed by the wheel, so it is taken as
 * `floor(clock) + 1` (due at the next `advance` to a later tick). A tick more
 * than {@linkcode MAX_TIMER_DELAY} ahead of `floor(clock)` is
 * {@linkcode CoreCode.Range}. Timers fire once, in order of (effective)
 * deadline tick and, within a tick, in the order they were scheduled; a cancelled timer
 * never fires. Timer ids are positive `i32`s with a generation (22-bit index,
 * 9-bit generation in `1..511`, FIFO reuse of indices), so cancelling a fired
 * or cancelled timer returns {@linkcode CoreCode.NoTimer}.
 *
 * ## Exact rules (both implementations must agree on every number)
 *
 * - Argument checks run in this order: Stale (unknown id), then BadArgument,
 *   then BadState. `spawn` checks `1 <= initialCapacity <= MAX_BOUND`,
 *   `1 <= bound <= MAX_BOUND`, overflow in `0..2`, priority in `0..2`, then
 *   Limit. `release` checks `reductions >= 0` and `blocked` in `0..1`.
 * - Actor indices: a freed index goes to the tail of a FIFO; `spawn` takes the
 *   head of that FIFO if any, else the next never-used index (0, 1, 2, ...). A
 *   never-used index starts at generation 1.
 * - Slots: returned slots go on a LIFO stack; `enqueue` pops it, or when it is
 *   empty takes the next never-used slot (0, 1, 2, ...). `dequeue` pushes the
 *   slot it returns; `free` pushes the discarded slots oldest first; DropOldest
 *   reuses the dropped slot directly (no push, no pop).
 * - A ring grows (doubling, at most to `nextPow2(bound)`) when an enqueue
 *   finds `length == capacity` and `length < bound`. A hibernated ring (capacity 0)
 *   is re-created at the initial capacity by the next accepted enqueue.
 *   It shrinks to the initial capacity when the actor turns Waiting (by
 *   `release` or `wake`) with an empty mailbox and a larger capacity.
 * - `hibernate` of an already hibernated actor is Ok; it needs state Waiting
 *   and length 0, else BadState.
 * - `setPriority` to the actor's current priority changes nothing (a Runnable
 *   actor keeps its place).
 * - `next()` Low/Normal rule, exactly: if High is not empty take High (the
 *   counter is unchanged). Else if Normal and Low are both non-empty: if the
 *   counter is `>= LOW_PRIORITY_EVERY` take Low and set the counter to 0, else
 *   take Normal and add 1. Else if only Normal: take Normal (counter
 *   unchanged). Else if only Low: take Low, counter = 0. Else Empty.
 * - `advance` checks BadArgument (NaN, ±Infinity), then Past (`now < clock`),
 *   then Range (`now > MAX_CLOCK`).
 *   Only a successful `advance` replaces the fired list (with what it fired,
 *   possibly nothing).
 * - `timerSchedule` checks BadArgument (not finite), Past, Range, then Limit.
 *   Timer indices and generations follow the actor rules (FIFO reuse,
 *   generation advances when the timer fires or is cancelled, 511 → 1).
 * - `stat` returns numbers: counters, `State` as an {@linkcode ActorState},
 *   `InitialCapacity` after rounding, `Capacity` 0 when hibernated.
 *
 * ## Placement: several cores in one memory
 *
 * A WebAssembly core lives in a `WebAssembly.Memory` it is given (by default
 * one of its own), next to any other cores placed in the same memory — one
 * scheduler per Worker over a shared memory, for example (see
 * {@linkcode createCoreMemory}). The memory's directory places each instance
 * in chunks of its own, claimed with an atomic compare-and-swap, so no
 * instance can touch another's state; the diagrams are in `core/region.ts`
 * and the generated `core/layout.ts`. Instances in one memory share its
 * maximum: one that grows can leave another `OutOfMemory`, never corrupt it.
 * An instance must be driven by one thread at a time.
 *
 * Histograms live in a separate contract, {@linkcode HistogramStore}
 * (`histogram_store.ts`): a scheduler core holds no histogram.
 *
 * The codes, enums and limits are generated, with the AssemblyScript
 * constants, from one source: `core/layout.json` (`src/core/_layout.ts`).
 *
 * @module
 */

export {
  ActorState,
  CoreCode,
  DEFAULT_REDUCTION_BUDGET,
  LOW_PRIORITY_EVERY,
  MAX_ACTORS,
  MAX_BOUND,
  MAX_CLOCK,
  MAX_REDUCTION_BUDGET,
  MAX_TIMER_DELAY,
  MAX_TIMERS,
  Overflow,
  Priority,
  REUSED_SLOT,
  SLOT_MASK,
  Stat,
} from "./_layout.ts";

/**
 * The core's interface: both implementations, same numbers.
 *
 * @example Cast a message and run the actor
 * ```ts
 * import { createCore, Overflow, Priority } from "@beamlet/beamlet/core";
 *
 * const core = createCore();
 * const payloads: unknown[] = [];
 * const id = core.spawn(4, 1000, Overflow.Reject, Priority.Normal);
 * const slot = core.enqueue(id);          // >= 0: accepted
 * payloads[slot] = { hello: "world" };
 * const running = core.next();            // === id
 * const got = core.dequeue(running);      // === slot
 * console.log(payloads[got]);
 * core.release(running, 1, 0);
 * ```
 */
export interface Core {
  /** Which implementation this is. */
  readonly kind: "wasm" | "reference";
  /** Reductions each run of an actor may use. */
  readonly reductionBudget: number;
  /** Most slots in use at once (queued messages across all mailboxes). */
  readonly slotLimit: number;
  /** Most actors alive at once (`1..MAX_ACTORS`). */
  readonly actorLimit: number;

  /** Allocates an actor: its id (> 0), or BadArgument / Limit / OutOfMemory. */
  spawn(initialCapacity: number, bound: number, overflow: number, priority: number): number;
  /** Frees an actor, leaving the run queue and discarding its queued slots: how many were discarded, or Stale. */
  free(id: number): number;
  /** Accepts a message: its slot (with {@linkcode REUSED_SLOT} for a DropOldest drop), or Stale / Full / Dropped / Limit / OutOfMemory. */
  enqueue(id: number): number;
  /** Takes the oldest message: its slot, or Stale / Empty. */
  dequeue(id: number): number;
  /** A counter or property of an actor ({@linkcode Stat}), or Stale / BadArgument (unknown field). */
  stat(id: number, field: number): number;
  /** Frees the ring of a Waiting actor with an empty mailbox: Ok, or Stale / BadState. */
  hibernate(id: number): number;
  /** Changes an actor's priority (a Runnable actor moves to the tail of the new queue): Ok, or Stale / BadArgument. */
  setPriority(id: number, priority: number): number;

  /** Takes the next Runnable actor (now Running): its id, or Empty. */
  next(): number;
  /** Ends the run of a Running actor, adding `reductions` (>= 0); `blocked` 1 parks it as Blocked: its new state, or Stale / BadState / BadArgument. */
  release(id: number, reductions: number, blocked: number): number;
  /** Unparks a Blocked actor: its new state, or Stale / BadState. */
  wake(id: number): number;
  /** Runnable actors of a priority, or BadArgument. */
  runQueueLength(priority: number): number;
  /** Live actors. */
  actorCount(): number;
  /** Slots handed out and not yet returned. */
  slotsInUse(): number;

  /** Moves the clock to `now` ms and fires due timers: how many fired (read them with `timerFired`), or BadArgument (not finite) / Past / Range (beyond {@linkcode MAX_CLOCK}). */
  advance(now: number): number;
  /** The core clock: the last `now` given to `advance` (0 at start). */
  now(): number;
  /** Schedules a timer at `deadline` ms: its id (> 0), or Past / Range / BadArgument / Limit / OutOfMemory. */
  timerSchedule(deadline: number): number;
  /** Cancels a pending timer: Ok, or NoTimer. */
  timerCancel(timerId: number): number;
  /** The `index`-th timer fired by the last `advance` (0-based, in firing order), or BadArgument. */
  timerFired(index: number): number;
  /** Pending timers. */
  timerCount(): number;
  /**
   * When `advance` may next have work: -1 when no timer is pending, else a
   * tick `t` with `floor(now()) < t <= ` the earliest pending deadline tick.
   * A scheduler sleeps until then.
   */
  timerNextDue(): number;
}
