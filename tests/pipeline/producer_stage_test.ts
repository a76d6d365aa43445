/**
 * Any producer stage made by `defineStage` whose events are pipeline
 * messages is a pipeline source: the definition carries its callbacks, which
 * the pipeline runs inside its own producer stage. A consumer's definition
 * is refused.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defineStage } from "../../src/stages/define_stage.ts";
import { stageCallbacksOf } from "../../src/stages/_definition_callbacks.ts";
import { createMessage, type PipelineMessage } from "../../src/pipeline/message.ts";
import { drive, Pipeline, start, testSystem } from "./_fixtures.ts";

describe("Pipeline: a defineStage producer as the source", () => {
  it("runs it, and acks each of its messages once", async () => {
    const t = testSystem();
    const acked: number[] = [];
    const failed: number[] = [];
    const acknowledger = {
      ack: (ok: readonly PipelineMessage[], bad: readonly PipelineMessage[]) => {
        for (const m of ok) acked.push(m.data as number);
        for (const m of bad) failed.push(m.data as number);
      },
    };
    const total = 50;
    const counter = defineStage<number, PipelineMessage<number>, string>({
      type: "producer",
      init: (label) => ({ state: label === "from 0" ? 0 : -1 }),
      handleDemand: (demand, next) => {
        const events: PipelineMessage<number>[] = [];
        for (let i = 0; i < demand && next + i < total; i++) {
          events.push(createMessage(next + i, acknowledger));
        }
        return { events, state: next + events.length };
      },
    });
    assert.equal(stageCallbacksOf(counter)?.type, "producer");
    const pipeline = await start<number>(t, {
      name: "defined",
      producer: { stage: counter, arg: "from 0" },
      processors: { default: { concurrency: 2, maxDemand: 4 } },
      handleMessage: (_p, m) => m,
    });
    await t.advance(100);
    await drive(t, pipeline.stop());
    assert.deepEqual(acked.sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i));
    assert.deepEqual(failed, []);
    assert.equal(pipeline.stats().acked, total);
    t.dispose();
  });

  it("refuses a consumer's definition with a TypeError", async () => {
    const t = testSystem();
    const consumer = defineStage<null, never, unknown>({
      type: "consumer",
      init: () => ({ state: null }),
      handleEvents: (_events, _from, state) => ({ state }),
    });
    await assert.rejects(
      () =>
        drive(
          t,
          Pipeline.start(t.system, {
            name: "refused",
            // deno-lint-ignore no-explicit-any
            producer: { stage: consumer as any },
            processors: { default: {} },
            handleMessage: (_p, m) => m,
          }),
        ),
      TypeError,
    );
    t.dispose();
  });
});
