/**
 * SystemObserver.pipelines() and .stages(): what the pipeline and stage
 * directories hold, as the views give it — nothing for a system that never
 * started one, a pipeline as soon as it is registered, gone once removed.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Pid } from "../../src/pid.ts";
import { pipelineDirectoryOf } from "../../src/pipeline/_pipeline_directory.ts";
import type { PipelineInfo } from "../../src/pipeline/pipeline_info.ts";
import { SystemObserver } from "../../src/observe/system_observer.ts";
import { System } from "../../src/system.ts";

describe("SystemObserver.pipelines", () => {
  it("is empty for a system that never started a pipeline or a stage", async () => {
    const system = new System({ logger: null });
    const observer = new SystemObserver(system);
    try {
      const view = observer.pipelines();
      assert.deepEqual({ ...view, time: 0 }, {
        time: 0,
        total: 0,
        limit: 100,
        truncated: false,
        items: [],
        stages: [],
      });
      assert.equal(observer.stages().total, 0);
    } finally {
      observer.close();
      await system.shutdown();
    }
  });

  it("reads the pipeline directory: each pipeline's numbers, live", async () => {
    const system = new System({ logger: null });
    const observer = new SystemObserver(system, { maxPipelines: 1 });
    try {
      assert.throws(() => new SystemObserver(system, { maxPipelines: 0 }), RangeError);
      assert.throws(() => new SystemObserver(system, { maxStages: 1.5 }), RangeError);
      let acked = 0;
      const info = (name: string): PipelineInfo => ({
        name,
        supervisor: Pid.parse("#PID<test.3.0>"),
        state: "running",
        acked,
        failed: 0,
        inFlight: 1,
        batchesFlushed: 0,
      });
      const directory = pipelineDirectoryOf(system);
      const orders = { name: "orders", info: () => info("orders") };
      directory.add(orders);
      directory.add({ name: "zz", info: () => info("zz") });
      acked = 5;
      const view = observer.pipelines();
      assert.deepEqual(view.items.map((p) => [p.name, p.acked, p.supervisorId]), [[
        "orders",
        5,
        "3",
      ]]);
      assert.equal(view.total, 2);
      assert.equal(view.truncated, true);
      directory.remove(orders);
      assert.deepEqual(observer.pipelines().items.map((p) => p.name), ["zz"]);
    } finally {
      observer.close();
      await system.shutdown();
    }
  });
});
