/**
 * A deliberately naive model of the scheduler core contract (`src/core/core.ts`).
 *
 * Plain arrays and objects, no rings, no wheel, no bit tricks beyond the id
 * layout: every method follows the contract's prose and its "Exact rules" line
 * by line and returns the number the real core must return. The property tests
 * call a model method and the matching core method side by side and compare.
 *
 * The model never looks at a real core: it predicts actor ids, slots and timer
 * ids by itself (FIFO index reuse, LIFO slot reuse), so the tests can assert
 * that the real core hands out exactly those.
 *
 * @module
 */

import {
  ActorState,
  CoreCode,
  LOW_PRIORITY_EVERY,
  MAX_ACTORS,
  MAX_BOUND,
  MAX_CLOCK,
  MAX_TIMER_DELAY,
  MAX_TIMERS,
  Overflow,
  type Priority,
  REUSED_SLOT,
  Stat,
} from "../../src/core/core.ts";

const ACTOR_INDEX_BITS = 20;
const ACTOR_MAX_GENERATION = 2047;
const TIMER_INDEX_BITS = 22;
const TIMER_MAX_GENERATION = 511;
/** Slots live in `0 .. 2^30 - 1`. */
const SLOT_LIMIT = 2 ** 30;

/** One queued message: its slot and the core clock when it was accepted. */
export interface ModelMessage {
  slot: number;
  enqueuedAt: number;
}

/** One live actor. */
export interface ModelActor {
  id: number;
  index: number;
  generation: number;
  state: ActorState;
  priority: Priority;
  overflow: Overflow;
  bound: number;
  /** After rounding: `nextPow2(min(initialCapacity, bound))`. */
  initialCapacity: number;
  /** 0 when hibernated. */
  capacity: number;
  /** Oldest first. */
  queue: ModelMessage[];
  enqueued: number;
  dequeued: number;
  refused: number;
  dropped: number;
  highWater: number;
  reductions: number;
}

/** One pending timer. */
export interface ModelTimer {
  id: number;
  index: number;
  /** The effective deadline tick. */
  tick: number;
  /** Order of scheduling, for ties within a tick. */
  sequence: number;
}

/** Smallest power of two `>= n` (for `1 <= n <= 2^30`). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** `x | 0`: how the core reads every integer argument. */
function i32(x: number): number {
  return x | 0;
}

/** The model of one core. */
export class CoreModel {
  readonly reductionBudget: number;

  /** Live actors by id. */
  readonly actors = new Map<number, ModelActor>();
  /** Generation the next actor at each index gets (indices ever used). */
  readonly actorGenerations: number[] = [];
  /** Freed actor indices, oldest first (FIFO). */
  readonly freeActorIndices: number[] = [];

  /** Returned slots; the last pushed is handed out first (LIFO). */
  readonly freeSlots: number[] = [];
  nextSlot = 0;

  /** Run queues by priority, head first. */
  readonly runQueues: [ModelActor[], ModelActor[], ModelActor[]] = [[], [], []];
  /** Normal picks made while Low was not empty since Low was last picked. */
  normalPicks = 0;

  clock = 0;
  /** Pending timers, in scheduling order. */
  readonly timers: ModelTimer[] = [];
  readonly timerGenerations: number[] = [];
  readonly freeTimerIndices: number[] = [];
  timerSequence = 0;
  /** What the last successful `advance` fired, in firing order. */
  fired: number[] = [];

  /** Most live actors (the cores' `actorLimit`). */
  readonly actorLimit: number;

  constructor(reductionBudget: number, actorLimit: number = MAX_ACTORS) {
    this.reductionBudget = reductionBudget;
    this.actorLimit = actorLimit;
  }

  /** The live actor with this id, if any. */
  actor(id: number): ModelActor | undefined {
    return this.actors.get(i32(id));
  }

  // ---- actors -------------------------------------------------------------

  /** What `spawn` would return for an index, without spawning: the next id. */
  predictNextActorId(): number {
    if (this.freeActorIndices.length > 0) {
      const index = this.freeActorIndices[0];
      return this.actorGenerations[index] * 2 ** ACTOR_INDEX_BITS + index;
    }
    return 1 * 2 ** ACTOR_INDEX_BITS + this.actorGenerations.length;
  }

