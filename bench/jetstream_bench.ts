/**
 * JetStream end to end: messages per second fetched from a durable pull
 * consumer, handled and acked, through a beamlet pipeline
 * (`JetStreamProducer` → processors → ack) against hand-written loops with
 * the plain client in the same run, on the same server: the client's own
 * prefetching iterator (`consumer.consume()` → `msg.ack()`, the baseline)
 * and one pull request at a time (`consumer.fetch()` → `msg.ack()`).
 *
 * Each sample publishes `MESSAGES` messages to a fresh stream first, then
 * times consuming all of them; the clock stops once every ack was sent and a
 * `flush()` round trip came back (the server has seen them all). The work per
 * message is nothing (the payload is read), so the figures are the cost of
 * the plumbing. Starts its own `nats-server -js` on 127.0.0.1.
 *
 * Run: `npm run build:npm && node npm/bench/jetstream_bench.js`.
 *
 * @module
 */

import type { NatsConnection } from "@nats-io/transport-node";
import { System } from "../mod.ts";
import { Pipeline, type PipelineMessage } from "../pipeline.ts";
import { JetStreamProducer } from "../jetstream.ts";
import { type BenchResult, median, runtimeName, table } from "./_harness.ts";
import { createStreamAndConsumer, NATS_SERVER, publishNumbers, startNats } from "../e2e/_nats.ts";
import { existsSync } from "node:fs";

const MESSAGES = 20_000;
const SAMPLES = 5;
const MAX_BATCH = 256;

let streams = 0;

/** A fresh stream with `MESSAGES` messages and a durable consumer on it. */
async function prepare(nc: NatsConnection): Promise<{ stream: string; consumer: string }> {
  const stream = `BENCH${streams++}`;
  await createStreamAndConsumer(nc, stream, "bench", 60_000);
  await publishNumbers(nc, stream, MESSAGES);
  return { stream, consumer: "bench" };
}

/** The baseline: fetch, read, ack, by hand. Resolves with the elapsed ms. */
async function handWritten(nc: NatsConnection): Promise<number> {
  const { jetstream } = await import("@nats-io/jetstream");
  const { stream, consumer } = await prepare(nc);
  const source = await jetstream(nc).consumers.get(stream, consumer);
  let acked = 0;
  let bytes = 0;
  const start = performance.now();
  while (acked < MESSAGES) {
    const batch = await source.fetch({ max_messages: MAX_BATCH, expires: 1_000 });
    for await (const message of batch) {
      bytes += message.data.length;
      message.ack();
      acked++;
    }
  }
  await nc.flush();
  const elapsed = performance.now() - start;
  if (bytes === 0) console.log("no payload");
  return elapsed;
}

/** The client's own prefetching loop: `consume()` → ack. Resolves with the elapsed ms. */
async function handWrittenConsume(nc: NatsConnection): Promise<number> {
  const { jetstream } = await import("@nats-io/jetstream");
  const { stream, consumer } = await prepare(nc);
  const source = await jetstream(nc).consumers.get(stream, consumer);
  let acked = 0;
  let bytes = 0;
  const start = performance.now();
  const messages = await source.consume({ max_messages: MAX_BATCH });
  for await (const message of messages) {
    bytes += message.data.length;
    message.ack();
    if (++acked === MESSAGES) break;
  }
  await messages.close();
  await nc.flush();
  const elapsed = performance.now() - start;
  if (bytes === 0) console.log("no payload");
  return elapsed;
}

/** Through a pipeline of `concurrency` processors. Resolves with the elapsed ms. */
async function throughPipeline(nc: NatsConnection, concurrency: number): Promise<number> {
  const { stream, consumer } = await prepare(nc);
  const source = new JetStreamProducer({ connection: nc, stream, consumer, maxBatch: MAX_BATCH });
  const system = new System();
  let bytes = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const start = performance.now();
  const pipeline = await Pipeline.start(system, {
    name: `bench${streams}`,
    producer: { stage: source.stage() },
    processors: { default: { concurrency, maxDemand: 100, minDemand: 50 } },
    handleMessage: (_processor: string, message: PipelineMessage<Uint8Array>) => {
      bytes += message.data.length;
      return message;
    },
  });
  const poll = setInterval(() => {
    if (source.stats().acked >= MESSAGES) done();
  }, 1);
  await finished;
  clearInterval(poll);
  await nc.flush();
  const elapsed = performance.now() - start;
  await pipeline.stop();
  if (bytes === 0) console.log("no payload");
  return elapsed;
}

async function main(): Promise<void> {
  if (!existsSync(NATS_SERVER)) {
    console.log(`jetstream_bench: ${NATS_SERVER} is not installed; nothing measured`);
    return;
  }
  const server = await startNats();
  const nc = await server.connect();
  try {
    const cases: { name: string; run: () => Promise<number> }[] = [
      { name: "hand-written consume() → ack loop", run: () => handWrittenConsume(nc) },
      { name: "hand-written fetch → ack loop", run: () => handWritten(nc) },
      { name: "pipeline, 1 processor", run: () => throughPipeline(nc, 1) },
      { name: "pipeline, 4 processors", run: () => throughPipeline(nc, 4) },
    ];
    const rates = cases.map(() => [] as number[]);
    for (const c of cases) await c.run(); // warm-up, one of each
    for (let s = 0; s < SAMPLES; s++) {
      for (const [i, c] of cases.entries()) {
        rates[i].push(MESSAGES / ((await c.run()) / 1000));
      }
    }
    const results: BenchResult[] = cases.map((c, i) => ({
      name: c.name,
      medianOpsPerSecond: median(rates[i]),
      min: Math.min(...rates[i]),
      max: Math.max(...rates[i]),
    }));
    console.log(
      table(
        `JetStream end to end, messages/s with acks (${MESSAGES} per sample, median of ${SAMPLES}, nats-server on 127.0.0.1)`,
        results,
        cases[0].name,
      ),
    );
    console.log(`\n(${runtimeName()})`);
  } finally {
    await nc.close();
    await server.stop();
  }
}

await main();
