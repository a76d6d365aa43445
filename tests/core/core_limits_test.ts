/**
 * The table limits and the edges of the time domain, for both cores: too slow
 * (millions of calls) or too far from ordinary traffic for the model-based
 * properties.
 *
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Core,
  CoreCode,
  MAX_ACTORS,
  MAX_BOUND,
  MAX_CLOCK,
  MAX_TIMER_DELAY,
  MAX_TIMERS,
  Stat,
} from "../../src/core/core.ts";
import { ReferenceCore } from "../../src/core/reference_core.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";

const CORES: [string, () => Core][] = [
  ["ReferenceCore", () => new ReferenceCore({ reductionBudget: 4 })],
  ["WasmCore", () => new WasmCore({ reductionBudget: 4 })],
];

/** Whether a timer scheduled at 2^42 from 2^42 - 1 fires as it should. */
function straddlesWheelTop(core: Core): boolean {
  try {
    core.advance(2 ** 42 - 1);
    const id = core.timerSchedule(2 ** 42);
    return core.timerNextDue() === 2 ** 42 && core.advance(2 ** 42) === 1 &&
      core.timerFired(0) === id;
  } catch {
    return false;
  }
}

for (const [name, makeCore] of CORES) {
  test(`${name}: spawn returns Limit at MAX_ACTORS, after its argument checks`, {
    timeout: 120_000,
  }, () => {
    const core = makeCore();
    for (let index = 0; index < MAX_ACTORS; index++) {
      const id = core.spawn(1, 1, 0, 1);
      if (id !== (1 << 20 | index)) assert.fail(`spawn #${index} returned ${id}`);
    }
    assert.equal(core.actorCount(), MAX_ACTORS);
    assert.equal(core.spawn(1, 1, 0, 1), CoreCode.Limit);
    assert.equal(core.spawn(0, 1, 0, 1), CoreCode.BadArgument);
    assert.equal(core.spawn(1, 1, 0, 3), CoreCode.BadArgument);
    assert.equal(core.free(1 << 20 | 5), 0);
    assert.equal(core.free(1 << 20 | 9), 0);
    assert.equal(core.spawn(1, 1, 0, 1), 2 << 20 | 5);
    assert.equal(core.spawn(1, 1, 0, 1), 2 << 20 | 9);
    assert.equal(core.spawn(1, 1, 0, 1), CoreCode.Limit);
    assert.equal(core.actorCount(), MAX_ACTORS);
  });

  test(`${name}: timerSchedule returns Limit at MAX_TIMERS, after Past and Range`, {
    timeout: 120_000,
  }, () => {
    const core = makeCore();
    for (let index = 0; index < MAX_TIMERS; index++) {
      const id = core.timerSchedule(1 + (index % 977));
      if (id !== (1 << 22 | index)) assert.fail(`timerSchedule #${index} returned ${id}`);
    }
    assert.equal(core.timerCount(), MAX_TIMERS);
    assert.equal(core.timerSchedule(10), CoreCode.Limit);
    assert.equal(core.timerSchedule(NaN), CoreCode.BadArgument);
    assert.equal(core.timerSchedule(-5), CoreCode.Past);
    assert.equal(core.timerSchedule(2 ** 40), CoreCode.Range);
    assert.equal(core.timerCancel(1 << 22 | 7), CoreCode.Ok);
    assert.equal(core.timerSchedule(10), 2 << 22 | 7);
    assert.equal(core.timerSchedule(10), CoreCode.Limit);
  });

  test(`${name}: a ring of MAX_BOUND slots is an id or OutOfMemory, never a throw`, {
    timeout: 120_000,
  }, () => {
    const core = makeCore();
    const id = core.spawn(MAX_BOUND, MAX_BOUND, 0, 1);
    if (id === CoreCode.OutOfMemory) {
      assert.equal(core.actorCount(), 0);
      return;
    }
    assert.ok(id > 0, `spawn returned ${id}`);
    assert.equal(core.stat(id, Stat.Capacity), MAX_BOUND);
    assert.equal(core.stat(id, Stat.InitialCapacity), MAX_BOUND);
    assert.ok(core.enqueue(id) >= 0);
    assert.equal(core.free(id), 1);
  });

  test(`${name}: the clock stops at MAX_CLOCK and timers stay exact up to it`, {
    timeout: 120_000,
  }, () => {
    if (!straddlesWheelTop(makeCore())) {
      // With that bug, advancing near MAX_CLOCK can spin forever: fail fast instead of hanging.
      assert.fail("a timer straddling 2^42 misbehaves (see the core_model_test regression)");
    }
    const core = makeCore();
    for (const t of [MAX_CLOCK + 1, 2 ** 53, 2 ** 60, 1e300, Number.MAX_VALUE]) {
      assert.equal(core.advance(t), CoreCode.Range);
      assert.equal(core.now(), 0, "a refused advance leaves the clock");
    }
    assert.equal(core.advance(MAX_CLOCK - 1), 0);
    const last = core.timerSchedule(MAX_CLOCK - 1 + MAX_TIMER_DELAY);
    assert.ok(last > 0, `timerSchedule returned ${last}`);
    assert.equal(core.timerSchedule(MAX_CLOCK + MAX_TIMER_DELAY), CoreCode.Range);
    const next = core.timerSchedule(MAX_CLOCK);
    assert.ok(next > 0);
    assert.equal(core.advance(MAX_CLOCK), 1);
    assert.equal(core.timerFired(0), next);
    assert.equal(core.timerCount(), 1);
    assert.equal(core.advance(MAX_CLOCK + 1), CoreCode.Range);
  });
}