  spawn(initialCapacity: number, bound: number, overflow: number, priority: number): number {
    initialCapacity = i32(initialCapacity);
    bound = i32(bound);
    overflow = i32(overflow);
    priority = i32(priority);
    if (initialCapacity < 1 || initialCapacity > MAX_BOUND) return CoreCode.BadArgument;
    if (bound < 1 || bound > MAX_BOUND) return CoreCode.BadArgument;
    if (overflow < 0 || overflow > 2) return CoreCode.BadArgument;
    if (priority < 0 || priority > 2) return CoreCode.BadArgument;
    if (this.actors.size >= this.actorLimit) return CoreCode.Limit;

    let index: number;
    if (this.freeActorIndices.length > 0) {
      index = this.freeActorIndices.shift()!;
    } else {
      index = this.actorGenerations.length;
      this.actorGenerations.push(1);
    }
    const generation = this.actorGenerations[index];
    const id = generation * 2 ** ACTOR_INDEX_BITS + index;
    const rounded = nextPow2(Math.min(initialCapacity, bound));
    this.actors.set(id, {
      id,
      index,
      generation,
      state: ActorState.Waiting,
      priority: priority as Priority,
      overflow: overflow as Overflow,
      bound,
      initialCapacity: rounded,
      capacity: rounded,
      queue: [],
      enqueued: 0,
      dequeued: 0,
      refused: 0,
      dropped: 0,
      highWater: 0,
      reductions: 0,
    });
    return id;
  }

  free(id: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    this.removeFromRunQueue(actor);
    for (const message of actor.queue) this.freeSlots.push(message.slot);
    const discarded = actor.queue.length;
    this.actors.delete(actor.id);
    this.actorGenerations[actor.index] = actor.generation === ACTOR_MAX_GENERATION
      ? 1
      : actor.generation + 1;
    this.freeActorIndices.push(actor.index);
    return discarded;
  }

  /** The slot `enqueue` would take next (no change). */
  predictNextSlot(): number {
    if (this.freeSlots.length > 0) return this.freeSlots[this.freeSlots.length - 1];
    return this.nextSlot;
  }

  enqueue(id: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    if (actor.queue.length >= actor.bound) {
      if (actor.overflow === Overflow.Reject) {
        actor.refused += 1;
        return CoreCode.Full;
      }
      if (actor.overflow === Overflow.DropNewest) {
        actor.dropped += 1;
        return CoreCode.Dropped;
      }
      // DropOldest: the oldest leaves, its slot carries the new message.
      const oldest = actor.queue.shift()!;
      actor.queue.push({ slot: oldest.slot, enqueuedAt: this.clock });
      actor.dropped += 1;
      actor.enqueued += 1;
      return oldest.slot | REUSED_SLOT;
    }
    let slot: number;
    if (this.freeSlots.length > 0) {
      slot = this.freeSlots.pop()!;
    } else {
      if (this.nextSlot >= SLOT_LIMIT) return CoreCode.Limit;
      slot = this.nextSlot;
      this.nextSlot += 1;
    }
    if (actor.capacity === 0) {
      actor.capacity = actor.initialCapacity;
    } else if (actor.queue.length === actor.capacity && actor.queue.length < actor.bound) {
      actor.capacity = Math.min(actor.capacity * 2, nextPow2(actor.bound));
    }
    actor.queue.push({ slot, enqueuedAt: this.clock });
    actor.enqueued += 1;
    actor.highWater = Math.max(actor.highWater, actor.queue.length);
    if (actor.state === ActorState.Waiting) {
      actor.state = ActorState.Runnable;
      this.runQueues[actor.priority].push(actor);
    }
    return slot;
  }

  dequeue(id: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    if (actor.queue.length === 0) return CoreCode.Empty;
    const message = actor.queue.shift()!;
    actor.dequeued += 1;
    this.freeSlots.push(message.slot);
    return message.slot;
  }

