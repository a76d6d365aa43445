/**
 * Dispatchers: demand (each event to exactly one consumer, never more than
 * it asked), broadcast (every consumer gets every event), partition (by
 * hash; a throwing or unknown hash stops the producer with a PartitionError;
 * undefined discards, counted), and subscriptions a partition producer refuses.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PartitionError, SubscriptionError } from "../../stages.ts";
import { existingStageDirectory } from "../../src/stages/_stage_directory.ts";
import { STAGE_DROPPED } from "../../src/telemetry/catalog/stage_events.ts";
import {
  collector,
  counter,
  manualSystem,
  newConsumerLog,
  newProducerLog,
  spawnWatched,
  startStage,
} from "./_fixtures.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("demand dispatcher", () => {
  it("hands each event to exactly one consumer", async () => {
    const system = manualSystem();
    const producer = await startStage(system, counter(newProducerLog(), { limit: 200 }), 0);
    const a = newConsumerLog();
    const b = newConsumerLog();
    spawnWatched(system, collector(a), [{ to: producer, maxDemand: 7, minDemand: 2 }]);
    spawnWatched(system, collector(b), [{ to: producer, maxDemand: 13 }]);
    await system.runUntilIdle();
    assert.deepEqual([...a.events, ...b.events].sort((x, y) => x - y), range(200));
    assert.ok(a.events.length > 0 && b.events.length > 0);
    system.shutdown();
  });
});

describe("broadcast dispatcher", () => {
  it("gives every consumer every event", async () => {
    const system = manualSystem();
    const producer = await startStage(
      system,
      counter(newProducerLog(), { limit: 100, dispatcher: "broadcast" }),
      0,
    );
    const a = newConsumerLog();
    const b = newConsumerLog();
    spawnWatched(system, collector(a), [{ to: producer, maxDemand: 5 }]);
    spawnWatched(system, collector(b), [{ to: producer, maxDemand: 50 }]);
    await system.runUntilIdle();
    assert.deepEqual(a.events, range(100));
    // b subscribed after a's first ask was served: it gets every event from then on.
    assert.ok(b.events[0] <= 5);
    assert.deepEqual(b.events, range(100).slice(b.events[0]));
    system.shutdown();
  });
});

describe("partition dispatcher", () => {
  const parity = (limit: number, hash: (n: number) => string | number | undefined) =>
    counter(newProducerLog(), {
      limit,
      dispatcher: { type: "partition", partitions: ["even", "odd"], hash: hash as never },
    });

  it("routes by hash", async () => {
    const system = manualSystem();
    const producer = await startStage(system, parity(60, (n) => n % 2 ? "odd" : "even"), 0);
    const even = newConsumerLog();
    const odd = newConsumerLog();
    await startStage(system, collector(even), [{ to: producer, partition: "even", maxDemand: 4 }]);
    await startStage(system, collector(odd), [{ to: producer, partition: "odd", maxDemand: 9 }]);
    await system.runUntilIdle();
    assert.deepEqual(even.events, range(60).filter((n) => n % 2 === 0));
    assert.deepEqual(odd.events, range(60).filter((n) => n % 2 === 1));
    system.shutdown();
  });

  it("discards events hashed to undefined, counts them, and owes the demand back", async () => {
    const system = manualSystem();
    let dropped = 0;
    system.telemetry.attach("t", STAGE_DROPPED, (_e, m, meta) => {
      assert.equal(meta.reason, "no_partition");
      dropped += m.count;
    });
    const producer = await startStage(
      system,
      parity(90, (n) => n % 3 === 0 ? undefined : n % 2 ? "odd" : "even"),
      0,
    );
    const even = newConsumerLog();
    const odd = newConsumerLog();
    await startStage(system, collector(even), [{ to: producer, partition: "even", maxDemand: 10 }]);
    await startStage(system, collector(odd), [{ to: producer, partition: "odd", maxDemand: 10 }]);
    await system.runUntilIdle();
    const kept = range(90).filter((n) => n % 3 !== 0);
    assert.deepEqual([...even.events, ...odd.events].sort((x, y) => x - y), kept);
    assert.equal(dropped, 30);
    const info = existingStageDirectory(system)!.list().find((s) => s.pid === producer)!;
    assert.equal(info.dropped, 30);
    system.shutdown();
  });

  for (
    const [what, hash, check] of [
      ["throws", () => {
        throw new Error("bad hash");
      }, (e: PartitionError) => assert.equal((e.cause as Error).message, "bad hash")],
      [
        "returns an unknown partition",
        () => "blue",
        (e: PartitionError) => assert.equal(e.partition, "blue"),
      ],
    ] as const
  ) {
    it(`stops the producer with a PartitionError when the hash ${what}`, async () => {
      const system = manualSystem();
      const producer = await startStage(system, parity(10, hash as () => string), 0);
      const exited = system.whenExited(producer);
      await startStage(system, collector(newConsumerLog()), [{
        to: producer,
        partition: "even",
        cancel: "temporary",
      }]);
      await system.runUntilIdle();
      const reason = await exited;
      assert.ok(reason instanceof PartitionError, String(reason));
      check(reason);
      system.shutdown();
    });
  }

  for (
    const [what, partition] of [["without a partition", undefined], [
      "to a missing partition",
      "blue",
    ]] as const
  ) {
    it(`refuses a subscription ${what}: a permanent consumer exits with SubscriptionError`, async () => {
      const system = manualSystem();
      const producer = await startStage(system, parity(10, (n) => n % 2 ? "odd" : "even"), 0);
      const { exited } = spawnWatched(system, collector(newConsumerLog()), [{
        to: producer,
        partition,
      }]);
      await system.runUntilIdle();
      assert.ok((await exited) instanceof SubscriptionError);
      assert.ok(system.isAlive(producer));
      system.shutdown();
    });
  }
});
