/**
 * What processors and batch processors do with handler results, outside
 * any process: every message acked exactly once, failures named.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Context } from "../../src/context.ts";
import { System } from "../../src/system.ts";
import {
  type Acknowledger,
  createMessage,
  failMessage,
  type PipelineMessage,
  putBatcher,
  putData,
} from "../../src/pipeline/message.ts";
import { MessageReturnError, UnknownBatcherError } from "../../src/pipeline/errors.ts";
import { pipelineConfigOf } from "../../src/pipeline/_config.ts";
import { PipelineRuntime } from "../../src/pipeline/_pipeline_runtime.ts";
import { processMessages } from "../../src/pipeline/_process_messages.ts";
import { processBatch } from "../../src/pipeline/_process_batch.ts";
import type { BatchInfo } from "../../src/pipeline/batch_info.ts";
import type { Report } from "../../src/logger.ts";

const ctx = { system: { isAlive: () => true } } as unknown as Context;
const stage = {
  type: "producer",
  init: () => ({ state: null }),
  handleDemand: (_demand: number, state: null) => ({ state }),
} as const;

interface Recorder extends Acknowledger {
  readonly ok: PipelineMessage[];
  readonly failed: PipelineMessage[];
}

function recorder(): Recorder {
  const ok: PipelineMessage[] = [];
  const failed: PipelineMessage[] = [];
  return { ok, failed, ack: (s, f) => void (ok.push(...s), failed.push(...f)) };
}

function runtime(
  // deno-lint-ignore no-explicit-any
  options: Record<string, any>,
): { rt: PipelineRuntime; reports: Report[] } {
  const reports: Report[] = [];
  const system = new System({ scheduling: "manual", logger: { report: (r) => reports.push(r) } });
  const config = pipelineConfigOf({
    name: "p",
    producer: { stage },
    processors: { default: {} },
    handleMessage: (_p: string, m: PipelineMessage) => m,
    ...options,
  });
  return { rt: new PipelineRuntime(system, config), reports };
}

const info = (size: number): BatchInfo => ({
  batcher: "default",
  batchKey: "default",
  partition: undefined,
  size,
  trigger: "size",
});

describe("processMessages", () => {
  it("acks successes and failures, each once, with no batchers", async () => {
    const ack = recorder();
    const { rt } = runtime({
      handleMessage: (_p: string, m: PipelineMessage<number>) => {
        if (m.data === 1) throw new Error("one");
        if (m.data === 2) return failMessage(m, "two");
        if (m.data === 3) return Promise.reject(new Error("three"));
        if (m.data === 4) return 42;
        if (m.data === 5) return createMessage(5, recorder());
        if (m.data === 6) return Promise.resolve(putData(m, "six"));
        return m;
      },
    });
    const messages = [0, 1, 2, 3, 4, 5, 6].map((n) => createMessage(n, ack));
    const forward = await processMessages(rt, messages, ctx);
    assert.deepEqual(forward, []);
    assert.deepEqual(ack.ok.map((m) => m.data), [0, "six"]);
    const reasons = ack.failed.map((m) => m.status !== "ok" && m.status.failed);
    assert.deepEqual(ack.failed.map((m) => m.data), [1, 2, 3, 4, 5]);
    assert.equal((reasons[0] as Error).message, "one");
    assert.equal(reasons[1], "two");
    assert.equal((reasons[2] as Error).message, "three");
    assert.ok(reasons[3] instanceof MessageReturnError && reasons[3].problem === "not_a_message");
    assert.ok(reasons[4] instanceof MessageReturnError && reasons[4].problem === "other_message");
    assert.deepEqual([rt.successfulCount, rt.failedCount], [2, 5]);
  });

  it("synchronous handlers finish synchronously", () => {
    const ack = recorder();
    const { rt } = runtime({});
    const result = processMessages(rt, [createMessage(1, ack)], ctx);
    assert.ok(!(result instanceof Promise));
    assert.equal(ack.ok.length, 1);
  });

  it("with batchers: forwards successes, fails unknown batchers", async () => {
    const ack = recorder();
    const { rt } = runtime({
      batchers: { s3: {} },
      handleBatch: (_b: string, ms: PipelineMessage[]) => ms,
      handleMessage: (_p: string, m: PipelineMessage<number>) =>
        putBatcher(m, m.data === 0 ? "s3" : "s4"),
    });
    const forward = await processMessages(rt, [0, 1].map((n) => createMessage(n, ack)), ctx);
    assert.deepEqual(forward.map((m) => m.data), [0]);
    assert.deepEqual(ack.ok, []);
    assert.equal(ack.failed.length, 1);
    const reason = ack.failed[0].status !== "ok" && ack.failed[0].status.failed;
    assert.ok(reason instanceof UnknownBatcherError);
    assert.deepEqual(reason.known, ["s3"]);
  });

  it("handleFailed sees the failures before the ack; a bad one is reported", async () => {
    const ack = recorder();
    const seen: unknown[] = [];
    const { rt, reports } = runtime({
      handleMessage: () => {
        throw new Error("x");
      },
      handleFailed: (ms: PipelineMessage[]) => {
        seen.push(...ms.map((m) => m.data));
        return ms.map((m) => putData(m, "handled"));
      },
    });
    await processMessages(rt, [createMessage(1, ack)], ctx);
    assert.deepEqual(seen, [1]);
    assert.deepEqual(ack.failed.map((m) => m.data), ["handled"]);

    const ack2 = recorder();
    const bad = runtime({
      handleMessage: () => {
        throw new Error("x");
      },
      handleFailed: () => [],
    });
    await processMessages(bad.rt, [createMessage(1, ack2)], ctx);
    assert.deepEqual(ack2.failed.map((m) => m.data), [1]);
    assert.equal(bad.reports.length, 1);
    assert.equal(reports.length, 0);

    const ack3 = recorder();
    const throwing = runtime({
      handleMessage: () => {
        throw new Error("x");
      },
      handleFailed: () => Promise.reject(new Error("hf")),
    });
    await processMessages(throwing.rt, [createMessage(1, ack3)], ctx);
    assert.deepEqual(ack3.failed.map((m) => m.data), [1]);
    assert.equal(throwing.reports.length, 1);
  });

  it("random throws: every message acked exactly once (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("ok", "throw", "reject", "fail", "garbage", "async"), {
          maxLength: 40,
        }),
        async (plan) => {
          const ack = recorder();
          const { rt } = runtime({
            handleMessage: (_p: string, m: PipelineMessage<number>) => {
              switch (plan[m.data]) {
                case "throw":
                  throw new Error("t");
                case "reject":
                  return Promise.reject(new Error("r"));
                case "fail":
                  return failMessage(m, "f");
                case "garbage":
                  return undefined;
                case "async":
                  return Promise.resolve(m);
                default:
                  return m;
              }
            },
          });
          await processMessages(rt, plan.map((_, i) => createMessage(i, ack)), ctx);
          const all = [...ack.ok, ...ack.failed].map((m) => m.data as number).sort((a, b) => a - b);
          assert.deepEqual(all, plan.map((_, i) => i));
          const okCount = plan.filter((p) => p === "ok" || p === "async").length;
          assert.equal(ack.ok.length, okCount);
        },
      ),
    );
  });
});

describe("processBatch", () => {
  const batchRuntime = (handleBatch: unknown) =>
    runtime({ batchers: { default: {} }, handleBatch });

  it("acks what handleBatch returns, by status", async () => {
    const ack = recorder();
    const { rt } = batchRuntime((_b: string, ms: PipelineMessage<number>[]) =>
      ms.map((m) => m.data === 1 ? failMessage(m, "no") : putData(m, m.data * 10))
    );
    await processBatch(rt, [0, 1, 2].map((n) => createMessage(n, ack)), info(3), ctx);
    assert.deepEqual(ack.ok.map((m) => m.data), [0, 20]);
    assert.deepEqual(ack.failed.map((m) => m.data), [1]);
  });

  it("a throw fails the whole batch with what was thrown", async () => {
    const ack = recorder();
    const error = new Error("batch");
    const { rt } = batchRuntime(() => Promise.reject(error));
    await processBatch(rt, [0, 1].map((n) => createMessage(n, ack)), info(2), ctx);
    assert.equal(ack.ok.length, 0);
    assert.deepEqual(ack.failed.map((m) => m.status), [{ failed: error }, { failed: error }]);
  });

  it("missing, duplicated, foreign and non-array returns fail with a named reason", async () => {
    const problems = async (handleBatch: unknown): Promise<unknown[]> => {
      const ack = recorder();
      const { rt } = batchRuntime(handleBatch);
      await processBatch(rt, [0, 1, 2].map((n) => createMessage(n, ack)), info(3), ctx);
      assert.equal(ack.ok.length + ack.failed.length, 3);
      return [...ack.ok, ...ack.failed].sort((a, b) => (a.data as number) - (b.data as number))
        .map((m) =>
          m.status === "ok"
            ? "ok"
            : m.status.failed instanceof MessageReturnError
            ? m.status.failed.problem
            : m.status.failed
        );
    };
    assert.deepEqual(await problems((_b: string, ms: PipelineMessage[]) => [ms[0], ms[2]]), [
      "ok",
      "missing",
      "ok",
    ]);
    assert.deepEqual(
      await problems((_b: string, ms: PipelineMessage[]) => [ms[0], ms[1], ms[1]]),
      ["ok", "duplicate", "missing"],
    );
    assert.deepEqual(
      await problems((_b: string, ms: PipelineMessage[]) => [
        ms[0],
        ms[1],
        createMessage(2, recorder()),
      ]),
      ["ok", "ok", "missing"],
    );
    assert.deepEqual(await problems(() => "nope"), [
      "not_an_array",
      "not_an_array",
      "not_an_array",
    ]);
  });
});

describe("options", () => {
  const base = {
    name: "p",
    producer: { stage },
    processors: { default: {} },
    handleMessage: (_p: string, m: PipelineMessage) => m,
  };
  // deno-lint-ignore no-explicit-any
  const bad = (patch: Record<string, any>) => () => pipelineConfigOf({ ...base, ...patch });

  it("defaults", () => {
    const c = pipelineConfigOf({ ...base, batchers: { s3: {} }, handleBatch: () => [] });
    assert.deepEqual(c.processor, { concurrency: 1, maxDemand: 10, minDemand: undefined });
    assert.deepEqual(c.producer.concurrency, 1);
    assert.deepEqual(c.batchers, [{
      name: "s3",
      batchSize: 100,
      batchTimeout: 1000,
      concurrency: 1,
      maxDemand: 100,
      minDemand: undefined,
    }]);
    assert.equal(c.shutdownTimeout, 30_000);
  });

  it("refuses bad input with TypeError / RangeError", () => {
    assert.throws(() => pipelineConfigOf(null), TypeError);
    assert.throws(bad({ name: "" }), TypeError);
    assert.throws(bad({ producer: {} }), TypeError);
    assert.throws(bad({ producer: { stage: { init: () => ({ state: 0 }) } } }), TypeError);
    assert.throws(bad({ producer: { stage, concurrency: 0 } }), RangeError);
    assert.throws(bad({ processors: { default: { concurrency: 0 } } }), RangeError);
    assert.throws(bad({ processors: { default: { concurrency: 1.5 } } }), RangeError);
    assert.throws(bad({ processors: { default: { concurrency: "2" } } }), TypeError);
    assert.throws(bad({ processors: { default: { maxDemand: -1 } } }), RangeError);
    assert.throws(bad({ processors: { default: { maxDemand: 5, minDemand: 5 } } }), RangeError);
    assert.throws(bad({ processors: { other: {} } }), TypeError);
    assert.throws(
      bad({ batchers: { s3: { batchSize: 0 } }, handleBatch: () => [] }),
      RangeError,
    );
    assert.throws(
      bad({ batchers: { s3: { batchTimeout: 0 } }, handleBatch: () => [] }),
      RangeError,
    );
    assert.throws(bad({ batchers: { s3: { size: 3 } }, handleBatch: () => [] }), TypeError);
    assert.throws(bad({ batchers: { s3: {} } }), TypeError); // no handleBatch
    assert.throws(bad({ batchers: {}, handleBatch: () => [] }), RangeError);
    assert.throws(bad({ rateLimit: { allowed: 0, interval: 10 } }), RangeError);
    assert.throws(bad({ rateLimit: { allowed: 1 } }), TypeError);
    assert.throws(bad({ rateLimit: { allowed: 1, interval: -5 } }), RangeError);
    assert.throws(bad({ handleMessage: undefined }), TypeError);
    assert.throws(bad({ partitionBy: "customer" }), TypeError);
    assert.throws(bad({ shutdownTimeout: -1 }), RangeError);
    const hostile = {
      ...base,
      get processors(): never {
        throw new Error("getter");
      },
    };
    assert.throws(() => pipelineConfigOf(hostile), TypeError);
  });
});
