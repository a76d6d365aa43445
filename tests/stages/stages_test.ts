/**
 * The three stage types and demand: a producer emits only what was asked,
 * consumers get batches of at most maxDemand - minDemand, a producer_consumer
 * asks upstream only as downstream asks, call/cast/info may emit.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defineStage, subscribe, type Subscription } from "../../stages.ts";
import type { Pid } from "../../src/pid.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import {
  collector,
  counter,
  doubler,
  manualSystem,
  newConsumerLog,
  newProducerLog,
  startStage,
} from "./_fixtures.ts";

describe("stages", () => {
  it("producer → consumer: batches of max - min, demand as asked", async () => {
    const system = manualSystem();
    const plog = newProducerLog();
    const producer = await startStage(system, counter(plog, { limit: 30 }), 0);
    const clog = newConsumerLog();
    await startStage(system, collector(clog), [{ to: producer, maxDemand: 10, minDemand: 5 }]);
    await system.runUntilIdle();
    assert.deepEqual(clog.events, Array.from({ length: 30 }, (_, i) => i));
    assert.ok(clog.batches.every((batch) => batch.length <= 5));
    assert.equal(plog.demands[0], 10);
    assert.ok(plog.demands.every((d) => d <= 10));
    system.shutdown();
  });

  it("producer → producer_consumer → consumer", async () => {
    const system = manualSystem();
    const producer = await startStage(system, counter(newProducerLog(), { limit: 100 }), 0);
    const middle = await startStage(system, doubler(), [{ to: producer, maxDemand: 8 }]);
    const clog = newConsumerLog();
    await startStage(system, collector(clog), [{ to: middle, maxDemand: 4, minDemand: 2 }]);
    await system.runUntilIdle();
    assert.deepEqual(clog.events, Array.from({ length: 100 }, (_, i) => i * 2));
    system.shutdown();
  });

  it("subscribe later; handleCall/handleCast/handleInfo emit", async () => {
    const system = manualSystem();
    const pushed = defineStage<null, string>({
      type: "producer",
      init: () => ({ state: null }),
      handleDemand: (_demand, state) => ({ state }),
      handleCall: (request, _from, state) => ({ reply: "ok", events: [String(request)], state }),
      handleCast: (request, state) => ({ events: [String(request)], state }),
      handleInfo: (message, state) => ({ events: [String(message)], state }),
    });
    const producer = await startStage(system, pushed, undefined);
    const seen: string[] = [];
    const sink = defineStage<null, never, string>({
      type: "consumer",
      init: () => ({ state: null }),
      handleEvents: (events, _from, state) => (seen.push(...events), { state }),
    });
    const consumer = await startStage(system, sink, undefined);
    const subscribed = subscribe(system, consumer, { to: producer });
    await system.runUntilIdle();
    const subscription = await subscribed;
    assert.equal(subscription.consumer.serial, consumer.serial);
    const reply = system.call(producer, "a");
    system.cast(producer, "b");
    system.send(producer, "c");
    await system.runUntilIdle();
    assert.equal(await reply, "ok");
    assert.deepEqual(seen, ["a", "b", "c"]);
    system.shutdown();
  });

  it("async callbacks: init, handleSubscribe, handleDemand, handleEvents", async () => {
    const t = createTestSystem();
    const system = t.system;
    const later = <T>(value: T, ms = 5) =>
      new Promise<T>((resolve) => system.setTimer(ms, () => resolve(value)));
    const producer = defineStage<number, number>({
      type: "producer",
      init: () => later({ state: 0 }),
      handleSubscribe: (_kind, _options, _subscription, state) => later(state),
      handleDemand: (demand, n) => {
        const count = Math.min(demand, 20 - n);
        return later({ events: Array.from({ length: count }, (_, i) => n + i), state: n + count });
      },
    });
    const seen: number[] = [];
    const consumer = defineStage<null, never, number, Pid>({
      type: "consumer",
      init: (to) => later({ state: null, subscribeTo: [{ to, maxDemand: 4 }] }),
      handleSubscribe: (_kind, _options, _subscription, state) => later(state),
      handleEvents: (events, _from, state) => later((seen.push(...events), { state })),
    });
    const started = system.start(producer);
    await t.advance(10);
    const pid = await started;
    system.start(consumer, pid);
    await t.advance(1000);
    assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i));
    t.dispose();
  });

  it("subscribe(ctx, ctx.self, ...) from inside the consumer, on its next turn", async () => {
    const system = manualSystem();
    const producer = await startStage(system, counter(newProducerLog(), { limit: 5 }), 0);
    const seen: number[] = [];
    let subscription: Promise<Subscription> | undefined;
    const consumer = defineStage<null, never, number>({
      type: "consumer",
      init: () => ({ state: null }),
      handleEvents: (events, _from, state) => (seen.push(...events), { state }),
      handleCast: (_request, state, ctx) => {
        subscription = subscribe(ctx, ctx.self, { to: producer });
        return { state };
      },
    });
    const pid = await startStage(system, consumer, undefined);
    system.cast(pid, "subscribe");
    await system.runUntilIdle();
    assert.equal((await subscription!).consumer, pid);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    system.shutdown();
  });

  it("handleCall may stop with a reply", async () => {
    const system = manualSystem();
    const stopping = defineStage<null, number>({
      type: "producer",
      init: () => ({ state: null }),
      handleDemand: (_demand, state) => ({ state }),
      handleCall: (_request, _from, state) => ({ stop: "normal", state, reply: "bye" }),
    });
    const pid = await startStage(system, stopping, undefined);
    const exited = system.whenExited(pid);
    const answer = system.call(pid, "quit");
    await system.runUntilIdle();
    assert.equal(await answer, "bye");
    assert.equal(await exited, "normal");
    system.shutdown();
  });
});
