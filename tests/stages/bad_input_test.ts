/**
 * Bad input: definitions, subscription options, a consumer used as a
 * producer (and the reverse), results that are not results — named errors
 * at the call or a clean exit reason, nothing lost silently.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  defineStage,
  drain,
  type StageDefinition,
  StageTypeError,
  subscribe,
  type SubscribeOptions,
} from "../../stages.ts";
import {
  collector,
  counter,
  manualSystem,
  newConsumerLog,
  spawnWatched,
  startStage,
} from "./_fixtures.ts";

const sink = (): StageDefinition<readonly SubscribeOptions[]> => collector(newConsumerLog());

describe("bad input", () => {
  it("defineStage refuses incomplete definitions", () => {
    const cases: unknown[] = [
      null,
      { type: "pump", init: () => ({ state: 0 }) },
      { type: "producer" },
      { type: "producer", init: () => ({ state: 0 }) },
      { type: "consumer", init: () => ({ state: 0 }) },
      { type: "producer_consumer", init: () => ({ state: 0 }), handleDemand: () => ({ state: 0 }) },
    ];
    for (const definition of cases) {
      assert.throws(() => defineStage(definition as never), TypeError, JSON.stringify(definition));
    }
  });

  it("subscribe options are checked at the call", async () => {
    const system = manualSystem();
    const consumer = await startStage(system, sink(), []);
    const bad: [unknown, typeof RangeError | typeof TypeError][] = [
      [{}, TypeError],
      [{ to: consumer, maxDemand: 0 }, RangeError],
      [{ to: consumer, maxDemand: 1.5 }, RangeError],
      [{ to: consumer, maxDemand: 10, minDemand: 10 }, RangeError],
      [{ to: consumer, maxDemand: 10, minDemand: -1 }, RangeError],
      [{ to: consumer, cancel: "sometimes" }, TypeError],
      [{ to: consumer, partition: {} }, TypeError],
    ];
    for (const [options, error] of bad) {
      assert.throws(() => subscribe(system, consumer, options as SubscribeOptions), error);
    }
    system.shutdown();
  });

  it("bad subscribeTo crashes init with the error", async () => {
    const system = manualSystem();
    const started = system.start(sink(), [{ to: "x", maxDemand: -5 }]);
    await system.runUntilIdle();
    await assert.rejects(
      started,
      (error: { reason?: unknown }) => error.reason instanceof RangeError,
    );
    system.shutdown();
  });

  it("a producer cannot subscribe, a consumer cannot be subscribed to or drained", async () => {
    const system = manualSystem();
    const producer = await startStage(system, counter(), 0);
    const consumer = await startStage(system, sink(), []);
    const asProducer = subscribe(system, producer, { to: consumer });
    const drained = drain(system, consumer);
    await system.runUntilIdle();
    await assert.rejects(asProducer, StageTypeError);
    await assert.rejects(drained, StageTypeError);
    // A consumer subscribing to a consumer: refused, the (permanent) subscriber exits with it.
    const other = spawnWatched(system, sink(), [{ to: consumer }]);
    await system.runUntilIdle();
    assert.ok((await other.exited) instanceof StageTypeError);
    assert.ok(system.isAlive(consumer) && system.isAlive(producer));
    system.shutdown();
  });

  it("a consumer that emits crashes with StageTypeError", async () => {
    const system = manualSystem();
    const chatty = defineStage<null, never, number>({
      type: "consumer",
      init: () => ({ state: null }),
      handleEvents: (_events, _from, state) => ({ state }),
      handleCast: (_message, state) => ({ events: [1] as never[], state }),
    });
    const pid = await startStage(system, chatty, undefined);
    const exited = system.whenExited(pid);
    system.cast(pid, "emit");
    await system.runUntilIdle();
    assert.ok((await exited) instanceof StageTypeError);
    system.shutdown();
  });

  it("a result that is not a result crashes with a TypeError", async () => {
    const system = manualSystem();
    const broken = defineStage<null, number>({
      type: "producer",
      init: () => ({ state: null }),
      handleDemand: () => 42 as never,
    });
    const producer = await startStage(system, broken, undefined);
    const exited = system.whenExited(producer);
    await startStage(system, sink(), [{ to: producer, cancel: "temporary" }]);
    await system.runUntilIdle();
    assert.ok((await exited) instanceof TypeError);
    system.shutdown();
  });

  it("events that are not an array crash with a TypeError", async () => {
    const system = manualSystem();
    const broken = defineStage<null, number>({
      type: "producer",
      init: () => ({ state: null }),
      handleDemand: (_demand, state) => ({ events: "nope" as never, state }),
    });
    const producer = await startStage(system, broken, undefined);
    const exited = system.whenExited(producer);
    await startStage(system, sink(), [{ to: producer, cancel: "temporary" }]);
    await system.runUntilIdle();
    assert.ok((await exited) instanceof TypeError);
    system.shutdown();
  });

  it("a bad dispatcher or labels crash init", async () => {
    const system = manualSystem();
    for (
      const init of [
        () => ({ state: null, dispatcher: "random" as never }),
        () => ({
          state: null,
          dispatcher: { type: "partition" as const, partitions: 0, hash: () => 0 },
        }),
        () => ({
          state: null,
          dispatcher: { type: "partition" as const, partitions: [1, 1], hash: () => 0 },
        }),
        () => ({
          state: null,
          dispatcher: { type: "partition" as const, partitions: 2, hash: 3 as never },
        }),
        () => ({ state: null, labels: { pipeline: 7 as never } }),
      ]
    ) {
      const def = defineStage<null, number>({
        type: "producer",
        init,
        handleDemand: (_d, state) => ({ state }),
      });
      const started = system.start(def);
      await system.runUntilIdle();
      await assert.rejects(started);
    }
    system.shutdown();
  });
});