  stat(id: number, field: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    switch (i32(field)) {
      case Stat.Enqueued:
        return actor.enqueued;
      case Stat.Dequeued:
        return actor.dequeued;
      case Stat.Refused:
        return actor.refused;
      case Stat.Dropped:
        return actor.dropped;
      case Stat.HighWater:
        return actor.highWater;
      case Stat.Reductions:
        return actor.reductions;
      case Stat.Length:
        return actor.queue.length;
      case Stat.Capacity:
        return actor.capacity;
      case Stat.Bound:
        return actor.bound;
      case Stat.State:
        return actor.state;
      case Stat.Priority:
        return actor.priority;
      case Stat.Overflow:
        return actor.overflow;
      case Stat.InitialCapacity:
        return actor.initialCapacity;
      case Stat.OldestEnqueuedAt:
        return actor.queue.length === 0 ? CoreCode.Empty : actor.queue[0].enqueuedAt;
      default:
        return CoreCode.BadArgument;
    }
  }

  hibernate(id: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    if (actor.state !== ActorState.Waiting || actor.queue.length !== 0) return CoreCode.BadState;
    actor.capacity = 0;
    return CoreCode.Ok;
  }

  setPriority(id: number, priority: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    priority = i32(priority);
    if (priority < 0 || priority > 2) return CoreCode.BadArgument;
    if (priority === actor.priority) return CoreCode.Ok;
    if (actor.state === ActorState.Runnable) {
      this.removeFromRunQueue(actor);
      actor.priority = priority as Priority;
      this.runQueues[actor.priority].push(actor);
    } else {
      actor.priority = priority as Priority;
    }
    return CoreCode.Ok;
  }

  // ---- run queue -----------------------------------------------------------

  next(): number {
    const [high, normal, low] = this.runQueues;
    let taken: ModelActor;
    if (high.length > 0) {
      taken = high.shift()!;
    } else if (normal.length > 0 && low.length > 0) {
      if (this.normalPicks >= LOW_PRIORITY_EVERY) {
        taken = low.shift()!;
        this.normalPicks = 0;
      } else {
        taken = normal.shift()!;
        this.normalPicks += 1;
      }
    } else if (normal.length > 0) {
      taken = normal.shift()!;
    } else if (low.length > 0) {
      taken = low.shift()!;
      this.normalPicks = 0;
    } else {
      return CoreCode.Empty;
    }
    taken.state = ActorState.Running;
    return taken.id;
  }

  release(id: number, reductions: number, blocked: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    reductions = i32(reductions);
    blocked = i32(blocked);
    if (reductions < 0) return CoreCode.BadArgument;
    if (blocked !== 0 && blocked !== 1) return CoreCode.BadArgument;
    if (actor.state !== ActorState.Running) return CoreCode.BadState;
    actor.reductions += reductions;
    if (blocked === 1) {
      actor.state = ActorState.Blocked;
    } else {
      this.becomeRunnableOrWaiting(actor);
    }
    return actor.state;
  }

  wake(id: number): number {
    const actor = this.actor(id);
    if (actor === undefined) return CoreCode.Stale;
    if (actor.state !== ActorState.Blocked) return CoreCode.BadState;
    this.becomeRunnableOrWaiting(actor);
    return actor.state;
  }

  runQueueLength(priority: number): number {
    priority = i32(priority);
    if (priority < 0 || priority > 2) return CoreCode.BadArgument;
    return this.runQueues[priority].length;
  }

  actorCount(): number {
    return this.actors.size;
  }

  slotsInUse(): number {
    let inUse = 0;
    for (const actor of this.actors.values()) inUse += actor.queue.length;
    return inUse;
  }

  // ---- timers --------------------------------------------------------------

  advance(now: number): number {
    if (!Number.isFinite(now)) return CoreCode.BadArgument;
    if (now < this.clock) return CoreCode.Past;
    if (now > MAX_CLOCK) return CoreCode.Range;
    this.clock = now;
    const due = this.timers.filter((timer) => timer.tick <= Math.floor(now));
    due.sort((a, b) => a.tick - b.tick || a.sequence - b.sequence);
    for (const timer of due) this.retireTimer(timer);
    this.fired = due.map((timer) => timer.id);
    return due.length;
  }

  now(): number {
    return this.clock;
  }

  /** The timer id `timerSchedule` would hand out next (no change). */
  predictNextTimerId(): number {
    if (this.freeTimerIndices.length > 0) {
      const index = this.freeTimerIndices[0];
      return this.timerGenerations[index] * 2 ** TIMER_INDEX_BITS + index;
    }
    return 1 * 2 ** TIMER_INDEX_BITS + this.timerGenerations.length;
  }

