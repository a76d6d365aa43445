/**
 * Stages under a Supervisor: a consumer that crashes is restarted and
 * subscribes again (by the producer's name); drain stops handleDemand.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import { defineStage, drain } from "../../stages.ts";
import { existingStageDirectory } from "../../src/stages/_stage_directory.ts";
import { counter, manualSystem, newProducerLog, startStage } from "./_fixtures.ts";

describe("stages under a supervisor", () => {
  it("a crashed consumer is restarted and resubscribes", async () => {
    const system = manualSystem();
    const plog = newProducerLog();
    const seen: number[] = [];
    let crashed = false;
    const fragile = defineStage<null, never, number>({
      type: "consumer",
      init: () => ({ state: null, subscribeTo: [{ to: "numbers", maxDemand: 4, minDemand: 2 }] }),
      handleEvents: (events, _from, state) => {
        if (!crashed && events.includes(10)) {
          crashed = true;
          throw new Error("ten");
        }
        seen.push(...events);
        return { state };
      },
    });
    const started = Supervisor.start(system, [
      {
        id: "numbers",
        start: { server: counter(plog, { limit: 40 }), arg: 0, options: { name: "numbers" } },
      },
      { id: "fragile", start: { server: fragile } },
    ], { strategy: "one_for_one" });
    await system.runUntilIdle();
    const sup = await started;
    await system.runUntilIdle();
    assert.ok(crashed);
    // The batch with 10 was lost with the crash (as in GenStage); everything after it arrives.
    const lost = [10, 11].filter((n) => !seen.includes(n));
    assert.ok(lost.length > 0 && lost.length <= 2);
    assert.deepEqual(seen.filter((n) => n < 10), Array.from({ length: 10 }, (_, i) => i));
    assert.equal(seen[seen.length - 1], 39);
    assert.ok(system.isAlive(sup));
    system.shutdown();
  });

  it("drain: prepareForDraining runs, handleDemand is not called again", async () => {
    const system = manualSystem();
    const demands: number[] = [];
    const source = defineStage<number, number>({
      type: "producer",
      init: () => ({ state: 0 }),
      handleDemand: (demand, n) => (demands.push(demand), { state: n }),
      prepareForDraining: (n) => ({ events: [-1, -2], state: n }),
    });
    const producer = await startStage(system, source, undefined);
    const seen: number[] = [];
    const sink = defineStage<null, never, number>({
      type: "consumer",
      init: () => ({ state: null, subscribeTo: [{ to: producer, maxDemand: 2, minDemand: 0 }] }),
      handleEvents: (events, _from, state) => (seen.push(...events), { state }),
    });
    await startStage(system, sink, undefined);
    assert.deepEqual(demands, [2]);
    const drained = drain(system, producer);
    await system.runUntilIdle();
    await drained;
    // The consumer got both and asked again: the demand accumulates, handleDemand is not called.
    assert.deepEqual(seen, [-1, -2]);
    assert.deepEqual(demands, [2]);
    const info = existingStageDirectory(system)!.list().find((s) => s.pid === producer)!;
    assert.equal(info.demand, 2);
    system.shutdown();
  });
});