for (
  const [name, makeCore] of [
    ["ReferenceCore", (slotLimit: number) => new ReferenceCore({ slotLimit })],
    ["WasmCore", (slotLimit: number) => new WasmCore({ slotLimit })],
  ] as const
) {
  test(`${name}: enqueue returns Limit with slotLimit slots in use, and takes messages again once one is freed`, () => {
    const core = makeCore(300);
    const a = core.spawn(1, MAX_BOUND, 0, 1);
    const b = core.spawn(1, 2, 1, 1); // DropOldest, bound 2
    for (let i = 0; i < 298; i++) assert.ok(core.enqueue(a) >= 0);
    assert.ok(core.enqueue(b) >= 0);
    assert.ok(core.enqueue(b) >= 0);
    assert.equal(core.slotsInUse(), 300);
    assert.equal(core.enqueue(a), CoreCode.Limit);
    assert.equal(core.stat(a, Stat.Refused), 0, "a system limit is not the mailbox's refusal");
    // A DropOldest drop reuses its own slot: it still succeeds at the limit.
    assert.ok((core.enqueue(b) & 0x4000_0000) !== 0);
    assert.ok(core.dequeue(a) >= 0);
    assert.ok(core.enqueue(a) >= 0);
    assert.equal(core.enqueue(a), CoreCode.Limit);
    assert.equal(core.free(a), 298);
    assert.equal(core.slotsInUse(), 2);
  });
}

for (
  const [name, makeCore] of [
    ["ReferenceCore", (actorLimit?: number) => new ReferenceCore({ actorLimit })],
    ["WasmCore", (actorLimit?: number) => new WasmCore({ actorLimit })],
  ] as const
) {
  test(`${name}: spawn returns Limit with actorLimit actors alive, and reuses a freed index`, () => {
    const core = makeCore(8);
    assert.equal(core.actorLimit, 8);
    const ids: number[] = [];
    for (let index = 0; index < 8; index++) {
      ids.push(core.spawn(4, MAX_BOUND, 0, 1));
      assert.equal(ids[index], 1 << 20 | index);
    }
    assert.equal(core.spawn(4, MAX_BOUND, 0, 1), CoreCode.Limit);
    assert.equal(core.spawn(0, 1, 0, 1), CoreCode.BadArgument, "argument checks come first");
    assert.equal(core.actorCount(), 8);
    assert.equal(core.free(ids[3]), 0);
    assert.equal(core.spawn(4, MAX_BOUND, 0, 1), 2 << 20 | 3);
    assert.equal(core.spawn(4, MAX_BOUND, 0, 1), CoreCode.Limit);
    for (const id of [...ids.slice(0, 3), ...ids.slice(4), 2 << 20 | 3]) core.free(id);
    assert.equal(core.actorCount(), 0);
  });

  test(`${name}: an actorLimit of 1 holds one actor at a time; the default is MAX_ACTORS`, () => {
    const core = makeCore(1);
    const first = core.spawn(1, 1, 0, 1);
    assert.equal(core.spawn(1, 1, 0, 1), CoreCode.Limit);
    core.free(first);
    assert.equal(core.spawn(1, 1, 0, 1), 2 << 20);
    assert.equal(makeCore().actorLimit, MAX_ACTORS);
  });

  test(`${name}: an actorLimit out of 1..MAX_ACTORS is a RangeError that says the range`, () => {
    for (const bad of [0, -1, 1.5, MAX_ACTORS + 1, 2 ** 31, NaN, Infinity, "8"]) {
      assert.throws(
        () => makeCore(bad as number),
        (e: Error) =>
          e instanceof RangeError &&
          e.message.includes(`actorLimit must be an integer in 1..${MAX_ACTORS}`),
      );
    }
    assert.equal(makeCore(MAX_ACTORS).actorLimit, MAX_ACTORS);
  });
}
