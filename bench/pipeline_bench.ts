/**
 * Pipelines: messages per second through a pipeline, acks included, against
 * a hand-written async-iterator pipeline doing the same work in the same run.
 *
 * - Without batchers: a MemoryProducer → processors (concurrency 2) → ack
 *   (2 stage kinds, 3 processes).
 * - With a batcher, the 4-stage pipeline of the issue: producer →
 *   processors (concurrency 2) → batcher (batches of 100) → batch processor.
 * - Baselines: an async generator yielding the same message objects, read
 *   by 2 concurrent `for`-style loops calling the same per-message function
 *   (and, with batches, the same batch function every 100 messages), then
 *   counting the "ack" — what a user writes without a runtime.
 *
 * Every case pushes `n` messages and resolves once all `n` are acked.
 *
 * Run: `deno run bench/pipeline_bench.ts`, `bun bench/pipeline_bench.ts`,
 * `node npm/bench/pipeline_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { System } from "../mod.ts";
import { MemoryProducer, Pipeline, type PipelineMessage, putData } from "../pipeline.ts";
import { type AsyncBenchCase, measureAsync, runtimeName, table } from "./_harness.ts";

const BATCH_SIZE = 100;

/** The per-message work, the same everywhere: a few arithmetic steps. */
function work(n: number): number {
  let x = n | 0;
  for (let i = 0; i < 8; i++) x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i;
  return x >>> 0;
}

/** The per-batch work: a sum. */
function batchWork(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum = (sum + v) | 0;
  return sum;
}

let checksum = 0;

/** A pipeline case: one pipeline, started once, fed `n` messages per run. */
async function pipelineCase(
  system: System,
  name: string,
  batched: boolean,
): Promise<AsyncBenchCase & { stop(): Promise<void> }> {
  let done = 0;
  let target = 0;
  let wake: (() => void) | undefined;
  const source = new MemoryProducer<number>({
    record: false,
    onAck: (successful, failed) => {
      done += successful.length + failed.length;
      if (done >= target && wake !== undefined) {
        const resolve = wake;
        wake = undefined;
        resolve();
      }
    },
  });
  const pipeline = await Pipeline.start<number, number>(system, {
    name,
    producer: { stage: source.stage() },
    processors: { default: { concurrency: 2, maxDemand: 50 } },
    ...(batched
      ? { batchers: { default: { batchSize: BATCH_SIZE, batchTimeout: 1, concurrency: 1 } } }
      : {}),
    handleMessage: (_processor, m) => putData(m, work(m.data)),
    handleBatch: (_batcher, messages: PipelineMessage<number>[]) => {
      checksum ^= batchWork(messages.map((m) => m.data));
      return messages;
    },
  });
  return {
    name,
    run: (ops) => {
      target = done + ops;
      const finished = new Promise<void>((resolve) => (wake = resolve));
      const chunk: number[] = [];
      for (let i = 0; i < ops; i++) {
        chunk.push(i);
        if (chunk.length === 10_000) source.push(...chunk.splice(0));
      }
      if (chunk.length > 0) source.push(...chunk);
      return finished.then(() => done);
    },
    stop: () => pipeline.stop(),
  };
}

/** The hand-written baseline: an async generator read by 2 concurrent loops. */
function iteratorCase(name: string, batched: boolean): AsyncBenchCase {
  return {
    name,
    run: async (ops) => {
      async function* source(): AsyncGenerator<{ data: number }> {
        for (let i = 0; i < ops; i++) yield { data: i };
      }
      const messages = source();
      let acked = 0;
      let batch: number[] = [];
      const flush = () => {
        checksum ^= batchWork(batch);
        acked += batch.length;
        batch = [];
      };
      const processor = async () => {
        for (;;) {
          const next = await messages.next();
          if (next.done) return;
          const result = work(next.value.data);
          if (!batched) {
            acked++;
            continue;
          }
          batch.push(result);
          if (batch.length === BATCH_SIZE) flush();
        }
      };
      await Promise.all([processor(), processor()]);
      if (batch.length > 0) flush();
      return acked;
    },
  };
}

const system = new System();
const plain = await pipelineCase(system, "pipeline: producer → 2 processors → ack", false);
const batched = await pipelineCase(
  system,
  "pipeline: producer → 2 processors → batcher → batch processor → ack",
  true,
);
const PLAIN_BASELINE = "async iterator, 2 loops";
const BATCHED_BASELINE = "async iterator, 2 loops, batches of 100";

const withoutBatchers = await measureAsync([plain, iteratorCase(PLAIN_BASELINE, false)]);
console.log(
  table("Pipeline messages per second, without batchers", withoutBatchers, PLAIN_BASELINE),
);
console.log("");
const withBatchers = await measureAsync([batched, iteratorCase(BATCHED_BASELINE, true)]);
console.log(table("Pipeline messages per second, with a batcher", withBatchers, BATCHED_BASELINE));
console.log("");
console.log(
  `Each case pushes n messages and waits until all n are acked (${runtimeName()}). ` +
    `The same work(n) runs per message in every case${checksum === 0x7fffffff ? "." : ""}.`,
);
await plain.stop();
await batched.stop();
system.shutdown();
