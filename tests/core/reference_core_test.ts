/**
 * Unit tests of the reference core, one rule of the `core.ts` contract at a
 * time. The differential property test (WASM vs reference) covers random
 * sequences; these pin each rule so a failure there can be traced to one.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ActorState,
  CoreCode,
  DEFAULT_REDUCTION_BUDGET,
  LOW_PRIORITY_EVERY,
  MAX_ACTORS,
  MAX_BOUND,
  MAX_TIMER_DELAY,
  Overflow,
  Priority,
  REUSED_SLOT,
  SLOT_MASK,
  Stat,
} from "../../src/core/core.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";

const ACTOR_GENERATION_SHIFT = 20;
const TIMER_GENERATION_SHIFT = 22;

function actorId(generation: number, index: number): number {
  return (generation << ACTOR_GENERATION_SHIFT) | index;
}

function timerId(generation: number, index: number): number {
  return (generation << TIMER_GENERATION_SHIFT) | index;
}

function spawnNormal(core: ReferenceCore, initialCapacity = 4, bound = 1000): number {
  const id = core.spawn(initialCapacity, bound, Overflow.Reject, Priority.Normal);
  assert.ok(id > 0, `spawn failed: ${id}`);
  return id;
}

/** Takes every runnable actor in order, releasing each (so non-empty ones requeue) — `count` picks. */
function picks(core: ReferenceCore, count: number): number[] {
  const order: number[] = [];
  for (let n = 0; n < count; n++) {
    const id = core.next();
    order.push(id);
    if (id > 0) core.release(id, 1, 0);
  }
  return order;
}

/** The fired list of the last advance. */
function firedList(core: ReferenceCore, count: number): number[] {
  const ids: number[] = [];
  for (let n = 0; n < count; n++) ids.push(core.timerFired(n));
  return ids;
}

/** Deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("ReferenceCore construction", () => {
  it("defaults the reduction budget and names its kind", () => {
    const core = new ReferenceCore();
    assert.equal(core.kind, "reference");
    assert.equal(core.reductionBudget, DEFAULT_REDUCTION_BUDGET);
    assert.equal(new ReferenceCore({ reductionBudget: 7 }).reductionBudget, 7);
    assert.equal(new ReferenceCore({}).reductionBudget, DEFAULT_REDUCTION_BUDGET);
  });

  it("rejects a reduction budget that is not an integer >= 1 with a RangeError", () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, 2 ** 31, "5" as unknown as number]) {
      assert.throws(
        () => new ReferenceCore({ reductionBudget: bad }),
        (error: unknown) =>
          error instanceof RangeError && /reductionBudget must be/.test(error.message),
      );
    }
  });

  it("starts empty", () => {
    const core = new ReferenceCore();
    assert.equal(core.actorCount(), 0);
    assert.equal(core.slotsInUse(), 0);
    assert.equal(core.next(), CoreCode.Empty);
    assert.equal(core.now(), 0);
    assert.equal(core.timerCount(), 0);
    assert.equal(core.timerNextDue(), -1);
    assert.equal(core.timerFired(0), CoreCode.BadArgument);
    for (const p of [Priority.High, Priority.Normal, Priority.Low]) {
      assert.equal(core.runQueueLength(p), 0);
    }
  });
});

describe("actor ids", () => {
  it("hands out generation 1 ids over never-used indices 0, 1, 2, ...", () => {
    const core = new ReferenceCore();
    assert.equal(spawnNormal(core), actorId(1, 0));
    assert.equal(spawnNormal(core), actorId(1, 1));
    assert.equal(spawnNormal(core), actorId(1, 2));
    assert.equal(core.actorCount(), 3);
  });

  it("reuses freed indices first-in first-out with the next generation", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    const b = spawnNormal(core);
    const c = spawnNormal(core);
    assert.equal(core.free(c), 0);
    assert.equal(core.free(a), 0);
    assert.equal(core.actorCount(), 1);
    assert.equal(spawnNormal(core), actorId(2, 2)); // c's index: freed first
    assert.equal(spawnNormal(core), actorId(2, 0)); // then a's
    assert.equal(spawnNormal(core), actorId(1, 3)); // then a never-used index
    assert.equal(core.stat(b, Stat.State), ActorState.Waiting);
  });

  it("wraps the generation from 2047 back to 1", () => {
    const core = new ReferenceCore();
    let id = spawnNormal(core);
    for (let generation = 1; generation < 2047; generation++) {
      assert.equal(id, actorId(generation, 0));
      core.free(id);
      id = spawnNormal(core);
    }
    assert.equal(id, actorId(2047, 0));
    core.free(id);
    assert.equal(spawnNormal(core), actorId(1, 0));
  });

  it("answers Stale to unknown, freed and stale ids on every call, changing nothing", () => {
    const core = new ReferenceCore();
    const freed = spawnNormal(core);
    core.free(freed);
    const live = spawnNormal(core); // same index, generation 2
    assert.equal(live, actorId(2, 0));
    for (const id of [freed, 0, -1, actorId(1, 5), actorId(3, 0), 0x7fffffff, 2 ** 40]) {
      assert.equal(core.free(id), CoreCode.Stale);
      assert.equal(core.enqueue(id), CoreCode.Stale);
      assert.equal(core.dequeue(id), CoreCode.Stale);
      assert.equal(core.stat(id, Stat.Length), CoreCode.Stale);
      assert.equal(core.hibernate(id), CoreCode.Stale);
      assert.equal(core.setPriority(id, Priority.High), CoreCode.Stale);
      assert.equal(core.release(id, 0, 0), CoreCode.Stale);
      assert.equal(core.wake(id), CoreCode.Stale);
    }
    assert.equal(core.actorCount(), 1);
    assert.equal(core.slotsInUse(), 0);
    assert.equal(core.stat(live, Stat.Enqueued), 0);
  });

  it("coerces ids with | 0 as the WebAssembly boundary does", () => {
    const core = new ReferenceCore();
    const id = spawnNormal(core);
    assert.equal(core.enqueue(id + 2 ** 32), 0);
    assert.equal(core.stat(id + 0.5, Stat.Length), 1);
  });

  it("refuses the actor after MAX_ACTORS live ones with Limit", () => {
    const core = new ReferenceCore();
    let last = 0;
    for (let n = 0; n < MAX_ACTORS; n++) last = core.spawn(1, 1, Overflow.Reject, Priority.Normal);
    assert.equal(last, actorId(1, MAX_ACTORS - 1));
    assert.equal(core.actorCount(), MAX_ACTORS);
    assert.equal(core.spawn(1, 1, Overflow.Reject, Priority.Normal), CoreCode.Limit);
    assert.equal(core.spawn(0, 1, Overflow.Reject, Priority.Normal), CoreCode.BadArgument);
    core.free(actorId(1, 7));
    assert.equal(core.spawn(1, 1, Overflow.Reject, Priority.Normal), actorId(2, 7));
  });
});

describe("spawn arguments", () => {
  it("checks initialCapacity, bound, overflow and priority ranges", () => {
    const core = new ReferenceCore();
    const { Reject, DropNewest } = Overflow;
    assert.equal(core.spawn(0, 10, Reject, Priority.Normal), CoreCode.BadArgument);
    assert.equal(core.spawn(-1, 10, Reject, Priority.Normal), CoreCode.BadArgument);
    assert.equal(core.spawn(MAX_BOUND + 1, 10, Reject, Priority.Normal), CoreCode.BadArgument);
    assert.equal(core.spawn(4, 0, Reject, Priority.Normal), CoreCode.BadArgument);
    assert.equal(core.spawn(4, MAX_BOUND + 1, Reject, Priority.Normal), CoreCode.BadArgument);
    assert.equal(core.spawn(4, 10, 3, Priority.Normal), CoreCode.BadArgument);
    assert.equal(core.spawn(4, 10, -1, Priority.Normal), CoreCode.BadArgument);
    assert.equal(core.spawn(4, 10, DropNewest, 3), CoreCode.BadArgument);
    assert.equal(core.spawn(4, 10, DropNewest, -1), CoreCode.BadArgument);
    assert.equal(core.actorCount(), 0);
    const id = core.spawn(4, MAX_BOUND, DropNewest, Priority.Low);
    assert.ok(id > 0);
    assert.equal(core.stat(id, Stat.Bound), MAX_BOUND);
    assert.equal(core.stat(id, Stat.Overflow), DropNewest);
    assert.equal(core.stat(id, Stat.Priority), Priority.Low);
    assert.equal(core.stat(id, Stat.State), ActorState.Waiting);
  });

  it("rounds the initial capacity to nextPow2(min(initialCapacity, bound))", () => {
    const core = new ReferenceCore();
    const cases: Array<[number, number, number]> = [
      [1, 1, 1],
      [5, 100, 8],
      [100, 3, 4],
      [8, 8, 8],
      [
        9,
        1000,
        16,
      ],
      [3, 2, 2],
    ];
    for (const [initialCapacity, bound, expected] of cases) {
      const id = core.spawn(initialCapacity, bound, Overflow.Reject, Priority.Normal);
      assert.equal(core.stat(id, Stat.InitialCapacity), expected, `${initialCapacity}/${bound}`);
      assert.equal(core.stat(id, Stat.Capacity), expected, `${initialCapacity}/${bound}`);
    }
  });

  it("coerces integer arguments with | 0", () => {
    const core = new ReferenceCore();
    const id = core.spawn(4.9, 2 ** 32 + 10, 1.2, 2.7);
    assert.ok(id > 0);
    assert.equal(core.stat(id, Stat.InitialCapacity), 4);
    assert.equal(core.stat(id, Stat.Bound), 10);
    assert.equal(core.stat(id, Stat.Overflow), Overflow.DropOldest);
    assert.equal(core.stat(id, Stat.Priority), Priority.Low);
    assert.equal(core.spawn(2 ** 32, 10, 0, 0), CoreCode.BadArgument); // | 0 makes it 0
  });
});

describe("slots", () => {
  it("hands out never-used slots 0, 1, 2, ... and reuses returned ones LIFO", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    const b = spawnNormal(core);
    assert.deepEqual([core.enqueue(a), core.enqueue(b), core.enqueue(a)], [0, 1, 2]);
    assert.equal(core.slotsInUse(), 3);
    assert.equal(core.dequeue(a), 0);
    assert.equal(core.dequeue(b), 1);
    assert.equal(core.slotsInUse(), 1);
    assert.equal(core.enqueue(b), 1); // last returned first
    assert.equal(core.enqueue(b), 0);
    assert.equal(core.enqueue(b), 3); // stack empty: next never-used
    assert.equal(core.slotsInUse(), 4);
  });

  it("free pushes discarded slots oldest first, so the newest comes back first", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    const b = spawnNormal(core);
    assert.deepEqual([core.enqueue(a), core.enqueue(a), core.enqueue(a)], [0, 1, 2]);
    assert.equal(core.free(a), 3);
    assert.equal(core.slotsInUse(), 0);
    assert.deepEqual([core.enqueue(b), core.enqueue(b), core.enqueue(b), core.enqueue(b)], [
      2,
      1,
      0,
      3,
    ]);
  });

  it("dequeues in FIFO order and answers Empty on an empty mailbox", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core, 2);
    const slots = [
      core.enqueue(a),
      core.enqueue(a),
      core.enqueue(a),
      core.enqueue(a),
      core.enqueue(a),
    ];
    assert.deepEqual(slots.map(() => core.dequeue(a)), slots);
    assert.equal(core.dequeue(a), CoreCode.Empty);
    assert.equal(core.stat(a, Stat.Dequeued), 5);
  });
});

describe("overflow policies", () => {
  it("Reject refuses with Full and counts refused", () => {
    const core = new ReferenceCore();
    const id = core.spawn(4, 2, Overflow.Reject, Priority.Normal);
    assert.deepEqual([core.enqueue(id), core.enqueue(id)], [0, 1]);
    assert.equal(core.enqueue(id), CoreCode.Full);
    assert.equal(core.enqueue(id), CoreCode.Full);
    assert.equal(core.stat(id, Stat.Refused), 2);
    assert.equal(core.stat(id, Stat.Dropped), 0);
    assert.equal(core.stat(id, Stat.Enqueued), 2);
    assert.equal(core.stat(id, Stat.Length), 2);
    assert.equal(core.slotsInUse(), 2);
    assert.equal(core.dequeue(id), 0);
    assert.equal(core.enqueue(id), 0); // room again
  });

  it("DropNewest drops the new message with Dropped and counts dropped", () => {
    const core = new ReferenceCore();
    const id = core.spawn(4, 2, Overflow.DropNewest, Priority.Normal);
    core.enqueue(id);
    core.enqueue(id);
    assert.equal(core.enqueue(id), CoreCode.Dropped);
    assert.equal(core.stat(id, Stat.Dropped), 1);
    assert.equal(core.stat(id, Stat.Refused), 0);
    assert.equal(core.stat(id, Stat.Enqueued), 2);
    assert.equal(core.stat(id, Stat.Length), 2);
    assert.deepEqual([core.dequeue(id), core.dequeue(id)], [0, 1]);
  });

  it("DropOldest reuses the oldest slot for the new message and flags it", () => {
    const core = new ReferenceCore();
    const id = core.spawn(1, 3, Overflow.DropOldest, Priority.Normal);
    assert.deepEqual([core.enqueue(id), core.enqueue(id), core.enqueue(id)], [0, 1, 2]);
    const result = core.enqueue(id);
    assert.equal(result, 0 | REUSED_SLOT);
    assert.equal(result & SLOT_MASK, 0);
    assert.equal(core.enqueue(id), 1 | REUSED_SLOT);
    assert.equal(core.stat(id, Stat.Dropped), 2);
    assert.equal(core.stat(id, Stat.Enqueued), 5);
    assert.equal(core.stat(id, Stat.Length), 3);
    assert.equal(core.stat(id, Stat.HighWater), 3);
    assert.equal(core.slotsInUse(), 3); // no pool traffic
    assert.deepEqual([core.dequeue(id), core.dequeue(id), core.dequeue(id)], [2, 0, 1]);
    // length = enqueued - dequeued - drops by DropOldest
    assert.equal(
      core.stat(id, Stat.Length),
      core.stat(id, Stat.Enqueued) - core.stat(id, Stat.Dequeued) - core.stat(id, Stat.Dropped),
    );
  });

  it("DropOldest with bound 1 keeps replacing the one message", () => {
    const core = new ReferenceCore();
    const id = core.spawn(1, 1, Overflow.DropOldest, Priority.Normal);
    assert.equal(core.enqueue(id), 0);
    assert.equal(core.enqueue(id), 0 | REUSED_SLOT);
    assert.equal(core.enqueue(id), 0 | REUSED_SLOT);
    assert.equal(core.dequeue(id), 0);
    assert.equal(core.dequeue(id), CoreCode.Empty);
  });

  it("keeps counters per mailbox", () => {
    const core = new ReferenceCore();
    const a = core.spawn(1, 1, Overflow.Reject, Priority.Normal);
    const b = core.spawn(1, 1, Overflow.DropNewest, Priority.Normal);
    core.enqueue(a);
    core.enqueue(a);
    core.enqueue(b);
    assert.equal(core.stat(a, Stat.Refused), 1);
    assert.equal(core.stat(b, Stat.Refused), 0);
    assert.equal(core.stat(b, Stat.Enqueued), 1);
  });
});

describe("mailbox ring capacity", () => {
  it("doubles when full, never past nextPow2(bound), and stops at bound", () => {
    const core = new ReferenceCore();
    const id = core.spawn(2, 10, Overflow.Reject, Priority.Normal);
    const capacities: number[] = [];
    for (let n = 0; n < 12; n++) {
      core.enqueue(id);
      capacities.push(core.stat(id, Stat.Capacity));
    }
    assert.deepEqual(capacities, [2, 2, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16]);
    assert.equal(core.stat(id, Stat.Length), 10);
    assert.equal(core.stat(id, Stat.Refused), 2);
    assert.equal(core.stat(id, Stat.HighWater), 10);
  });

  it("does not grow past a power-of-two bound", () => {
    const core = new ReferenceCore();
    const id = core.spawn(1, 4, Overflow.DropOldest, Priority.Normal);
    for (let n = 0; n < 10; n++) core.enqueue(id);
    assert.equal(core.stat(id, Stat.Capacity), 4);
  });

  it("keeps FIFO order when growing a wrapped ring", () => {
    const core = new ReferenceCore();
    const id = core.spawn(4, 100, Overflow.Reject, Priority.Normal);
    const queued: number[] = [];
    for (let n = 0; n < 4; n++) queued.push(core.enqueue(id));
    for (let n = 0; n < 3; n++) assert.equal(core.dequeue(id), queued.shift());
    for (let n = 0; n < 3; n++) queued.push(core.enqueue(id)); // head wrapped, ring full
    assert.equal(core.stat(id, Stat.Capacity), 4);
    for (let n = 0; n < 5; n++) queued.push(core.enqueue(id));
    assert.equal(core.stat(id, Stat.Capacity), 16);
    const out: number[] = [];
    for (;;) {
      const slot = core.dequeue(id);
      if (slot < 0) break;
      out.push(slot);
    }
    assert.deepEqual(out, queued);
  });

  it("shrinks to the initial capacity when release leaves it Waiting and empty", () => {
    const core = new ReferenceCore();
    const id = core.spawn(2, 100, Overflow.Reject, Priority.Normal);
    for (let n = 0; n < 9; n++) core.enqueue(id);
    assert.equal(core.stat(id, Stat.Capacity), 16);
    assert.equal(core.next(), id);
    core.dequeue(id);
    assert.equal(core.release(id, 1, 0), ActorState.Runnable);
    assert.equal(core.stat(id, Stat.Capacity), 16); // not empty: no shrink
    assert.equal(core.next(), id);
    while (core.dequeue(id) >= 0);
    assert.equal(core.stat(id, Stat.Capacity), 16); // dequeue never shrinks
    assert.equal(core.release(id, 8, 0), ActorState.Waiting);
    assert.equal(core.stat(id, Stat.Capacity), 2);
    assert.equal(core.stat(id, Stat.HighWater), 9);
  });

  it("does not shrink when parked Blocked, and shrinks when wake leaves it Waiting", () => {
    const core = new ReferenceCore();
    const id = core.spawn(1, 100, Overflow.Reject, Priority.Normal);
    for (let n = 0; n < 5; n++) core.enqueue(id);
    assert.equal(core.next(), id);
    while (core.dequeue(id) >= 0);
    assert.equal(core.release(id, 5, 1), ActorState.Blocked);
    assert.equal(core.stat(id, Stat.Capacity), 8);
    assert.equal(core.wake(id), ActorState.Waiting);
    assert.equal(core.stat(id, Stat.Capacity), 1);
  });

  it("hibernate frees the ring of a Waiting empty actor until the next accepted enqueue", () => {
    const core = new ReferenceCore();
    const id = core.spawn(3, 100, Overflow.Reject, Priority.Normal);
    assert.equal(core.hibernate(id), CoreCode.Ok);
    assert.equal(core.stat(id, Stat.Capacity), 0);
    assert.equal(core.stat(id, Stat.InitialCapacity), 4);
    assert.equal(core.hibernate(id), CoreCode.Ok); // already hibernated
    assert.equal(core.stat(id, Stat.Capacity), 0);
    assert.equal(core.enqueue(id), 0);
    assert.equal(core.stat(id, Stat.Capacity), 4);
    assert.equal(core.stat(id, Stat.State), ActorState.Runnable);
  });

  it("hibernate needs state Waiting and an empty mailbox", () => {
    const core = new ReferenceCore();
    const id = spawnNormal(core);
    core.enqueue(id);
    assert.equal(core.hibernate(id), CoreCode.BadState); // Runnable
    core.dequeue(id);
    assert.equal(core.hibernate(id), CoreCode.BadState); // Runnable, empty
    assert.equal(core.next(), id);
    assert.equal(core.hibernate(id), CoreCode.BadState); // Running
    assert.equal(core.release(id, 0, 1), ActorState.Blocked);
    assert.equal(core.hibernate(id), CoreCode.BadState); // Blocked
    assert.equal(core.wake(id), ActorState.Waiting);
    assert.equal(core.hibernate(id), CoreCode.Ok);
  });

  it("a hibernated full-refusing mailbox of bound 1 comes back at capacity 1", () => {
    const core = new ReferenceCore();
    const id = core.spawn(8, 1, Overflow.Reject, Priority.Normal);
    assert.equal(core.stat(id, Stat.Capacity), 1);
    core.hibernate(id);
    assert.equal(core.enqueue(id), 0);
    assert.equal(core.enqueue(id), CoreCode.Full);
    assert.equal(core.stat(id, Stat.Capacity), 1);
  });
});

describe("actor states", () => {
  it("moves Waiting -> Runnable -> Running -> Waiting / Runnable / Blocked", () => {
    const core = new ReferenceCore();
    const id = spawnNormal(core);
    assert.equal(core.stat(id, Stat.State), ActorState.Waiting);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.State), ActorState.Runnable);
    core.enqueue(id);
    assert.equal(core.runQueueLength(Priority.Normal), 1); // in the queue at most once
    assert.equal(core.next(), id);
    assert.equal(core.stat(id, Stat.State), ActorState.Running);
    assert.equal(core.runQueueLength(Priority.Normal), 0);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.State), ActorState.Running); // enqueue leaves Running
    assert.equal(core.runQueueLength(Priority.Normal), 0);
    assert.equal(core.release(id, 1, 0), ActorState.Runnable);
    assert.equal(core.runQueueLength(Priority.Normal), 1);
    assert.equal(core.next(), id);
    assert.equal(core.release(id, 1, 1), ActorState.Blocked);
    assert.equal(core.runQueueLength(Priority.Normal), 0);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.State), ActorState.Blocked); // enqueue leaves Blocked
    assert.equal(core.runQueueLength(Priority.Normal), 0);
    assert.equal(core.wake(id), ActorState.Runnable);
    assert.equal(core.runQueueLength(Priority.Normal), 1);
    assert.equal(core.next(), id);
    while (core.dequeue(id) >= 0);
    assert.equal(core.release(id, 3, 0), ActorState.Waiting);
    assert.equal(core.stat(id, Stat.Reductions), 5);
  });

  it("dequeue never changes the state; a Runnable actor emptied by dequeue is still picked", () => {
    const core = new ReferenceCore();
    const id = spawnNormal(core);
    core.enqueue(id);
    core.dequeue(id);
    assert.equal(core.stat(id, Stat.State), ActorState.Runnable);
    assert.equal(core.next(), id);
    assert.equal(core.release(id, 0, 0), ActorState.Waiting);
  });

  it("release and wake answer BadState outside Running / Blocked", () => {
    const core = new ReferenceCore();
    const id = spawnNormal(core);
    assert.equal(core.release(id, 0, 0), CoreCode.BadState); // Waiting
    assert.equal(core.wake(id), CoreCode.BadState); // Waiting
    core.enqueue(id);
    assert.equal(core.release(id, 0, 0), CoreCode.BadState); // Runnable
    assert.equal(core.wake(id), CoreCode.BadState); // Runnable
    core.next();
    assert.equal(core.wake(id), CoreCode.BadState); // Running
    core.release(id, 0, 1);
    assert.equal(core.release(id, 0, 0), CoreCode.BadState); // Blocked
    assert.equal(core.stat(id, Stat.State), ActorState.Blocked);
  });

  it("checks release arguments in order: Stale, BadArgument, BadState", () => {
    const core = new ReferenceCore();
    const id = spawnNormal(core); // Waiting: release would be BadState
    const stale = spawnNormal(core);
    core.free(stale);
    assert.equal(core.release(stale, -1, 2), CoreCode.Stale);
    assert.equal(core.release(id, -1, 0), CoreCode.BadArgument);
    assert.equal(core.release(id, 0, 2), CoreCode.BadArgument);
    assert.equal(core.release(id, 0, -1), CoreCode.BadArgument);
    assert.equal(core.release(id, 2 ** 31, 0), CoreCode.BadArgument); // | 0 is negative
    assert.equal(core.release(id, 0, 0), CoreCode.BadState);
    core.enqueue(id);
    core.next();
    assert.equal(core.release(id, -5, 0), CoreCode.BadArgument);
    assert.equal(core.stat(id, Stat.State), ActorState.Running); // nothing changed
    assert.equal(core.release(id, 0, 0), ActorState.Runnable);
  });

  it("adds reductions exactly beyond 2^32", () => {
    const core = new ReferenceCore();
    const id = spawnNormal(core);
    const big = 0x7fffffff;
    for (let n = 0; n < 5; n++) {
      core.enqueue(id);
      assert.equal(core.next(), id);
      core.dequeue(id);
      core.release(id, big, 0);
    }
    assert.equal(core.stat(id, Stat.Reductions), 5 * big);
  });

  it("free takes a Runnable actor out of the run queue and returns its discarded count", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    const b = spawnNormal(core);
    core.enqueue(a);
    core.enqueue(a);
    core.enqueue(b);
    assert.equal(core.runQueueLength(Priority.Normal), 2);
    assert.equal(core.free(a), 2);
    assert.equal(core.runQueueLength(Priority.Normal), 1);
    assert.equal(core.slotsInUse(), 1);
    assert.equal(core.next(), b);
    assert.equal(core.next(), CoreCode.Empty);
    assert.equal(core.free(b), 1); // free a Running actor
    assert.equal(core.actorCount(), 0);
    assert.equal(core.slotsInUse(), 0);
  });

  it("a respawned index starts with fresh counters", () => {
    const core = new ReferenceCore();
    const a = core.spawn(1, 1, Overflow.Reject, Priority.High);
    core.enqueue(a);
    core.enqueue(a);
    core.free(a);
    const b = core.spawn(2, 5, Overflow.DropNewest, Priority.Low);
    for (
      const field of [Stat.Enqueued, Stat.Dequeued, Stat.Refused, Stat.Dropped, Stat.Reductions]
    ) {
      assert.equal(core.stat(b, field), 0);
    }
    assert.equal(core.stat(b, Stat.HighWater), 0);
    assert.equal(core.stat(b, Stat.Length), 0);
    assert.equal(core.stat(b, Stat.State), ActorState.Waiting);
  });
});

describe("run queue", () => {
  it("is strictly round-robin within a priority however many messages each holds", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    const b = spawnNormal(core);
    const c = spawnNormal(core);
    for (let n = 0; n < 10; n++) core.enqueue(a);
    core.enqueue(b);
    core.enqueue(b);
    core.enqueue(c);
    // picks() releases without dequeuing, so each stays Runnable and requeues at the tail.
    assert.deepEqual(picks(core, 7), [a, b, c, a, b, c, a]);
  });

  it("takes High while it is not empty, without touching the Low counter", () => {
    const core = new ReferenceCore();
    const high = core.spawn(1, 10, Overflow.Reject, Priority.High);
    const normal = spawnNormal(core);
    const low = core.spawn(1, 10, Overflow.Reject, Priority.Low);
    core.enqueue(low);
    core.enqueue(normal);
    core.enqueue(high);
    assert.deepEqual(picks(core, 3), [high, high, high]);
    core.dequeue(high);
    assert.equal(core.stat(high, Stat.State), ActorState.Runnable);
    assert.equal(core.next(), high);
    assert.equal(core.release(high, 1, 0), ActorState.Waiting);
    const order = picks(core, LOW_PRIORITY_EVERY + 1);
    assert.deepEqual(order, [...Array(LOW_PRIORITY_EVERY).fill(normal), low]);
  });

  it("takes Low once after every LOW_PRIORITY_EVERY Normal picks while both wait", () => {
    const core = new ReferenceCore();
    const n1 = spawnNormal(core);
    const n2 = spawnNormal(core);
    const low = core.spawn(1, 10, Overflow.Reject, Priority.Low);
    core.enqueue(n1);
    core.enqueue(n2);
    core.enqueue(low);
    const order = picks(core, 2 * (LOW_PRIORITY_EVERY + 1));
    const normals = [n1, n2, n1, n2, n1, n2, n1, n2];
    assert.deepEqual(order, [...normals, low, ...normals, low]);
  });

  it("counts only Normal picks made while Low was waiting", () => {
    const core = new ReferenceCore();
    const normal = spawnNormal(core);
    const low = core.spawn(1, 10, Overflow.Reject, Priority.Low);
    core.enqueue(normal);
    assert.deepEqual(picks(core, 20), Array(20).fill(normal)); // Low empty: counter unchanged
    core.enqueue(low);
    const order = picks(core, LOW_PRIORITY_EVERY + 1);
    assert.deepEqual(order, [...Array(LOW_PRIORITY_EVERY).fill(normal), low]);
  });

  it("resets the counter when Low is picked alone", () => {
    const core = new ReferenceCore();
    const normal = spawnNormal(core);
    const low = core.spawn(1, 10, Overflow.Reject, Priority.Low);
    core.enqueue(normal);
    core.enqueue(low);
    assert.deepEqual(picks(core, 5), Array(5).fill(normal)); // counter 5
    // Take Normal out of the run queue: Low alone is picked, the counter resets.
    assert.equal(core.next(), normal);
    assert.equal(core.release(normal, 1, 1), ActorState.Blocked); // counter 6 at that pick
    assert.deepEqual(picks(core, 1), [low]); // counter 0
    assert.equal(core.wake(normal), ActorState.Runnable);
    const order = picks(core, LOW_PRIORITY_EVERY + 1);
    assert.deepEqual(order, [...Array(LOW_PRIORITY_EVERY).fill(normal), low]);
  });

  it("with the counter full, the Normal picks resume after Low", () => {
    const core = new ReferenceCore();
    const normal = spawnNormal(core);
    const low = core.spawn(1, 10, Overflow.Reject, Priority.Low);
    core.enqueue(normal);
    core.enqueue(low);
    assert.deepEqual(picks(core, LOW_PRIORITY_EVERY), Array(LOW_PRIORITY_EVERY).fill(normal));
    // Low leaves the queue before its turn: the counter stays at LOW_PRIORITY_EVERY.
    core.free(low);
    assert.deepEqual(picks(core, 3), [normal, normal, normal]);
    const low2 = core.spawn(1, 10, Overflow.Reject, Priority.Low);
    core.enqueue(low2);
    assert.deepEqual(picks(core, 2), [low2, normal]);
  });

  it("answers Empty with nothing runnable and BadArgument for an unknown priority", () => {
    const core = new ReferenceCore();
    assert.equal(core.next(), CoreCode.Empty);
    assert.equal(core.runQueueLength(3), CoreCode.BadArgument);
    assert.equal(core.runQueueLength(-1), CoreCode.BadArgument);
  });
});

describe("setPriority", () => {
  it("moves a Runnable actor to the tail of the new queue", () => {
    const core = new ReferenceCore();
    const a = core.spawn(1, 10, Overflow.Reject, Priority.High);
    const b = spawnNormal(core);
    const c = spawnNormal(core);
    core.enqueue(a);
    core.enqueue(b);
    core.enqueue(c);
    assert.equal(core.setPriority(b, Priority.High), CoreCode.Ok);
    assert.equal(core.runQueueLength(Priority.High), 2);
    assert.equal(core.runQueueLength(Priority.Normal), 1);
    assert.equal(core.stat(b, Stat.Priority), Priority.High);
    assert.deepEqual([core.next(), core.next(), core.next()], [a, b, c]);
  });

  it("to the current priority keeps a Runnable actor's place", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    const b = spawnNormal(core);
    core.enqueue(a);
    core.enqueue(b);
    assert.equal(core.setPriority(a, Priority.Normal), CoreCode.Ok);
    assert.deepEqual([core.next(), core.next()], [a, b]);
  });

  it("changes only the priority of an actor that is not Runnable", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    assert.equal(core.setPriority(a, Priority.Low), CoreCode.Ok);
    assert.equal(core.runQueueLength(Priority.Low), 0);
    core.enqueue(a);
    assert.equal(core.runQueueLength(Priority.Low), 1);
    core.next();
    assert.equal(core.setPriority(a, Priority.High), CoreCode.Ok);
    assert.equal(core.stat(a, Stat.State), ActorState.Running);
    assert.equal(core.release(a, 0, 0), ActorState.Runnable);
    assert.equal(core.runQueueLength(Priority.High), 1);
  });

  it("checks Stale before BadArgument", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    assert.equal(core.setPriority(a, 3), CoreCode.BadArgument);
    assert.equal(core.setPriority(a, -1), CoreCode.BadArgument);
    core.free(a);
    assert.equal(core.setPriority(a, 3), CoreCode.Stale);
  });
});

describe("stat", () => {
  it("answers BadArgument for an unknown field, after Stale", () => {
    const core = new ReferenceCore();
    const a = spawnNormal(core);
    assert.equal(core.stat(a, -1), CoreCode.BadArgument);
    assert.equal(core.stat(a, 14), CoreCode.BadArgument);
    core.free(a);
    assert.equal(core.stat(a, 14), CoreCode.Stale);
  });

  it("reports every field", () => {
    const core = new ReferenceCore();
    const a = core.spawn(3, 6, Overflow.DropNewest, Priority.High);
    core.advance(12.5);
    for (let n = 0; n < 8; n++) core.enqueue(a);
    core.dequeue(a);
    core.next();
    core.release(a, 4, 1);
    const expected: Record<number, number> = {
      [Stat.Enqueued]: 6,
      [Stat.Dequeued]: 1,
      [Stat.Refused]: 0,
      [Stat.Dropped]: 2,
      [Stat.HighWater]: 6,
      [Stat.Reductions]: 4,
      [Stat.Length]: 5,
      [Stat.Capacity]: 8,
      [Stat.Bound]: 6,
      [Stat.State]: ActorState.Blocked,
      [Stat.Priority]: Priority.High,
      [Stat.Overflow]: Overflow.DropNewest,
      [Stat.InitialCapacity]: 4,
      [Stat.OldestEnqueuedAt]: 12.5,
    };
    for (const [field, value] of Object.entries(expected)) {
      assert.equal(core.stat(a, Number(field)), value, `field ${field}`);
    }
  });

  it("OldestEnqueuedAt is the core clock when the oldest queued message was accepted", () => {
    const core = new ReferenceCore();
    const a = core.spawn(4, 2, Overflow.DropOldest, Priority.Normal);
    assert.equal(core.stat(a, Stat.OldestEnqueuedAt), CoreCode.Empty);
    core.advance(10);
    core.enqueue(a);
    core.advance(20.25);
    core.enqueue(a);
    assert.equal(core.stat(a, Stat.OldestEnqueuedAt), 10);
    core.advance(30);
    core.enqueue(a); // drops the message of t=10
    assert.equal(core.stat(a, Stat.OldestEnqueuedAt), 20.25);
    core.dequeue(a);
    assert.equal(core.stat(a, Stat.OldestEnqueuedAt), 30);
    core.dequeue(a);
    assert.equal(core.stat(a, Stat.OldestEnqueuedAt), CoreCode.Empty);
  });
});

describe("advance", () => {
  it("moves the clock forward and keeps fractional milliseconds", () => {
    const core = new ReferenceCore();
    assert.equal(core.advance(0), 0);
    assert.equal(core.advance(3.75), 0);
    assert.equal(core.now(), 3.75);
    assert.equal(core.advance(3.75), 0); // same time is allowed
  });

  it("checks BadArgument before Past and changes nothing on failure", () => {
    const core = new ReferenceCore();
    const timer = core.timerSchedule(5);
    core.advance(10);
    assert.equal(core.timerFired(0), timer);
    assert.equal(core.advance(NaN), CoreCode.BadArgument);
    assert.equal(core.advance(Infinity), CoreCode.BadArgument);
    assert.equal(core.advance(-Infinity), CoreCode.BadArgument);
    assert.equal(core.advance(9.99), CoreCode.Past);
    assert.equal(core.now(), 10);
    assert.equal(core.timerFired(0), timer); // the fired list survives failed advances
    assert.equal(core.advance(11), 0); // a successful one replaces it, even with nothing
    assert.equal(core.timerFired(0), CoreCode.BadArgument);
  });
});

describe("timers", () => {
  it("hands out ids with a 22-bit index and generation 1, reusing indices FIFO", () => {
    const core = new ReferenceCore();
    const a = core.timerSchedule(10);
    const b = core.timerSchedule(10);
    const c = core.timerSchedule(10);
    assert.deepEqual([a, b, c], [timerId(1, 0), timerId(1, 1), timerId(1, 2)]);
    assert.equal(core.timerCancel(b), CoreCode.Ok);
    assert.equal(core.advance(10), 2); // fires a then c: index 0 then 2 join the FIFO
    assert.deepEqual(firedList(core, 2), [a, c]);
    assert.equal(core.timerSchedule(20), timerId(2, 1));
    assert.equal(core.timerSchedule(20), timerId(2, 0));
    assert.equal(core.timerSchedule(20), timerId(2, 2));
    assert.equal(core.timerSchedule(20), timerId(1, 3));
  });

  it("wraps the timer generation from 511 back to 1", () => {
    const core = new ReferenceCore();
    for (let generation = 1; generation <= 511; generation++) {
      const id = core.timerSchedule(100);
      assert.equal(id, timerId(generation, 0));
      assert.equal(core.timerCancel(id), CoreCode.Ok);
    }
    assert.equal(core.timerSchedule(100), timerId(1, 0));
  });

  it("fires in order of deadline tick, then schedule order", () => {
    const core = new ReferenceCore();
    const a = core.timerSchedule(5);
    const b = core.timerSchedule(3);
    const c = core.timerSchedule(5);
    const d = core.timerSchedule(4.2); // tick 5
    const e = core.timerSchedule(2.0001); // tick 3
    const f = core.timerSchedule(7);
    assert.equal(core.timerCount(), 6);
    assert.equal(core.advance(4.9), 2); // floor 4: ticks 3
    assert.deepEqual(firedList(core, 2), [b, e]);
    assert.equal(core.advance(6), 3);
    assert.deepEqual(firedList(core, 3), [a, c, d]);
    assert.equal(core.timerFired(3), CoreCode.BadArgument);
    assert.equal(core.timerFired(-1), CoreCode.BadArgument);
    assert.equal(core.timerCount(), 1);
    assert.equal(core.advance(7), 1);
    assert.equal(core.timerFired(0), f);
    assert.equal(core.timerCount(), 0);
  });

  it("takes a deadline in the current tick as the next tick", () => {
    const core = new ReferenceCore();
    core.advance(10.5);
    const early = core.timerSchedule(11); // tick 11, scheduled first
    const same = core.timerSchedule(10); // tick 10 == floor(clock): effective 11
    const fraction = core.timerSchedule(9.5); // ceil 10: effective 11
    assert.equal(core.timerNextDue(), 11);
    assert.equal(core.advance(10.99), 0);
    assert.equal(core.advance(11), 3);
    assert.deepEqual(firedList(core, 3), [early, same, fraction]);
  });

  it("treats a negative deadline in tick 0 at clock 0 as tick 1", () => {
    const core = new ReferenceCore();
    const id = core.timerSchedule(-0.5);
    assert.ok(id > 0);
    assert.equal(core.timerNextDue(), 1);
    assert.equal(core.timerSchedule(-1), CoreCode.Past);
    assert.equal(core.advance(0.5), 0);
    assert.equal(core.advance(1), 1);
  });

  it("checks BadArgument, then Past, then Range", () => {
    const core = new ReferenceCore();
    core.advance(100.7);
    assert.equal(core.timerSchedule(NaN), CoreCode.BadArgument);
    assert.equal(core.timerSchedule(Infinity), CoreCode.BadArgument);
    assert.equal(core.timerSchedule(-Infinity), CoreCode.BadArgument);
    assert.equal(core.timerSchedule(99), CoreCode.Past);
    assert.equal(core.timerSchedule(98.5), CoreCode.Past); // tick 99
    assert.ok(core.timerSchedule(99.5) > 0); // tick 100 == floor(clock): next tick
    assert.ok(core.timerSchedule(100 + MAX_TIMER_DELAY) > 0);
    assert.equal(core.timerSchedule(100 + MAX_TIMER_DELAY + 0.5), CoreCode.Range);
    assert.equal(core.timerSchedule(100 + MAX_TIMER_DELAY + 1), CoreCode.Range);
    assert.equal(core.timerCount(), 2);
  });

  it("cancel answers NoTimer for fired, cancelled, unknown and stale ids", () => {
    const core = new ReferenceCore();
    const a = core.timerSchedule(5);
    const b = core.timerSchedule(6);
    assert.equal(core.timerCancel(b), CoreCode.Ok);
    assert.equal(core.timerCancel(b), CoreCode.NoTimer);
    assert.equal(core.timerCount(), 1);
    core.advance(10);
    assert.equal(core.timerFired(0), a);
    assert.equal(core.timerCancel(a), CoreCode.NoTimer);
    const reused = core.timerSchedule(20); // index of b (freed first), generation 2
    assert.equal(reused, timerId(2, 1));
    assert.equal(core.timerCancel(b), CoreCode.NoTimer); // stale generation
    for (const id of [0, -1, timerId(1, 9), 0x7fffffff]) {
      assert.equal(core.timerCancel(id), CoreCode.NoTimer);
    }
    assert.equal(core.timerCount(), 1);
  });

  it("a cancelled timer never fires, wherever it sat", () => {
    const core = new ReferenceCore();
    const ids: number[] = [];
    for (let n = 0; n < 50; n++) ids.push(core.timerSchedule(1 + (n % 7)));
    const kept = ids.filter((_, n) => n % 3 !== 0);
    for (let n = 0; n < ids.length; n += 3) assert.equal(core.timerCancel(ids[n]), CoreCode.Ok);
    const fired = core.advance(100);
    assert.equal(fired, kept.length);
    const expected = kept
      .map((id) => ({ id, tick: 1 + (ids.indexOf(id) % 7), order: ids.indexOf(id) }))
      .sort((x, y) => x.tick - y.tick || x.order - y.order)
      .map((x) => x.id);
    assert.deepEqual(firedList(core, fired), expected);
  });

  it("timerNextDue is -1 when idle, else within (floor(now), earliest tick]", () => {
    const core = new ReferenceCore();
    assert.equal(core.timerNextDue(), -1);
    core.advance(3.5);
    const a = core.timerSchedule(40.2);
    core.timerSchedule(90);
    let due = core.timerNextDue();
    assert.ok(due > 3 && due <= 41, `${due}`);
    core.timerCancel(a);
    due = core.timerNextDue();
    assert.ok(due > 3 && due <= 90, `${due}`);
    core.advance(90);
    assert.equal(core.timerNextDue(), -1);
  });

  it("fires each of many timers exactly once in order across long idle gaps", {
    timeout: 120_000,
  }, () => {
    const core = new ReferenceCore();
    const next = random(42);
    const count = 200_000;
    const deadlines = new Float64Array(count);
    const idToOrder = new Map<number, number>();
    for (let n = 0; n < count; n++) {
      // Spread over 10 days with clusters on the same tick.
      const deadline = n % 5 === 0 ? 1000 * Math.floor(next() * 50) : next() * 864_000_000;
      deadlines[n] = Math.ceil(deadline) === 0 ? 1 : Math.ceil(deadline);
      const id = core.timerSchedule(deadline);
      assert.ok(id > 0);
      idToOrder.set(id, n);
    }
    const cancelled = new Set<number>();
    for (const [id, order] of idToOrder) {
      if (order % 11 === 0) {
        assert.equal(core.timerCancel(id), CoreCode.Ok);
        cancelled.add(order);
      }
    }
    assert.equal(core.timerCount(), count - cancelled.size);
    const seen = new Uint8Array(count);
    let lastTick = 0;
    let lastOrder = -1;
    let total = 0;
    let now = 0;
    while (core.timerCount() > 0) {
      now += next() < 0.5 ? next() * 10 : next() * 50_000_000; // short steps and long idle gaps
      const fired = core.advance(now);
      for (let n = 0; n < fired; n++) {
        const order = idToOrder.get(core.timerFired(n));
        assert.ok(order !== undefined);
        assert.equal(seen[order], 0, "fired twice");
        assert.ok(!cancelled.has(order), "cancelled timer fired");
        seen[order] = 1;
        const tick = deadlines[order];
        assert.ok(tick <= Math.floor(now), "fired early");
        assert.ok(tick > lastTick || (tick === lastTick && order > lastOrder), "out of order");
        lastTick = tick;
        lastOrder = order;
      }
      total += fired;
      const due = core.timerNextDue();
      if (core.timerCount() > 0) assert.ok(due > Math.floor(now));
    }
    assert.equal(total, count - cancelled.size);
  });

  it("holds a million pending timers and fires them in one advance", {
    timeout: 120_000,
  }, () => {
    const core = new ReferenceCore();
    const count = 1_000_000;
    let first = 0;
    for (let n = 0; n < count; n++) {
      const id = core.timerSchedule(1 + ((n * 7919) % 5000));
      if (n === 0) first = id;
    }
    assert.equal(core.timerCount(), count);
    assert.equal(core.timerNextDue(), 1);
    assert.equal(core.advance(1e9), count);
    assert.equal(core.timerFired(0), first); // tick 1, scheduled first
    assert.equal(core.timerCount(), 0);
    assert.equal(core.timerFired(count), CoreCode.BadArgument);
  });
});
