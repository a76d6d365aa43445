/**
 * The TypeScript scheduler core: the model the WebAssembly core is tested
 * against, and the production fallback where WebAssembly cannot be compiled
 * from bytes (Cloudflare Workers).
 *
 * It follows the {@linkcode Core} contract in `core.ts` number for number.
 * Its parts, one concept a file:
 *
 * - actor ids: a generational index pool with FIFO reuse (`_reference_index_pool.ts`);
 * - per-actor fields: struct-of-arrays (`_reference_actor_table.ts`);
 * - mailbox rings: power-of-two blocks of one arena (`_reference_ring_arena.ts`);
 * - slots and their acceptance stamps: a LIFO pool (`_reference_slot_pool.ts`);
 * - the run queue: three intrusive lists (`_reference_run_queue.ts`);
 * - timers: a (tick, sequence) min-heap with positions (`_reference_timer_queue.ts`).
 *
 * Every integer argument is coerced with `| 0`, exactly as the WebAssembly
 * boundary coerces an `i32` parameter, so both cores see the same integers.
 *
 * @module
 */

import { actorLimitOf } from "./_actor_limit.ts";
import { reductionBudgetOf } from "./_reduction_budget.ts";
import { slotLimitOf } from "./_slot_limit.ts";
import {
  ActorState,
  type Core,
  CoreCode,
  MAX_BOUND,
  MAX_CLOCK,
  MAX_TIMER_DELAY,
  Overflow,
  REUSED_SLOT,
  Stat,
} from "./core.ts";
import { ActorTable } from "./_reference_actor_table.ts";
import { IndexPool } from "./_reference_index_pool.ts";
import { RingArena } from "./_reference_ring_arena.ts";
import { RunQueue } from "./_reference_run_queue.ts";
import { SlotPool } from "./_reference_slot_pool.ts";
import { TimerQueue } from "./_reference_timer_queue.ts";
import { isAllocationFailure, nextPow2 } from "./_reference_typed_arrays.ts";
import { ACTOR_INDEX_BITS, ACTOR_MAX_GENERATION } from "./_layout.ts";

/**
 * Options of {@linkcode ReferenceCore}.
 *
 * @example Shorter runs for latency-sensitive actors
 * ```ts
 * import { ReferenceCore } from "@beamlet/beamlet/core";
 *
 * const core = new ReferenceCore({ reductionBudget: 200 });
 * console.log(core.reductionBudget); // 200
 * ```
 */
export interface ReferenceCoreOptions {
  /** Reductions per run of an actor: an integer in `1..2^31-1`; default {@linkcode DEFAULT_REDUCTION_BUDGET}. */
  reductionBudget?: number;
  /** Most slots in use at once: an integer in `1..2^30`; default 2^30. */
  slotLimit?: number;
  /** Most actors alive at once: an integer in `1..MAX_ACTORS`; default `MAX_ACTORS` (2^20). */
  actorLimit?: number;
}

/**
 * The scheduler core in plain TypeScript: same interface and same numbers as
 * the WebAssembly core.
 *
 * @example Cast, run and release an actor
 * ```ts
 * import { Overflow, Priority, ReferenceCore } from "@beamlet/beamlet/core";
 *
 * const core = new ReferenceCore({ reductionBudget: 100 });
 * const payloads: unknown[] = [];
 * const id = core.spawn(4, 1000, Overflow.Reject, Priority.Normal);
 * payloads[core.enqueue(id)] = "hello";
 * const running = core.next(); // === id
 * console.log(payloads[core.dequeue(running)]); // "hello"
 * core.release(running, 1, 0); // ActorState.Waiting
 * ```
 *
 * @example A timer
 * ```ts
 * import { ReferenceCore } from "@beamlet/beamlet/core";
 *
 * const core = new ReferenceCore();
 * const timer = core.timerSchedule(25);
 * core.advance(30); // 1
 * console.log(core.timerFired(0) === timer); // true
 * ```
 */
export class ReferenceCore implements Core {
  /** Which implementation this is. */
  readonly kind = "reference" as const;
  /** Reductions each run of an actor may use. */
  readonly reductionBudget: number;
  /** Most slots in use at once. */
  readonly slotLimit: number;
  /** Most actors alive at once. */
  readonly actorLimit: number;

  readonly #actors: IndexPool;
  readonly #table = new ActorTable();
  readonly #arena = new RingArena();
  readonly #runQueue = new RunQueue();
  readonly #slots: SlotPool;
  readonly #timers = new TimerQueue();
  #clock = 0;

