/**
 * Unit tests of the WebAssembly core against the exact rules of the Core
 * contract (src/core/core.ts). Behaviour only: no timing assertions.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WasmCore } from "../../src/core/wasm_core.ts";
import {
  ActorState,
  CoreCode,
  DEFAULT_REDUCTION_BUDGET,
  LOW_PRIORITY_EVERY,
  MAX_BOUND,
  MAX_TIMER_DELAY,
  Overflow,
  Priority,
  REUSED_SLOT,
  SLOT_MASK,
  Stat,
} from "../../src/core/core.ts";

const INDEX_BITS = 20;
const MAX_GENERATION = 2047;

function normal(
  core: WasmCore,
  initialCapacity = 4,
  bound = 1000,
  overflow: number = Overflow.Reject,
) {
  return core.spawn(initialCapacity, bound, overflow, Priority.Normal);
}

describe("WasmCore construction", () => {
  it("uses the default budget and validates reductionBudget", () => {
    assert.equal(new WasmCore().reductionBudget, DEFAULT_REDUCTION_BUDGET);
    assert.equal(new WasmCore({ reductionBudget: 7 }).reductionBudget, 7);
    assert.equal(new WasmCore().kind, "wasm");
    for (const bad of [0, -1, 1.5, NaN, Infinity, "3" as unknown as number]) {
      assert.throws(() => new WasmCore({ reductionBudget: bad }), RangeError);
    }
  });

  it("gives every core its own instance", () => {
    const a = new WasmCore();
    const b = new WasmCore();
    normal(a);
    normal(a);
    assert.equal(a.actorCount(), 2);
    assert.equal(b.actorCount(), 0);
  });
});

describe("actor table", () => {
  it("refuses unknown, freed and stale ids everywhere", () => {
    const core = new WasmCore();
    const id = normal(core);
    assert.ok(id > 0);
    assert.equal(core.free(id), 0);
    for (const stale of [id, 0, -1, -id, id + 1, 1 << INDEX_BITS]) {
      assert.equal(core.enqueue(stale), CoreCode.Stale);
      assert.equal(core.dequeue(stale), CoreCode.Stale);
      assert.equal(core.stat(stale, Stat.Length), CoreCode.Stale);
      assert.equal(core.hibernate(stale), CoreCode.Stale);
      assert.equal(core.setPriority(stale, 9), CoreCode.Stale);
      assert.equal(core.release(stale, -1, 5), CoreCode.Stale);
      assert.equal(core.wake(stale), CoreCode.Stale);
      assert.equal(core.free(stale), CoreCode.Stale);
    }
    const again = normal(core);
    assert.equal(again & ((1 << INDEX_BITS) - 1), id & ((1 << INDEX_BITS) - 1));
    assert.notEqual(again, id);
    assert.equal(core.enqueue(id), CoreCode.Stale);
    assert.equal(core.actorCount(), 1);
  });

  it("advances generations 1..2047 and wraps to 1", () => {
    const core = new WasmCore();
    const first = normal(core);
    assert.equal(first, (1 << INDEX_BITS) | 0);
    let id = first;
    for (let generation = 1; generation <= MAX_GENERATION; generation++) {
      assert.equal(id, (generation << INDEX_BITS) | 0);
      assert.ok(id > 0);
      assert.equal(core.free(id), 0);
      id = normal(core);
    }
    assert.equal(id, first, "generation 2047 wraps to 1");
    assert.equal(core.stat(id, Stat.State), ActorState.Waiting);
  });

  it("reuses freed indices first-in first-out, then never-used ones", () => {
    const core = new WasmCore();
    const [a, b, c] = [normal(core), normal(core), normal(core)];
    const index = (id: number) => id & ((1 << INDEX_BITS) - 1);
    assert.deepEqual([a, b, c].map(index), [0, 1, 2]);
    core.free(b);
    core.free(a);
    assert.deepEqual([normal(core), normal(core), normal(core)].map(index), [1, 0, 3]);
  });

  it("checks spawn arguments in order, and setPriority's", () => {
    const core = new WasmCore();
    assert.equal(core.spawn(0, 10, 0, 0), CoreCode.BadArgument);
    assert.equal(core.spawn(MAX_BOUND + 1, 10, 0, 0), CoreCode.BadArgument);
    assert.equal(core.spawn(1, 0, 0, 0), CoreCode.BadArgument);
    assert.equal(core.spawn(1, MAX_BOUND + 1, 0, 0), CoreCode.BadArgument);
    assert.equal(core.spawn(1, 1, 3, 0), CoreCode.BadArgument);
    assert.equal(core.spawn(1, 1, 0, 3), CoreCode.BadArgument);
    assert.equal(core.spawn(1, 1, -1, 0), CoreCode.BadArgument);
    // The ring is allocated at spawn: 2^30 entries do not fit a 32-bit memory.
    assert.equal(core.spawn(MAX_BOUND, MAX_BOUND, 0, 0), CoreCode.OutOfMemory);
    assert.equal(core.actorCount(), 0);
    const id = core.spawn(1, MAX_BOUND, Overflow.DropNewest, Priority.Low);
    assert.equal(id, 1 << INDEX_BITS, "a failed spawn takes no index");
    assert.equal(core.stat(id, Stat.Bound), MAX_BOUND);
    assert.equal(core.free(id), 0);
    const small = normal(core);
    assert.equal(core.setPriority(small, 3), CoreCode.BadArgument);
    assert.equal(core.stat(small, 14), CoreCode.BadArgument);
    assert.equal(core.stat(small, -1), CoreCode.BadArgument);
  });
});

describe("mailboxes", () => {
  it("hands out slots LIFO from returned ones, then never-used ones", () => {
    const core = new WasmCore();
    const id = normal(core);
    assert.deepEqual([core.enqueue(id), core.enqueue(id)], [0, 1]);
    assert.deepEqual([core.dequeue(id), core.dequeue(id)], [0, 1]);
    assert.equal(core.dequeue(id), CoreCode.Empty);
    assert.deepEqual([core.enqueue(id), core.enqueue(id), core.enqueue(id)], [1, 0, 2]);
    assert.equal(core.slotsInUse(), 3);
  });

  it("free discards queued slots oldest first", () => {
    const core = new WasmCore();
    const id = normal(core);
    const slots = [core.enqueue(id), core.enqueue(id), core.enqueue(id)];
    assert.deepEqual(slots, [0, 1, 2]);
    assert.equal(core.free(id), 3);
    assert.equal(core.slotsInUse(), 0);
    const other = normal(core);
    assert.deepEqual([core.enqueue(other), core.enqueue(other), core.enqueue(other)], [2, 1, 0]);
  });

  it("Reject refuses at the bound and counts it", () => {
    const core = new WasmCore();
    const id = normal(core, 1, 2, Overflow.Reject);
    assert.ok(core.enqueue(id) >= 0);
    assert.ok(core.enqueue(id) >= 0);
    assert.equal(core.enqueue(id), CoreCode.Full);
    assert.equal(core.enqueue(id), CoreCode.Full);
    assert.equal(core.stat(id, Stat.Refused), 2);
    assert.equal(core.stat(id, Stat.Enqueued), 2);
    assert.equal(core.stat(id, Stat.Dropped), 0);
    assert.equal(core.stat(id, Stat.Length), 2);
    assert.equal(core.slotsInUse(), 2);
  });

  it("DropNewest drops the new message and counts it", () => {
    const core = new WasmCore();
    const id = normal(core, 1, 2, Overflow.DropNewest);
    const kept = [core.enqueue(id), core.enqueue(id)];
    assert.equal(core.enqueue(id), CoreCode.Dropped);
    assert.equal(core.stat(id, Stat.Dropped), 1);
    assert.equal(core.stat(id, Stat.Enqueued), 2);
    assert.equal(core.stat(id, Stat.Refused), 0);
    assert.deepEqual([core.dequeue(id), core.dequeue(id)], kept);
  });

  it("DropOldest reuses the oldest slot for the new message", () => {
    const core = new WasmCore();
    const id = normal(core, 1, 3, Overflow.DropOldest);
    const [a, b, c] = [core.enqueue(id), core.enqueue(id), core.enqueue(id)];
    const result = core.enqueue(id);
    assert.ok(result & REUSED_SLOT);
    assert.equal(result & SLOT_MASK, a);
    const again = core.enqueue(id);
    assert.equal(again, b | REUSED_SLOT);
    assert.equal(core.stat(id, Stat.Dropped), 2);
    assert.equal(core.stat(id, Stat.Enqueued), 5);
    assert.equal(core.stat(id, Stat.Length), 3);
    assert.equal(core.stat(id, Stat.HighWater), 3);
    assert.equal(core.slotsInUse(), 3);
    assert.deepEqual([core.dequeue(id), core.dequeue(id), core.dequeue(id)], [c, a, b]);
    const length = core.stat(id, Stat.Enqueued) - core.stat(id, Stat.Dequeued) -
      core.stat(id, Stat.Dropped);
    assert.equal(length, core.stat(id, Stat.Length));
  });

  it("grows by doubling up to nextPow2(bound), from nextPow2(min(initial, bound))", () => {
    const core = new WasmCore();
    const id = normal(core, 2, 5);
    assert.equal(core.stat(id, Stat.Capacity), 2);
    assert.equal(core.stat(id, Stat.InitialCapacity), 2);
    core.enqueue(id);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.Capacity), 2);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.Capacity), 4);
    core.enqueue(id);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.Capacity), 8);
    assert.equal(core.enqueue(id), CoreCode.Full);
    assert.equal(core.stat(id, Stat.Capacity), 8);
    // FIFO order survives growth with a wrapped head.
    const wrapped = normal(core, 4, 100);
    const order: number[] = [];
    for (let i = 0; i < 3; i++) core.enqueue(wrapped);
    for (let i = 0; i < 3; i++) core.dequeue(wrapped);
    for (let i = 0; i < 9; i++) order.push(core.enqueue(wrapped));
    assert.equal(core.stat(wrapped, Stat.Capacity), 16);
    assert.deepEqual(Array.from({ length: 9 }, () => core.dequeue(wrapped)), order);

    const big = normal(core, 100, 10);
    assert.equal(core.stat(big, Stat.InitialCapacity), 16);
    const unbounded = core.spawn(3, MAX_BOUND, Overflow.Reject, Priority.Normal);
    for (let i = 0; i < 600; i++) core.enqueue(unbounded);
    assert.equal(core.stat(unbounded, Stat.Capacity), 1024);
    assert.equal(core.stat(unbounded, Stat.HighWater), 600);
  });

  it("shrinks to the initial capacity when the actor turns Waiting empty", () => {
    const core = new WasmCore();
    const id = normal(core, 2, 100);
    for (let i = 0; i < 10; i++) core.enqueue(id);
    assert.equal(core.stat(id, Stat.Capacity), 16);
    assert.equal(core.next(), id);
    for (let i = 0; i < 10; i++) core.dequeue(id);
    assert.equal(core.stat(id, Stat.Capacity), 16, "dequeue never shrinks");
    assert.equal(core.release(id, 10, 0), ActorState.Waiting);
    assert.equal(core.stat(id, Stat.Capacity), 2);

    for (let i = 0; i < 5; i++) core.enqueue(id);
    assert.equal(core.next(), id);
    for (let i = 0; i < 5; i++) core.dequeue(id);
    assert.equal(core.release(id, 5, 1), ActorState.Blocked);
    assert.equal(core.stat(id, Stat.Capacity), 8, "Blocked keeps its ring");
    assert.equal(core.wake(id), ActorState.Waiting);
    assert.equal(core.stat(id, Stat.Capacity), 2);
    assert.equal(core.stat(id, Stat.Reductions), 15);
  });

  it("hibernates an idle empty mailbox and re-creates it on enqueue", () => {
    const core = new WasmCore();
    const id = normal(core, 3, 100);
    assert.equal(core.hibernate(id), CoreCode.Ok);
    assert.equal(core.stat(id, Stat.Capacity), 0);
    assert.equal(core.hibernate(id), CoreCode.Ok, "already hibernated is Ok");
    const slot = core.enqueue(id);
    assert.ok(slot >= 0);
    assert.equal(core.stat(id, Stat.Capacity), 4);
    assert.equal(core.stat(id, Stat.State), ActorState.Runnable);
    assert.equal(core.hibernate(id), CoreCode.BadState);
    assert.equal(core.next(), id);
    assert.equal(core.hibernate(id), CoreCode.BadState, "Running");
    assert.equal(core.dequeue(id), slot);
    assert.equal(core.release(id, 1, 0), ActorState.Waiting);
    assert.equal(core.hibernate(id), CoreCode.Ok);
    assert.equal(core.free(id), 0);
  });

  it("stamps each message with the core clock", () => {
    const core = new WasmCore();
    const id = normal(core);
    assert.equal(core.stat(id, Stat.OldestEnqueuedAt), CoreCode.Empty);
    core.advance(5.25);
    core.enqueue(id);
    core.advance(9);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.OldestEnqueuedAt), 5.25);
    core.dequeue(id);
    assert.equal(core.stat(id, Stat.OldestEnqueuedAt), 9);
    core.dequeue(id);
    assert.equal(core.stat(id, Stat.OldestEnqueuedAt), CoreCode.Empty);
  });

  it("reports its properties through stat", () => {
    const core = new WasmCore();
    const id = core.spawn(5, 50, Overflow.DropOldest, Priority.High);
    assert.equal(core.stat(id, Stat.Bound), 50);
    assert.equal(core.stat(id, Stat.Overflow), Overflow.DropOldest);
    assert.equal(core.stat(id, Stat.Priority), Priority.High);
    assert.equal(core.stat(id, Stat.InitialCapacity), 8);
    assert.equal(core.stat(id, Stat.State), ActorState.Waiting);
  });
});

describe("run queue", () => {
  it("runs High first, then FIFO within a priority, each actor queued once", () => {
    const core = new WasmCore();
    const n1 = normal(core);
    const h1 = core.spawn(4, 100, Overflow.Reject, Priority.High);
    const n2 = normal(core);
    for (const id of [n1, n2, h1, n1, n2, n1]) core.enqueue(id);
    assert.equal(core.runQueueLength(Priority.Normal), 2);
    assert.equal(core.runQueueLength(Priority.High), 1);
    assert.equal(core.runQueueLength(3), CoreCode.BadArgument);
    assert.deepEqual([core.next(), core.next(), core.next(), core.next()], [
      h1,
      n1,
      n2,
      CoreCode.Empty,
    ]);
    assert.equal(core.stat(n1, Stat.State), ActorState.Running);
    core.enqueue(n1); // Running: no state change, not queued
    assert.equal(core.runQueueLength(Priority.Normal), 0);
  });

  it("gives Low one turn after every 8 Normal picks made while it waited", () => {
    const core = new WasmCore();
    const normals = [normal(core), normal(core), normal(core)];
    const low = core.spawn(4, 100, Overflow.Reject, Priority.Low);
    for (const id of [...normals, low]) {
      for (let i = 0; i < 100; i++) core.enqueue(id);
    }
    const picks: number[] = [];
    for (let i = 0; i < 2 * (LOW_PRIORITY_EVERY + 1); i++) {
      const id = core.next();
      picks.push(id);
      core.dequeue(id);
      assert.equal(core.release(id, 1, 0), ActorState.Runnable);
    }
    const [a, b, c] = normals;
    assert.deepEqual(picks, [a, b, c, a, b, c, a, b, low, c, a, b, c, a, b, c, a, low]);
  });

  it("counts Normal picks only while Low waits, and High leaves the counter alone", () => {
    const core = new WasmCore();
    const n = normal(core, 4, 1000);
    const h = core.spawn(4, 1000, Overflow.Reject, Priority.High);
    for (let i = 0; i < 100; i++) core.enqueue(n);
    // Normal picks with Low empty do not count.
    for (let i = 0; i < 20; i++) {
      assert.equal(core.next(), n);
      core.release(n, 1, 0);
    }
    const low = core.spawn(4, 100, Overflow.Reject, Priority.Low);
    core.enqueue(low);
    for (let i = 0; i < LOW_PRIORITY_EVERY; i++) {
      core.enqueue(h);
      assert.equal(core.next(), h);
      core.dequeue(h);
      core.release(h, 1, 0);
      assert.equal(core.next(), n);
      core.release(n, 1, 0);
    }
    assert.equal(core.next(), low);
    core.dequeue(low);
    assert.equal(core.release(low, 1, 0), ActorState.Waiting);
    assert.equal(core.next(), n);
  });

  it("moves a Runnable actor to the tail of its new priority", () => {
    const core = new WasmCore();
    const [a, b, c] = [normal(core), normal(core), normal(core)];
    for (const id of [a, b, c]) core.enqueue(id);
    assert.equal(core.setPriority(b, Priority.Normal), CoreCode.Ok);
    assert.equal(core.setPriority(a, Priority.Low), CoreCode.Ok);
    assert.equal(core.setPriority(a, Priority.Normal), CoreCode.Ok);
    assert.equal(core.setPriority(c, Priority.High), CoreCode.Ok);
    assert.deepEqual([core.next(), core.next(), core.next()], [c, b, a]);
    assert.equal(core.free(b), 1);
  });

  it("leaves the queue on free", () => {
    const core = new WasmCore();
    const [a, b, c] = [normal(core), normal(core), normal(core)];
    for (const id of [a, b, c]) core.enqueue(id);
    core.free(b);
    assert.equal(core.runQueueLength(Priority.Normal), 2);
    assert.deepEqual([core.next(), core.next(), core.next()], [a, c, CoreCode.Empty]);
  });

  it("parks Blocked actors until wake", () => {
    const core = new WasmCore();
    const id = normal(core);
    core.enqueue(id);
    assert.equal(core.wake(id), CoreCode.BadState);
    assert.equal(core.release(id, 0, 0), CoreCode.BadState);
    assert.equal(core.next(), id);
    assert.equal(core.release(id, -1, 0), CoreCode.BadArgument);
    assert.equal(core.release(id, 0, 2), CoreCode.BadArgument);
    assert.equal(core.release(id, 5, 1), ActorState.Blocked);
    core.enqueue(id);
    assert.equal(core.stat(id, Stat.State), ActorState.Blocked);
    assert.equal(core.next(), CoreCode.Empty);
    assert.equal(core.wake(id), ActorState.Runnable);
    assert.equal(core.wake(id), CoreCode.BadState);
    assert.equal(core.next(), id);
    assert.equal(core.stat(id, Stat.Reductions), 5);
  });
});

describe("timers", () => {
  it("rejects NaN, infinities, past and too-far deadlines, and adjusts the current tick", () => {
    const core = new WasmCore();
    assert.equal(core.timerSchedule(NaN), CoreCode.BadArgument);
    assert.equal(core.timerSchedule(Infinity), CoreCode.BadArgument);
    assert.equal(core.timerSchedule(-Infinity), CoreCode.BadArgument);
    assert.equal(core.advance(100.5), 0);
    assert.equal(core.now(), 100.5);
    assert.equal(core.timerSchedule(98.5), CoreCode.Past);
    assert.equal(core.timerSchedule(100 + MAX_TIMER_DELAY + 1), CoreCode.Range);
    const far = core.timerSchedule(100 + MAX_TIMER_DELAY);
    assert.ok(far > 0);
    const current = core.timerSchedule(99.5); // tick 100 == floor(clock): due at 101
    assert.ok(current > 0);
    assert.equal(core.timerNextDue(), 101);
    assert.equal(core.advance(100.9), 0);
    assert.equal(core.advance(101), 1);
    assert.equal(core.timerFired(0), current);
    assert.equal(core.timerFired(1), CoreCode.BadArgument);
    assert.equal(core.timerFired(-1), CoreCode.BadArgument);
    assert.equal(core.advance(100 + MAX_TIMER_DELAY - 1), 0);
    assert.equal(core.advance(100 + MAX_TIMER_DELAY), 1);
    assert.equal(core.timerFired(0), far);
    assert.equal(core.timerNextDue(), -1);
  });

  it("refuses to go backwards and keeps the fired list on a failed advance", () => {
    const core = new WasmCore();
    const t = core.timerSchedule(10);
    assert.equal(core.advance(10), 1);
    assert.equal(core.advance(9), CoreCode.Past);
    assert.equal(core.advance(NaN), CoreCode.BadArgument);
    assert.equal(core.advance(Infinity), CoreCode.BadArgument);
    assert.equal(core.timerFired(0), t);
    assert.equal(core.now(), 10);
    assert.equal(core.advance(10), 0, "same time: Ok, nothing fired");
    assert.equal(core.timerFired(0), CoreCode.BadArgument);
  });

  it("cancels once; fired and cancelled ids are NoTimer; indices are reused FIFO", () => {
    const core = new WasmCore();
    const a = core.timerSchedule(5);
    const b = core.timerSchedule(5);
    assert.equal(core.timerCancel(a), CoreCode.Ok);
    assert.equal(core.timerCancel(a), CoreCode.NoTimer);
    assert.equal(core.timerCancel(0), CoreCode.NoTimer);
    assert.equal(core.timerCancel(-5), CoreCode.NoTimer);
    assert.equal(core.timerCount(), 1);
    assert.equal(core.advance(5), 1);
    assert.equal(core.timerCancel(b), CoreCode.NoTimer);
    const indexMask = (1 << 22) - 1;
    const c = core.timerSchedule(6);
    const d = core.timerSchedule(6);
    const e = core.timerSchedule(6);
    assert.deepEqual([c & indexMask, d & indexMask, e & indexMask], [0, 1, 2]);
    assert.equal(c >>> 22, 2);
  });

  it("fires a tick in schedule order, even when part of it cascaded from a higher level", () => {
    const core = new WasmCore();
    const deadline = 200_000;
    const early = [core.timerSchedule(deadline), core.timerSchedule(deadline)];
    const before = core.timerSchedule(deadline - 1);
    core.advance(deadline - 70);
    const mid = core.timerSchedule(deadline);
    core.advance(deadline - 3);
    const late = core.timerSchedule(deadline);
    assert.equal(core.timerNextDue() <= deadline - 1, true);
    assert.equal(core.advance(deadline + 10), 5);
    const fired = Array.from({ length: 5 }, (_, i) => core.timerFired(i));
    assert.deepEqual(fired, [before, ...early, mid, late]);
  });

  it("schedules 1M, cancels 500k, fires the rest exactly once in order over a long idle gap", {
    timeout: 120_000,
  }, () => {
    const core = new WasmCore();
    const total = 1_000_000;
    const ids = new Int32Array(total);
    const ticks = new Float64Array(total);
    let seed = 12345;
    const hour = 3_600_000;
    for (let i = 0; i < total; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      // Deadlines from 1 ms to ~10 hours, many sharing a tick.
      const deadline = 1 + (seed % (10 * hour)) + (i % 3 === 0 ? 0.5 : 0);
      ticks[i] = Math.ceil(deadline);
      ids[i] = core.timerSchedule(deadline);
      assert.ok(ids[i] > 0);
    }
    assert.equal(core.timerCount(), total);
    for (let i = 1; i < total; i += 2) assert.equal(core.timerCancel(ids[i]), CoreCode.Ok);
    assert.equal(core.timerCount(), total / 2);
    const next = core.timerNextDue();
    assert.ok(next > 0);

    const order = new Map<number, number>();
    for (let i = 0; i < total; i += 2) order.set(ids[i], i);
    let earliest = Infinity;
    for (let i = 0; i < total; i += 2) earliest = Math.min(earliest, ticks[i]);
    assert.ok(next <= earliest);

    // A first advance fires part of them; then hours of idle time fire the rest.
    const firstCount = core.advance(hour);
    const seen = new Uint8Array(total);
    let lastTick = -1;
    let lastIndex = -1;
    let firedTotal = 0;
    const collect = (count: number) => {
      for (let k = 0; k < count; k++) {
        const i = order.get(core.timerFired(k));
        assert.ok(i !== undefined, "fired a timer that was cancelled or unknown");
        assert.equal(seen[i], 0, "fired twice");
        seen[i] = 1;
        const tick = ticks[i];
        assert.ok(tick > lastTick || (tick === lastTick && i > lastIndex), "out of order");
        lastTick = tick;
        lastIndex = i;
      }
      firedTotal += count;
    };
    assert.ok(firstCount > 0);
    collect(firstCount);
    assert.ok(lastTick <= hour);
    const restCount = core.advance(48 * hour);
    collect(restCount);
    assert.equal(firedTotal, total / 2);
    assert.equal(core.timerCount(), 0);
    assert.equal(core.timerNextDue(), -1);
    assert.equal(core.advance(96 * hour), 0);
    assert.equal(core.timerCancel(ids[0]), CoreCode.NoTimer);
  });
});
