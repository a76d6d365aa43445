/**
 * Cancel semantics, both directions: a consumer's `cancel` mode when its
 * producer exits or cancels (permanent / transient / temporary), a producer
 * dropping a consumer that exits, `cancel()`, and subscribing to a dead
 * producer (`noproc`).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cancel, type CancelMode, defineStage, subscribe } from "../../stages.ts";
import { existingStageDirectory } from "../../src/stages/_stage_directory.ts";
import {
  collector,
  counter,
  manualSystem,
  newConsumerLog,
  newProducerLog,
  spawnWatched,
  startStage,
} from "./_fixtures.ts";

/** A producer that emits nothing until told to stop. */
const quiet = defineStage<null, number>({
  type: "producer",
  init: () => ({ state: null }),
  handleDemand: (_demand, state) => ({ state }),
  handleCast: (reason, state) => ({ stop: reason, state }),
});

describe("cancel modes when the producer exits", () => {
  const cases: [CancelMode, unknown, boolean][] = [
    ["permanent", "normal", true],
    ["permanent", "boom", true],
    ["transient", "normal", false],
    ["transient", "shutdown", false],
    ["transient", "boom", true],
    ["temporary", "boom", false],
  ];
  for (const [mode, reason, exits] of cases) {
    it(`${mode}, producer exits ${String(reason)}: consumer ${exits ? "exits" : "stays"}`, async () => {
      const system = manualSystem();
      const producer = await startStage(system, quiet, undefined);
      const log = newConsumerLog();
      const consumer = spawnWatched(system, collector(log), [{ to: producer, cancel: mode }]);
      await system.runUntilIdle();
      system.cast(producer, reason);
      await system.runUntilIdle();
      assert.deepEqual(log.cancels, [{ kind: "down", reason }]);
      assert.equal(system.isAlive(consumer.pid), !exits);
      if (exits) assert.equal(await consumer.exited, reason);
      else {
        const info = existingStageDirectory(system)!.list().find((s) => s.pid === consumer.pid);
        assert.equal(info?.subscriptions, 0);
      }
      system.shutdown();
    });
  }
});

describe("a consumer that exits", () => {
  it("is dropped by its producer, with its demand", async () => {
    const system = manualSystem();
    const producer = await startStage(system, quiet, undefined);
    const consumer = await startStage(system, collector(newConsumerLog()), [{
      to: producer,
      maxDemand: 8,
    }]);
    await system.runUntilIdle();
    const info = () => existingStageDirectory(system)!.list().find((s) => s.pid === producer)!;
    assert.equal(info().subscribers, 1);
    assert.equal(info().demand, 8);
    system.exit(consumer, "kill");
    await system.runUntilIdle();
    assert.equal(info().subscribers, 0);
    assert.equal(info().demand, 0);
    assert.ok(system.isAlive(producer));
    assert.equal(existingStageDirectory(system)!.list().length, 1);
    system.shutdown();
  });

  it("calls the producer's handleCancel with kind down", async () => {
    const system = manualSystem();
    const plog = newProducerLog();
    const producer = await startStage(system, counter(plog, { limit: 0 }), 0);
    const consumer = await startStage(system, collector(newConsumerLog()), [{ to: producer }]);
    system.exit(consumer, "kill");
    await system.runUntilIdle();
    assert.deepEqual(plog.cancels, [{ kind: "down", reason: "killed" }]);
    system.shutdown();
  });
});

describe("cancel()", () => {
  it("ends a temporary subscription on both sides; events sent before arrive first", async () => {
    const system = manualSystem();
    const plog = newProducerLog();
    const producer = await startStage(system, counter(plog, { limit: 5 }), 0);
    const log = newConsumerLog();
    const consumer = await startStage(system, collector(log), [{
      to: producer,
      cancel: "temporary",
    }]);
    const [subscription] = log.subscriptions;
    cancel(system, subscription, "enough");
    await system.runUntilIdle();
    assert.deepEqual(log.events, [0, 1, 2, 3, 4]);
    assert.deepEqual(log.cancels, [{ kind: "cancel", reason: "enough" }]);
    assert.deepEqual(plog.cancels, [{ kind: "cancel", reason: "enough" }]);
    assert.ok(system.isAlive(consumer));
    // Subscribe again: a new subscription works.
    const again = subscribe(system, consumer, { to: producer, cancel: "temporary" });
    await system.runUntilIdle();
    assert.notEqual((await again).ref.serial, subscription.ref.serial);
    system.shutdown();
  });

  it("stops a permanent consumer with the reason", async () => {
    const system = manualSystem();
    const producer = await startStage(system, quiet, undefined);
    const log = newConsumerLog();
    const consumer = spawnWatched(system, collector(log), [{ to: producer }]);
    await system.runUntilIdle();
    cancel(system, log.subscriptions[0], "normal");
    await system.runUntilIdle();
    assert.equal(await consumer.exited, "normal");
    assert.ok(system.isAlive(producer));
    system.shutdown();
  });

  it("rejects a value that is not a subscription", () => {
    const system = manualSystem();
    assert.throws(() => cancel(system, {} as never), TypeError);
    system.shutdown();
  });
});

describe("subscribing to a dead producer", () => {
  it("permanent: the consumer exits with noproc", async () => {
    const system = manualSystem();
    const producer = await startStage(system, quiet, undefined);
    system.exit(producer, "kill");
    const consumer = spawnWatched(system, collector(newConsumerLog()), [{ to: producer }]);
    await system.runUntilIdle();
    assert.equal(await consumer.exited, "noproc");
    system.shutdown();
  });

  it("an unregistered name, temporary: handleCancel gets down/noproc, the consumer stays", async () => {
    const system = manualSystem();
    const log = newConsumerLog();
    const consumer = await startStage(system, collector(log), [{
      to: "nobody",
      cancel: "temporary",
    }]);
    await system.runUntilIdle();
    assert.deepEqual(log.cancels, [{ kind: "down", reason: "noproc" }]);
    assert.ok(system.isAlive(consumer));
    system.shutdown();
  });

  it("subscribe() to a dead producer resolves, then the subscription ends with noproc", async () => {
    const system = manualSystem();
    const producer = await startStage(system, quiet, undefined);
    system.exit(producer, "kill");
    const log = newConsumerLog();
    const consumer = await startStage(system, collector(log), []);
    const subscribed = subscribe(system, consumer, { to: producer, cancel: "temporary" });
    await system.runUntilIdle();
    assert.equal((await subscribed).producer, producer);
    assert.deepEqual(log.cancels, [{ kind: "down", reason: "noproc" }]);
    system.shutdown();
  });
});