  /**
   * Throws `RangeError` unless `reductionBudget` is an integer in `1..2^31-1`,
   * `slotLimit` in `1..2^30` and `actorLimit` in `1..2^20`.
   */
  constructor(options: ReferenceCoreOptions = {}) {
    const budget = reductionBudgetOf(options.reductionBudget, "ReferenceCore");
    this.reductionBudget = budget;
    this.slotLimit = slotLimitOf(options.slotLimit, "ReferenceCore");
    this.#slots = new SlotPool(this.slotLimit);
    this.actorLimit = actorLimitOf(options.actorLimit, "ReferenceCore");
    this.#actors = new IndexPool(ACTOR_INDEX_BITS, ACTOR_MAX_GENERATION, this.actorLimit);
  }

  // ---- actors ---------------------------------------------------------------

  /** Allocates an actor: its id (> 0), or BadArgument / Limit / OutOfMemory. */
  spawn(initialCapacity: number, bound: number, overflow: number, priority: number): number {
    initialCapacity |= 0;
    bound |= 0;
    overflow |= 0;
    priority |= 0;
    if (initialCapacity < 1 || initialCapacity > MAX_BOUND) return CoreCode.BadArgument;
    if (bound < 1 || bound > MAX_BOUND) return CoreCode.BadArgument;
    if (overflow < 0 || overflow > 2) return CoreCode.BadArgument;
    if (priority < 0 || priority > 2) return CoreCode.BadArgument;
    const index = this.#actors.peek();
    if (index < 0) return CoreCode.Limit;
    const capacity = nextPow2(initialCapacity < bound ? initialCapacity : bound);
    let ringOffset: number;
    try {
      // Tables first: a failure after the arena allocation would leak its block.
      this.#table.ensure(index + 1);
      this.#runQueue.ensure(index + 1);
      ringOffset = this.#arena.allocate(capacity);
    } catch (error) {
      if (isAllocationFailure(error)) return CoreCode.OutOfMemory;
      throw error;
    }
    this.#actors.allocate(); // cannot fail: peek() found the index and ensure() made room
    const t = this.#table;
    t.state[index] = ActorState.Waiting;
    t.priority[index] = priority;
    t.overflow[index] = overflow;
    t.bound[index] = bound;
    t.initialCapacity[index] = capacity;
    t.head[index] = 0;
    t.length[index] = 0;
    t.highWater[index] = 0;
    t.enqueued[index] = 0;
    t.dequeued[index] = 0;
    t.refused[index] = 0;
    t.dropped[index] = 0;
    t.reductions[index] = 0;
    t.ringOffset[index] = ringOffset;
    t.capacity[index] = capacity;
    return this.#actors.idOf(index);
  }

  /** Frees an actor, leaving the run queue and discarding its queued slots: how many were discarded, or Stale. */
  free(id: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    const t = this.#table;
    if (t.state[index] === ActorState.Runnable) this.#runQueue.remove(index, t.priority[index]);
    const length = t.length[index];
    const capacity = t.capacity[index];
    if (capacity > 0) {
      const memory = this.#arena.memory;
      const base = t.ringOffset[index];
      const mask = capacity - 1;
      const head = t.head[index];
      // Oldest first, so the newest discarded slot ends on top of the LIFO.
      for (let k = 0; k < length; k++) this.#slots.give(memory[base + ((head + k) & mask)]);
      this.#arena.release(base, capacity);
    }
    t.state[index] = 0;
    t.length[index] = 0;
    t.capacity[index] = 0;
    this.#actors.release(index);
    return length;
  }

  /** Accepts a message: its slot (with {@linkcode REUSED_SLOT} for a DropOldest drop), or Stale / Full / Dropped / Limit / OutOfMemory. */
  enqueue(id: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    const t = this.#table;
    const length = t.length[index];
    if (length >= t.bound[index]) return this.#overflow(index, length);
    const slot = this.#slots.take();
    if (slot < 0) return slot;
    if (length === t.capacity[index]) {
      try {
        this.#grow(index, length);
      } catch (error) {
        // Hand the slot back: observably the same as never having taken it.
        this.#slots.give(slot);
        if (isAllocationFailure(error)) return CoreCode.OutOfMemory;
        throw error;
      }
    }
    this.#arena.memory[t.ringOffset[index] + ((t.head[index] + length) & (t.capacity[index] - 1))] =
      slot;
    t.length[index] = length + 1;
    if (length >= t.highWater[index]) t.highWater[index] = length + 1;
    t.enqueued[index]++;
    this.#slots.stamps[slot] = this.#clock;
    if (t.state[index] === ActorState.Waiting) {
      t.state[index] = ActorState.Runnable;
      this.#runQueue.push(index, t.priority[index]);
    }
    return slot;
  }

