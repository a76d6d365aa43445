/**
 * /pipelines: the live pipelines and stages as JSON, read through the
 * stage and pipeline directories only, behind auth; and /metrics with each
 * pipeline's acks, failures and batch sizes, and its stages' counters.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fixture, json } from "../_fixtures.ts";
import { createTestSystem } from "../../../src/testing/test_system.ts";
import { putBatcher } from "../../../src/pipeline/message.ts";
import { MemoryProducer } from "../../../src/pipeline/memory_producer.ts";
import { Pipeline } from "../../../src/pipeline/pipeline.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

describe("GET /pipelines", () => {
  it("answers no pipelines and no stages on a system that never started one", async () => {
    const f = fixture();
    try {
      const response = await f.get("/pipelines");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const body = await json<Json>(response);
      assert.deepEqual({ ...body, time: 0 }, {
        time: 0,
        total: 0,
        limit: 100,
        truncated: false,
        items: [],
        stages: [],
      });
    } finally {
      f.close();
    }
  });

  it("needs auth", async () => {
    const f = fixture();
    try {
      const response = await f.app.request("/pipelines");
      assert.equal(response.status, 401);
    } finally {
      f.close();
    }
  });

  it("lists a running pipeline with its stages, and /metrics counts its acks and batches", async () => {
    const t = createTestSystem();
    const f = fixture({}, t.system);
    try {
      const source = new MemoryProducer<number>();
      const hostile = "<script>alert(1)</script>";
      const started = Pipeline.start<number>(t.system, {
        name: hostile,
        producer: { stage: source.stage() },
        processors: { default: { concurrency: 1 } },
        batchers: { store: { batchSize: 4, batchTimeout: 100 } },
        handleMessage: (_processor, m) => putBatcher(m, "store"),
        handleBatch: (_batcher, messages) => messages,
      });
      await t.runUntilIdle();
      const pipeline = await started;
      source.push(1, 2, 3, 4, 5, 6, 7, 8);
      await t.runUntilIdle();
      await t.advance(1500);
      const body = await json<Json>(await f.get("/pipelines"));
      assert.equal(body.total, 1);
      const [item] = body.items;
      assert.equal(item.name, hostile);
      assert.equal(item.state, "running");
      assert.equal(item.acked, 8);
      assert.equal(item.batchesFlushed, 2);
      assert.equal(item.rateLimit, null);
      assert.deepEqual(item.stages.map((s: Json) => s.role), [
        "producer",
        "processor",
        "batcher",
        "batch_processor",
      ]);
      assert.equal(item.stages[0].eventsOut, 8);
      assert.equal(typeof item.stages[0].pid, "string");
      const lines = (await (await f.get("/metrics")).text()).split("\n");
      const tag = 'pipeline="<script>alert(1)</script>"';
      for (
        const line of [
          `beamlet_pipeline_acked_total{${tag}} 8`,
          `beamlet_pipeline_failed_total{${tag}} 0`,
          `beamlet_pipeline_batch_size_count{${tag},batcher="store"} 2`,
        ]
      ) assert.ok(lines.includes(line), line);
      const producer = lines.find((line) =>
        line.startsWith(`beamlet_stage_events_out_total{${tag},role="producer",`)
      );
      assert.match(producer ?? "(none)", / 8$/);
      const stopping = pipeline.stop();
      await t.runUntilIdle();
      await stopping;
      assert.deepEqual((await json<Json>(await f.get("/pipelines"))).items, []);
    } finally {
      f.close();
    }
  });
});
