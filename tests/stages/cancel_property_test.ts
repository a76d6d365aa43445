/**
 * Subscriptions that come and go: consumers cancel their (temporary)
 * subscription after random batches and subscribe again at once, under the
 * demand and partition dispatchers, with random demands and virtual
 * processing times. Events sent before a cancel still arrive (the producer
 * tells the consumer only after them), so every event is still delivered
 * exactly once or counted as dropped, no consumer ever gets more than it
 * asked, and with nothing dropped every event arrives.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createTestSystem } from "../../src/testing/test_system.ts";
import type { Pid } from "../../src/pid.ts";
import type { System } from "../../src/system.ts";
import { cancel, defineStage, subscribe, type SubscribeOptions } from "../../stages.ts";
import { stageDirectoryOf } from "../../src/stages/_stage_directory.ts";

interface ConsumerPlan {
  readonly maxDemand: number;
  readonly minDemand: number;
  /** Cancel after these batch numbers (then subscribe again). */
  readonly cancelAfter: readonly number[];
  readonly delays: readonly number[];
}

interface Plan {
  readonly events: number;
  readonly dispatcher: "demand" | "partition";
  readonly bufferSize: number;
  readonly consumers: readonly ConsumerPlan[];
}

const plans: fc.Arbitrary<Plan> = fc.record({
  events: fc.integer({ min: 0, max: 80 }),
  dispatcher: fc.constantFrom("demand" as const, "partition" as const),
  bufferSize: fc.integer({ min: 1, max: 100 }),
  consumers: fc.array(
    fc.integer({ min: 1, max: 12 }).chain((maxDemand) =>
      fc.record({
        maxDemand: fc.constant(maxDemand),
        minDemand: fc.integer({ min: 0, max: maxDemand - 1 }),
        cancelAfter: fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 4 }),
        delays: fc.array(
          fc.oneof(
            { weight: 2, arbitrary: fc.constant(-1) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 }) },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      })
    ),
    { minLength: 1, maxLength: 3 },
  ),
});

function pause(system: System, ms: number): Promise<void> | undefined {
  if (ms < 0) return undefined;
  return new Promise((resolve) => system.setTimer(ms, resolve));
}

/** Cancels seen over all runs: the property must exercise them. */
let cancels = 0;

async function runPlan(plan: Plan): Promise<void> {
  const t = createTestSystem();
  const system = t.system;
  const parts = plan.consumers.length;
  let emitted = 0;
  type P = { next: number; go: boolean; owed: number };
  const emit = (state: P) => {
    if (!state.go) return { state };
    const count = Math.max(0, Math.min(plan.events - state.next, state.owed));
    emitted += count;
    return {
      events: Array.from({ length: count }, (_, i) => state.next + i),
      state: { next: state.next + count, go: true, owed: state.owed - count },
    };
  };
  const producerDef = defineStage<P, number>({
    type: "producer",
    init: () => ({
      state: { next: 0, go: false, owed: 0 },
      buffer: { size: plan.bufferSize },
      dispatcher: plan.dispatcher === "partition"
        ? { type: "partition", partitions: parts, hash: (n) => n % parts }
        : "demand",
    }),
    handleDemand: (demand, state) => emit({ ...state, owed: state.owed + demand }),
    handleCast: (_go, state) => emit({ ...state, go: true }),
  });
  const started = system.start(producerDef);
  await t.runUntilIdle();
  const producer = await started;
  const pids: Pid[] = [producer];

  const received: number[][] = plan.consumers.map(() => []);
  for (const [index, consumer] of plan.consumers.entries()) {
    const options: SubscribeOptions = {
      to: producer,
      maxDemand: consumer.maxDemand,
      minDemand: consumer.minDemand,
      cancel: "temporary",
      partition: plan.dispatcher === "partition" ? index : undefined,
    };
    let batches = 0;
    const def = defineStage<null, never, number>({
      type: "consumer",
      init: () => ({ state: null, subscribeTo: [options] }),
      handleEvents: (events, from, state, ctx) => {
        received[index].push(...events);
        const batch = batches++;
        if (consumer.cancelAfter.includes(batch)) cancel(ctx, from, "normal");
        const delay = pause(system, consumer.delays[batch % consumer.delays.length]);
        return delay === undefined ? { state } : delay.then(() => ({ state }));
      },
      handleCancel: (_why, _subscription, state, ctx) => {
        cancels++;
        void subscribe(ctx, ctx.self, options);
        return { state };
      },
    });
    const pid = system.start(def);
    await t.runUntilIdle();
    pids.push(await pid);
  }

  system.cast(producer, "go");
  for (let guard = 0; guard < 10_000; guard++) {
    await t.advance(1000);
    if (system.nextTimerDue() === undefined) break;
  }
  await t.runUntilIdle();

  const directory = stageDirectoryOf(system);
  const stage = directory.get(producer)!;
  for (const pid of pids) {
    const s = directory.get(pid)!;
    assert.ok(s !== undefined, "every stage alive");
    assert.equal(s.upstream?.excess ?? 0, 0, "no consumer receives more than it asked");
    assert.ok(s.subscriptions <= 1);
  }
  const all = received.flat();
  assert.equal(new Set(all).size, all.length, "delivered at most once");
  const dropped = stage.counters.dropped;
  assert.equal(
    all.length + dropped + stage.buffered,
    emitted,
    "delivered + dropped + held = emitted",
  );
  if (dropped === 0) {
    assert.equal(emitted, plan.events, "every event emitted");
    assert.equal(all.length, plan.events, "every event delivered");
  }
  t.dispose();
}

describe("stages: cancel and resubscribe property", () => {
  it("exactly once (or counted as dropped) while subscriptions come and go", async () => {
    await fc.assert(fc.asyncProperty(plans, runPlan), { numRuns: 50 });
    assert.ok(cancels > 10, `only ${cancels} cancels`);
  });
});