  /** Takes the oldest message: its slot, or Stale / Empty. */
  dequeue(id: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    const t = this.#table;
    const length = t.length[index];
    if (length === 0) return CoreCode.Empty;
    const head = t.head[index];
    const slot = this.#arena.memory[t.ringOffset[index] + head];
    t.head[index] = (head + 1) & (t.capacity[index] - 1);
    t.length[index] = length - 1;
    t.dequeued[index]++;
    this.#slots.give(slot);
    return slot;
  }

  /** A counter or property of an actor ({@linkcode Stat}), or Stale / BadArgument (unknown field). */
  stat(id: number, field: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    const t = this.#table;
    switch (field | 0) {
      case Stat.Enqueued:
        return t.enqueued[index];
      case Stat.Dequeued:
        return t.dequeued[index];
      case Stat.Refused:
        return t.refused[index];
      case Stat.Dropped:
        return t.dropped[index];
      case Stat.HighWater:
        return t.highWater[index];
      case Stat.Reductions:
        return t.reductions[index];
      case Stat.Length:
        return t.length[index];
      case Stat.Capacity:
        return t.capacity[index];
      case Stat.Bound:
        return t.bound[index];
      case Stat.State:
        return t.state[index];
      case Stat.Priority:
        return t.priority[index];
      case Stat.Overflow:
        return t.overflow[index];
      case Stat.InitialCapacity:
        return t.initialCapacity[index];
      case Stat.OldestEnqueuedAt:
        return t.length[index] === 0
          ? CoreCode.Empty
          : this.#slots.stamps[this.#arena.memory[t.ringOffset[index] + t.head[index]]];
      default:
        return CoreCode.BadArgument;
    }
  }

  /** Frees the ring of a Waiting actor with an empty mailbox: Ok, or Stale / BadState. */
  hibernate(id: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    const t = this.#table;
    if (t.state[index] !== ActorState.Waiting || t.length[index] !== 0) return CoreCode.BadState;
    const capacity = t.capacity[index];
    if (capacity > 0) this.#arena.release(t.ringOffset[index], capacity);
    t.capacity[index] = 0;
    t.head[index] = 0;
    return CoreCode.Ok;
  }

  /** Changes an actor's priority (a Runnable actor moves to the tail of the new queue): Ok, or Stale / BadArgument. */
  setPriority(id: number, priority: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    priority |= 0;
    if (priority < 0 || priority > 2) return CoreCode.BadArgument;
    const t = this.#table;
    const current = t.priority[index];
    if (priority === current) return CoreCode.Ok;
    if (t.state[index] === ActorState.Runnable) {
      this.#runQueue.remove(index, current);
      this.#runQueue.push(index, priority);
    }
    t.priority[index] = priority;
    return CoreCode.Ok;
  }

  // ---- run queue ------------------------------------------------------------

  /** Takes the next Runnable actor (now Running): its id, or Empty. */
  next(): number {
    const index = this.#runQueue.pick();
    if (index < 0) return CoreCode.Empty;
    this.#table.state[index] = ActorState.Running;
    return this.#actors.idOf(index);
  }

  /** Ends the run of a Running actor, adding `reductions` (>= 0); `blocked` 1 parks it as Blocked: its new state, or Stale / BadState / BadArgument. */
  release(id: number, reductions: number, blocked: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    reductions |= 0;
    blocked |= 0;
    if (reductions < 0 || blocked < 0 || blocked > 1) return CoreCode.BadArgument;
    const t = this.#table;
    if (t.state[index] !== ActorState.Running) return CoreCode.BadState;
    t.reductions[index] += reductions;
    if (blocked === 1) {
      t.state[index] = ActorState.Blocked;
      return ActorState.Blocked;
    }
    return this.#settle(index);
  }