  timerSchedule(deadline: number): number {
    if (!Number.isFinite(deadline)) return CoreCode.BadArgument;
    const current = Math.floor(this.clock);
    let tick = Math.ceil(deadline);
    if (tick < current) return CoreCode.Past;
    if (tick === current) tick = current + 1;
    if (tick - current > MAX_TIMER_DELAY) return CoreCode.Range;
    if (this.timers.length >= MAX_TIMERS) return CoreCode.Limit;
    let index: number;
    if (this.freeTimerIndices.length > 0) {
      index = this.freeTimerIndices.shift()!;
    } else {
      index = this.timerGenerations.length;
      this.timerGenerations.push(1);
    }
    const id = this.timerGenerations[index] * 2 ** TIMER_INDEX_BITS + index;
    this.timerSequence += 1;
    this.timers.push({ id, index, tick, sequence: this.timerSequence });
    return id;
  }

  timerCancel(timerId: number): number {
    timerId = i32(timerId);
    const timer = this.timers.find((t) => t.id === timerId);
    if (timer === undefined) return CoreCode.NoTimer;
    this.retireTimer(timer);
    return CoreCode.Ok;
  }

  timerFired(index: number): number {
    index = i32(index);
    if (index < 0 || index >= this.fired.length) return CoreCode.BadArgument;
    return this.fired[index];
  }

  timerCount(): number {
    return this.timers.length;
  }

  /** The earliest pending (effective) deadline tick, or -1 when none. */
  earliestTick(): number {
    if (this.timers.length === 0) return -1;
    return Math.min(...this.timers.map((timer) => timer.tick));
  }

  /** Whether `value` is an answer `timerNextDue` may give now. */
  nextDueIsValid(value: number): boolean {
    const earliest = this.earliestTick();
    if (earliest === -1) return value === -1;
    return Number.isInteger(value) && Math.floor(this.clock) < value && value <= earliest;
  }

  // ---- helpers ---------------------------------------------------------------

  private becomeRunnableOrWaiting(actor: ModelActor): void {
    if (actor.queue.length > 0) {
      actor.state = ActorState.Runnable;
      this.runQueues[actor.priority].push(actor);
    } else {
      actor.state = ActorState.Waiting;
      if (actor.capacity > actor.initialCapacity) actor.capacity = actor.initialCapacity;
    }
  }

  private removeFromRunQueue(actor: ModelActor): void {
    for (const queue of this.runQueues) {
      const at = queue.indexOf(actor);
      if (at >= 0) queue.splice(at, 1);
    }
  }

  private retireTimer(timer: ModelTimer): void {
    this.timers.splice(this.timers.indexOf(timer), 1);
    const generation = this.timerGenerations[timer.index];
    this.timerGenerations[timer.index] = generation === TIMER_MAX_GENERATION ? 1 : generation + 1;
    this.freeTimerIndices.push(timer.index);
  }

  /** The model's own consistency (it is simple, but check anyway). */
  selfCheck(): string | undefined {
    for (const actor of this.actors.values()) {
      const inQueues = this.runQueues.reduce(
        (n, queue) => n + queue.filter((a) => a === actor).length,
        0,
      );
      const expected = actor.state === ActorState.Runnable ? 1 : 0;
      if (inQueues !== expected) return `actor ${actor.id} is in the run queues ${inQueues} times`;
      if (expected === 1 && !this.runQueues[actor.priority].includes(actor)) {
        return `actor ${actor.id} is in the wrong run queue`;
      }
      if (actor.state === ActorState.Waiting && actor.queue.length > 0) {
        return `actor ${actor.id} is Waiting with messages`;
      }
      if (actor.queue.length > actor.bound) return `actor ${actor.id} is above its bound`;
    }
    for (const queue of this.runQueues) {
      for (const actor of queue) {
        if (this.actors.get(actor.id) !== actor) return `a dead actor is in a run queue`;
      }
    }
    if (this.nextSlot - this.freeSlots.length !== this.slotsInUse()) return "slot accounting";
    return undefined;
  }
}
