/**
 * SystemObserver.pipelines() over a real pipeline: its numbers and its
 * stages in pipeline order (producer → processor → batcher →
 * batch_processor), live, and gone once it is stopped.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { failMessage, putBatcher } from "../../src/pipeline/message.ts";
import { MemoryProducer } from "../../src/pipeline/memory_producer.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";

describe("SystemObserver over a real pipeline", () => {
  it("shows its state, acks, failures, batches and its stages in pipeline order", async () => {
    const t = createTestSystem();
    const observer = new SystemObserver(t.system);
    try {
      const source = new MemoryProducer<number>();
      const started = Pipeline.start<number>(t.system, {
        name: "orders",
        producer: { stage: source.stage() },
        processors: { default: { concurrency: 2, maxDemand: 4 } },
        batchers: { store: { batchSize: 5, batchTimeout: 100 } },
        rateLimit: { allowed: 1000, interval: 1000 },
        handleMessage: (_processor, m) =>
          m.data % 10 === 0 ? failMessage(m, "tens") : putBatcher(m, "store"),
        handleBatch: (_batcher, messages) => messages,
      });
      await t.runUntilIdle();
      const pipeline = await started;
      source.push(...Array.from({ length: 20 }, (_, i) => i + 1));
      await t.runUntilIdle();
      await t.advance(200);
      const view = observer.pipelines();
      assert.equal(view.total, 1);
      assert.deepEqual(view.stages, [], "every stage is in the pipeline");
      const [orders] = view.items;
      assert.equal(orders.name, "orders");
      assert.equal(orders.state, "running");
      assert.equal(orders.acked, 18);
      assert.equal(orders.failed, 2);
      assert.equal(orders.inFlight, 0);
      assert.ok(orders.batchesFlushed >= 4, String(orders.batchesFlushed));
      assert.deepEqual(orders.rateLimit, { allowed: 1000, interval: 1000 });
      assert.deepEqual(orders.stages.map((s) => s.role), [
        "producer",
        "processor",
        "processor",
        "batcher",
        "batch_processor",
      ]);
      assert.ok(orders.stages.every((s) => s.pipeline === "orders"));
      assert.equal(orders.stages[0].eventsOut, 20);
      const processed = orders.stages.filter((s) => s.role === "processor");
      assert.equal(processed.reduce((n, s) => n + s.eventsIn, 0), 20);
      assert.deepEqual(JSON.parse(JSON.stringify(view)), view);
      const stopping = pipeline.stop();
      await t.runUntilIdle();
      await stopping;
      assert.deepEqual(observer.pipelines().items, []);
      assert.equal(observer.stages().total, 0);
    } finally {
      observer.close();
      t.system.shutdown();
    }
  });
});