  /** Unparks a Blocked actor: its new state, or Stale / BadState. */
  wake(id: number): number {
    const index = this.#actors.indexOf(id | 0);
    if (index < 0) return CoreCode.Stale;
    if (this.#table.state[index] !== ActorState.Blocked) return CoreCode.BadState;
    return this.#settle(index);
  }

  /** Runnable actors of a priority, or BadArgument. */
  runQueueLength(priority: number): number {
    priority |= 0;
    if (priority < 0 || priority > 2) return CoreCode.BadArgument;
    return this.#runQueue.length(priority);
  }

  /** Live actors. */
  actorCount(): number {
    return this.#actors.count;
  }

  /** Slots handed out and not yet returned. */
  slotsInUse(): number {
    return this.#slots.inUse;
  }

  // ---- timers ---------------------------------------------------------------

  /** Moves the clock to `now` ms and fires due timers: how many fired (read them with `timerFired`), or BadArgument (not finite) / Past / Range (beyond `MAX_CLOCK`). */
  advance(now: number): number {
    now = +now;
    if (!Number.isFinite(now)) return CoreCode.BadArgument;
    if (now < this.#clock) return CoreCode.Past;
    if (now > MAX_CLOCK) return CoreCode.Range;
    this.#clock = now;
    return this.#timers.fireThrough(Math.floor(now));
  }

  /** The core clock: the last `now` given to `advance` (0 at start). */
  now(): number {
    return this.#clock;
  }

  /** Schedules a timer at `deadline` ms: its id (> 0), or Past / Range / BadArgument / Limit / OutOfMemory. */
  timerSchedule(deadline: number): number {
    deadline = +deadline;
    if (!Number.isFinite(deadline)) return CoreCode.BadArgument;
    let tick = Math.ceil(deadline);
    const current = Math.floor(this.#clock);
    if (tick < current) return CoreCode.Past;
    if (tick - current > MAX_TIMER_DELAY) return CoreCode.Range;
    // The wheel has already swept the current tick: the timer is due at the next one.
    if (tick === current) tick = current + 1;
    return this.#timers.schedule(tick);
  }

  /** Cancels a pending timer: Ok, or NoTimer. */
  timerCancel(timerId: number): number {
    return this.#timers.cancel(timerId | 0);
  }

  /** The `index`-th timer fired by the last `advance` (0-based, in firing order), or BadArgument. */
  timerFired(index: number): number {
    return this.#timers.fired(index | 0);
  }

  /** Pending timers. */
  timerCount(): number {
    return this.#timers.count;
  }

  /** -1 when no timer is pending, else the earliest pending deadline tick (always `> floor(now())`). */
  timerNextDue(): number {
    return this.#timers.earliest();
  }

  // ---- private --------------------------------------------------------------

  /** Applies the overflow policy of a mailbox holding `bound` messages. */
  #overflow(index: number, length: number): number {
    const t = this.#table;
    switch (t.overflow[index]) {
      case Overflow.Reject:
        t.refused[index]++;
        return CoreCode.Full;
      case Overflow.DropNewest:
        t.dropped[index]++;
        return CoreCode.Dropped;
      default: {
        // DropOldest: the oldest message leaves at the head and its slot comes
        // back in at the tail for the new one; no pool traffic, length unchanged.
        const memory = this.#arena.memory;
        const base = t.ringOffset[index];
        const mask = t.capacity[index] - 1;
        const head = t.head[index];
        const slot = memory[base + head];
        const nextHead = (head + 1) & mask;
        memory[base + ((nextHead + length - 1) & mask)] = slot;
        t.head[index] = nextHead;
        t.dropped[index]++;
        t.enqueued[index]++;
        this.#slots.stamps[slot] = this.#clock;
        return slot | REUSED_SLOT;
      }
    }
  }

  /**
   * A full ring doubles (or a hibernated one comes back at its initial
   * capacity), oldest message first at position 0. The caller only grows when
   * `length < bound`, so doubling never passes `nextPow2(bound)`. Throws
   * `RangeError`, changing nothing, when the arena cannot grow.
   */
  #grow(index: number, length: number): void {
    const t = this.#table;
    const arena = this.#arena;
    const capacity = length === 0 ? t.initialCapacity[index] : length * 2;
    const offset = arena.allocate(capacity);
    if (length > 0) {
      // Read the memory after allocate: growing the arena replaces it.
      const memory = arena.memory;
      const base = t.ringOffset[index];
      const head = t.head[index];
      memory.copyWithin(offset, base + head, base + length);
      memory.copyWithin(offset + length - head, base, base + head);
      arena.release(base, length);
    }
    t.ringOffset[index] = offset;
    t.capacity[index] = capacity;
    t.head[index] = 0;
  }

  /**
   * Ends a run or a block: Runnable (at the tail) when messages wait, else
   * Waiting with the ring shrunk back to its initial capacity.
   */
  #settle(index: number): number {
    const t = this.#table;
    if (t.length[index] > 0) {
      t.state[index] = ActorState.Runnable;
      this.#runQueue.push(index, t.priority[index]);
      return ActorState.Runnable;
    }
    t.state[index] = ActorState.Waiting;
    const initialCapacity = t.initialCapacity[index];
    const capacity = t.capacity[index];
    if (capacity > initialCapacity) {
      let offset: number;
      try {
        // Usually served by the free list: growing released a block of this size.
        offset = this.#arena.allocate(initialCapacity);
      } catch (error) {
        // Only at the arena's 4 GiB limit: keeping the larger ring is harmless.
        if (isAllocationFailure(error)) return ActorState.Waiting;
        throw error;
      }
      this.#arena.release(t.ringOffset[index], capacity);
      t.ringOffset[index] = offset;
      t.capacity[index] = initialCapacity;
      t.head[index] = 0;
    }
    return ActorState.Waiting;
  }
}
