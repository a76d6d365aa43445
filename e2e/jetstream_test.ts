/**
 * The JetStream producer against a real `nats-server -js` on 127.0.0.1:
 * pulls with demand (never more than asked), acks successes and naks
 * failures, and — with processors failing and crashing at random, and the
 * pipeline stopped mid-stream and started again — every published message
 * is acked exactly once. A missing stream or consumer and a lost connection
 * are named exit reasons.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { skipUnless } from "./_requirement.ts";
import { waitFor } from "./_wait.ts";
import {
  createStreamAndConsumer,
  NATS_SERVER,
  type NatsServer,
  publishNumbers,
  startNats,
} from "./_nats.ts";
import { type Pid, System } from "../mod.ts";
import { defineStage } from "../stages.ts";
import { Pipeline, type PipelineMessage } from "../pipeline.ts";
import {
  ConnectionLostError,
  ConsumerNotFoundError,
  type JetStreamError,
  jetStreamMetadataOf,
  JetStreamProducer,
  type JetStreamProducerOptions,
  type JetStreamSettlement,
  StreamNotFoundError,
} from "../jetstream.ts";
// The pull loop on its own, below the stage.
import { openConsumer } from "../src/jetstream/_consumer_lookup.ts";
import { Puller } from "../src/jetstream/_puller.ts";

const skip = skipUnless("nats-server", NATS_SERVER);

const decoder = new TextDecoder();

describe("JetStreamProducer options", () => {
  const connection = {
    closed: () => new Promise<void>(() => {}),
    isClosed: () => false,
  } as unknown as NatsConnection;

  it("refuses bad options with a TypeError or RangeError saying what was expected", () => {
    const base = { connection, stream: "S", consumer: "c" };
    const bad: [Record<string, unknown>, ErrorConstructor, RegExp][] = [
      [{ ...base, connection: undefined }, TypeError, /connection must be a NatsConnection/],
      [{ ...base, stream: "" }, TypeError, /stream must be a non-empty string/],
      [{ ...base, consumer: 7 }, TypeError, /consumer must be a non-empty string/],
      [{ ...base, maxBatch: 0 }, RangeError, /maxBatch must be a positive integer/],
      [{ ...base, maxBatch: 1.5 }, RangeError, /maxBatch/],
      [{ ...base, maxOpenFetches: -1 }, RangeError, /maxOpenFetches/],
      [
        { ...base, fetchExpiresMs: 999 },
        RangeError,
        /fetchExpiresMs must be an integer of at least 1000/,
      ],
      [{ ...base, fetchExpiresMs: "1s" }, TypeError, /fetchExpiresMs must be a number/],
      [{ ...base, nakDelayMs: -5 }, RangeError, /nakDelayMs/],
      [{ ...base, create: "yes" }, TypeError, /create/],
      [{ ...base, onSettle: 1 }, TypeError, /onSettle must be a function/],
    ];
    for (const [options, kind, message] of bad) {
      assert.throws(
        () => new JetStreamProducer(options as unknown as JetStreamProducerOptions),
        (error: unknown) => error instanceof kind && message.test((error as Error).message),
        JSON.stringify(Object.keys(options)),
      );
    }
    assert.throws(
      () => new JetStreamProducer(null as unknown as JetStreamProducerOptions),
      TypeError,
    );
    const ok = new JetStreamProducer({
      ...base,
      maxBatch: 10,
      fetchExpiresMs: 1_000,
      nakDelayMs: 0,
    });
    assert.equal(ok.stream, "S");
    assert.equal(ok.consumer, "c");
    assert.deepEqual(ok.stats(), {
      fetched: 0,
      emitted: 0,
      acked: 0,
      naked: 0,
      released: 0,
      ackErrors: 0,
      ignored: 0,
    });
  });
});

describe("JetStream pull loop (no pipeline)", { skip }, () => {
  let server: NatsServer | undefined;

  before(async () => {
    server = await startNats();
  });

  after(async () => {
    await server?.stop();
  });

  it("fetches no more than the demand, and acked messages leave the consumer", async () => {
    const nc = await server!.connect();
    try {
      const manager = await createStreamAndConsumer(nc, "PULL", "workers", 30_000);
      await publishNumbers(nc, "PULL", 50);
      const address = { connection: nc, stream: "PULL", consumer: "workers", create: undefined };
      const open = await openConsumer(address);
      const received: JsMsg[] = [];
      const failures: JetStreamError[] = [];
      const puller = new Puller(address, open, {
        maxBatch: 8,
        expiresMs: 1_000,
        maxOpen: 2,
        released: (m) => m.nak(),
      }, {
        messages: (batch) => (received.push(...batch), true),
        alive: () => true,
        failed: (error) => failures.push(error),
      });
      puller.demand(20);
      await waitFor("20 messages", () => received.length >= 20 ? true : undefined);
      // The server handed out exactly what was asked: 20 pending acks, 30 left.
      const info = await manager.consumers.info("PULL", "workers");
      assert.equal(info.num_ack_pending, 20);
      assert.equal(info.num_pending, 30);
      assert.equal(received.length, 20);
      puller.demand(30);
      await waitFor("50 messages", () => received.length >= 50 ? true : undefined);
      assert.deepEqual(
        received.map((m) => Number(decoder.decode(m.data))).sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, i) => i),
      );
      for (const m of received) m.ack();
      await waitFor("no ack pending", async () => {
        const info = await manager.consumers.info("PULL", "workers");
        return info.num_ack_pending === 0 && info.num_pending === 0 ? true : undefined;
      });
      puller.close();
      assert.deepEqual(failures, []);
    } finally {
      await nc.close();
    }
  });

  it("names a missing stream and a missing consumer, and creates a consumer when asked", async () => {
    const nc = await server!.connect();
    try {
      const missingStream = { connection: nc, stream: "NOPE", consumer: "c", create: undefined };
      await assert.rejects(openConsumer(missingStream), (error: unknown) => {
        assert.ok(error instanceof StreamNotFoundError, String(error));
        assert.equal(error.stream, "NOPE");
        return true;
      });
      await createStreamAndConsumer(nc, "LOOKUP", "existing", 30_000);
      const missingConsumer = {
        connection: nc,
        stream: "LOOKUP",
        consumer: "nope",
        create: undefined,
      };
      await assert.rejects(openConsumer(missingConsumer), ConsumerNotFoundError);
      const created = await openConsumer({
        ...missingConsumer,
        create: { ack_wait: 5_000_000_000 },
      });
      assert.equal((await created.consumer.info()).config.durable_name, "nope");
    } finally {
      await nc.close();
    }
  });

  it("a closed connection stops the pull loop with ConnectionLostError", async () => {
    const nc = await server!.connect();
    await createStreamAndConsumer(nc, "CLOSING", "workers", 30_000);
    const address = { connection: nc, stream: "CLOSING", consumer: "workers", create: undefined };
    const open = await openConsumer(address);
    const failures: JetStreamError[] = [];
    const puller = new Puller(address, open, {
      maxBatch: 8,
      expiresMs: 1_000,
      maxOpen: 1,
      released: (m) => m.nak(),
    }, { messages: () => true, alive: () => true, failed: (error) => failures.push(error) });
    puller.demand(10);
    await nc.close();
    await waitFor("a failure", () => failures.length > 0 ? true : undefined);
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof ConnectionLostError, String(failures[0]));
  });

  it("a killed server stops the pull loop with ConnectionLostError once the client gives up", async () => {
    const own = await startNats();
    try {
      const nc = await own.connect({ maxReconnectAttempts: 2, reconnectTimeWait: 100 });
      await createStreamAndConsumer(nc, "KILLED", "workers", 30_000);
      const address = { connection: nc, stream: "KILLED", consumer: "workers", create: undefined };
      const open = await openConsumer(address);
      const failures: JetStreamError[] = [];
      const puller = new Puller(address, open, {
        maxBatch: 8,
        expiresMs: 1_000,
        maxOpen: 1,
        released: (m) => m.nak(),
      }, { messages: () => true, alive: () => true, failed: (error) => failures.push(error) });
      puller.demand(10);
      await own.stop();
      await waitFor("a failure", () => failures.length > 0 ? true : undefined, {
        timeoutMs: 60_000,
      });
      assert.equal(failures.length, 1);
      assert.ok(failures[0] instanceof ConnectionLostError, String(failures[0]));
    } finally {
      await own.stop();
    }
  });

  it("a consumer deleted under the pull loop stops it with ConsumerNotFoundError", async () => {
    const nc = await server!.connect();
    try {
      const manager = await createStreamAndConsumer(nc, "DELETED", "workers", 30_000);
      const address = { connection: nc, stream: "DELETED", consumer: "workers", create: undefined };
      const open = await openConsumer(address);
      const failures: JetStreamError[] = [];
      const puller = new Puller(address, open, {
        maxBatch: 8,
        expiresMs: 1_000,
        maxOpen: 1,
        released: (m) => m.nak(),
      }, { messages: () => true, alive: () => true, failed: (error) => failures.push(error) });
      puller.demand(10);
      await manager.consumers.delete("DELETED", "workers");
      await waitFor("a failure", () => failures.length > 0 ? true : undefined, {
        timeoutMs: 60_000,
      });
      assert.equal(failures.length, 1);
      assert.ok(failures[0] instanceof ConsumerNotFoundError, String(failures[0]));
    } finally {
      await nc.close();
    }
  });
});

/** Acks per stream sequence, from the producer's `onSettle`. */
class AckAudit {
  readonly acks = new Map<number, number>();
  readonly naks = new Map<number, number>();
  readonly onSettle = (settlement: JetStreamSettlement) => {
    if (settlement.error !== undefined) return;
    const counts = settlement.outcome === "ack" ? this.acks : this.naks;
    counts.set(settlement.streamSequence, (counts.get(settlement.streamSequence) ?? 0) + 1);
  };

  /** Whether sequences 1..count are all acked. */
  allAcked(count: number): true | undefined {
    for (let seq = 1; seq <= count; seq++) if (!this.acks.has(seq)) return undefined;
    return true;
  }

  /** The sequences acked more than once, and any acked outside 1..count. */
  anomalies(count: number): string[] {
    const found: string[] = [];
    for (const [seq, n] of this.acks) {
      if (n !== 1) found.push(`seq ${seq} acked ${n} times`);
      if (seq < 1 || seq > count) found.push(`seq ${seq} unknown`);
    }
    return found;
  }
}

interface ConsumerArg {
  readonly to: Pid;
  readonly handle: (message: PipelineMessage<Uint8Array>) => void;
}

/** A plain stage consumer of a JetStream producer that hands every message to `handle`. */
const plainConsumer = defineStage<
  ConsumerArg["handle"],
  never,
  PipelineMessage<Uint8Array>,
  ConsumerArg
>({
  type: "consumer",
  init: ({ to, handle }) => ({
    state: handle,
    subscribeTo: [{ to, maxDemand: 10, minDemand: 5, cancel: "temporary" }],
  }),
  handleEvents: (events, _from, handle) => {
    for (const message of events) handle(message);
    return { state: handle };
  },
});

describe("JetStreamProducer as a stage (no pipeline)", { skip }, () => {
  let server: NatsServer | undefined;

  before(async () => {
    server = await startNats();
  });

  after(async () => {
    await server?.stop();
  });

  it("acks successes and naks failures through the acknowledger: all acked once", async () => {
    const nc = await server!.connect();
    const system = new System();
    try {
      const manager = await createStreamAndConsumer(nc, "STAGE", "workers", 30_000);
      await publishNumbers(nc, "STAGE", 100);
      const audit = new AckAudit();
      const source = new JetStreamProducer({
        connection: nc,
        stream: "STAGE",
        consumer: "workers",
        maxBatch: 16,
        fetchExpiresMs: 1_000,
        onSettle: audit.onSettle,
      });
      const producer = await system.start(source.stage());
      const seen = new Set<number>();
      const consumer = defineStage<null, never, PipelineMessage<Uint8Array>, Pid>({
        type: "consumer",
        init: (to) => ({ state: null, subscribeTo: [{ to, maxDemand: 10, minDemand: 5 }] }),
        handleEvents: (events, _from, state) => {
          for (const message of events) {
            const n = Number(decoder.decode(message.data));
            // Odd numbers fail on their first delivery: nak'ed, redelivered, then acked.
            const fail = n % 2 === 1 && !seen.has(n);
            seen.add(n);
            if (fail) message.acknowledger.ack([], [message]);
            else message.acknowledger.ack([message], []);
            // A second ack of the same delivery is ignored.
            message.acknowledger.ack([message], []);
          }
          return { state };
        },
      });
      await system.start(consumer, producer);
      await waitFor("all 100 acked", () => audit.allAcked(100));
      assert.deepEqual(audit.anomalies(100), []);
      assert.equal(audit.naks.size, 50);
      await waitFor("the consumer drained on the server", async () => {
        const info = await manager.consumers.info("STAGE", "workers");
        return info.num_ack_pending === 0 && info.num_pending === 0 ? true : undefined;
      });
      const stats = source.stats();
      assert.equal(stats.acked, 100);
      assert.equal(stats.naked, 50);
      assert.equal(stats.ignored, 150);
      assert.equal(stats.ackErrors, 0);
    } finally {
      await system.stopAll();
      await nc.close();
    }
  });

  it("a killed producer stops pulling: no pull request is left on the server", async () => {
    const nc = await server!.connect();
    const system = new System();
    try {
      const manager = await createStreamAndConsumer(nc, "KILL", "workers", 30_000);
      const source = new JetStreamProducer({
        connection: nc,
        stream: "KILL",
        consumer: "workers",
        fetchExpiresMs: 1_000,
      });
      const producer = await system.start(source.stage());
      await system.start(plainConsumer, { to: producer, handle: () => {} });
      await waitFor("a pull request waiting", async () => {
        const info = await manager.consumers.info("KILL", "workers");
        return info.num_waiting > 0 ? true : undefined;
      });
      system.exit(producer, "kill");
      await waitFor("no pull request waiting", async () => {
        const info = await manager.consumers.info("KILL", "workers");
        return info.num_waiting === 0 ? true : undefined;
      });
      await publishNumbers(nc, "KILL", 5);
      const info = await manager.consumers.info("KILL", "workers");
      assert.equal(info.num_pending, 5);
      assert.equal(info.num_ack_pending, 0);
    } finally {
      await system.stopAll();
      await nc.close();
    }
  });

  it("a missing stream fails the start with StreamNotFoundError", async () => {
    const nc = await server!.connect();
    const system = new System();
    try {
      const source = new JetStreamProducer({ connection: nc, stream: "MISSING", consumer: "c" });
      const error = await system.start(source.stage()).then(() => undefined, (e: unknown) => e);
      assert.ok(error !== undefined, "the start failed");
      assert.ok(causes(error).some((e) => e instanceof StreamNotFoundError), String(error));
    } finally {
      await system.stopAll();
      await nc.close();
    }
  });

  it("a killed server: the producer exits with ConnectionLostError, it does not hang", async () => {
    const own = await startNats();
    const system = new System();
    try {
      const nc = await own.connect({ maxReconnectAttempts: 2, reconnectTimeWait: 100 });
      await createStreamAndConsumer(nc, "LOST", "workers", 30_000);
      const source = new JetStreamProducer({ connection: nc, stream: "LOST", consumer: "workers" });
      const producer = await system.start(source.stage());
      await system.start(plainConsumer, { to: producer, handle: () => {} });
      const exited = system.whenExited(producer);
      await own.stop();
      const reason = await exited;
      assert.ok(reason instanceof ConnectionLostError, String(reason));
      assert.equal(reason.stream, "LOST");
    } finally {
      await system.stopAll();
      await own.stop();
    }
  });
});

describe("JetStreamProducer in a pipeline", { skip }, () => {
  let server: NatsServer | undefined;

  before(async () => {
    server = await startNats();
  });

  after(async () => {
    await server?.stop();
  });

  it("processors failing and killed at random: every message acked exactly once", async () => {
    const count = 600;
    const nc = await server!.connect();
    const system = new System();
    try {
      // ack_wait well above any pause of a busy machine, so a message is redelivered only when
      // it was nak'ed or lost with a killed processor, never while it is still being handled.
      const manager = await createStreamAndConsumer(nc, "CHAOS", "workers", 3_000);
      await publishNumbers(nc, "CHAOS", count);
      const audit = new AckAudit();
      const source = new JetStreamProducer({
        connection: nc,
        stream: "CHAOS",
        consumer: "workers",
        fetchExpiresMs: 1_000,
        onSettle: audit.onSettle,
      });
      const random = seeded(15);
      const deliveries = new Map<number, number>();
      let handled = 0;
      const victims: Pid[] = [];
      let hangAt = [150, 400];
      const pipeline = await Pipeline.start(system, {
        name: "chaos",
        producer: { stage: source.stage() },
        processors: { default: { concurrency: 4, maxDemand: 10, minDemand: 5 } },
        handleMessage: async (_processor, message, ctx) => {
          const { streamSequence } = jetStreamMetadataOf(message);
          deliveries.set(streamSequence, (deliveries.get(streamSequence) ?? 0) + 1);
          handled++;
          if (hangAt.length > 0 && handled >= hangAt[0]) {
            // This processor hangs mid-batch until the test kills it: its messages are lost,
            // never acked, and the server redelivers them after ack_wait.
            hangAt = hangAt.slice(1);
            victims.push(ctx.self);
            return await new Promise<never>(() => {});
          }
          await Promise.resolve();
          if (random() < 0.1) throw new Error(`failing ${streamSequence} (nak, redelivered)`);
          return message;
        },
      });
      for (const round of [1, 2]) {
        const victim = await waitFor(`victim ${round}`, () => victims[round - 1]);
        system.exit(victim, "kill");
      }
      await waitFor(`all ${count} acked`, () => audit.allAcked(count), { timeoutMs: 120_000 });
      await waitFor("nothing pending on the server", async () => {
        const info = await manager.consumers.info("CHAOS", "workers");
        return info.num_ack_pending === 0 && info.num_pending === 0 ? info : undefined;
      }, { timeoutMs: 60_000 });
      assert.deepEqual(audit.anomalies(count), []);
      assert.equal(audit.acks.size, count);
      assert.ok(audit.naks.size > 0, "some messages failed and were nak'ed");
      // Redelivered without a nak: lost with a killed processor, back after ack_wait.
      const lost = [...deliveries].filter(([seq, n]) => n > 1 + (audit.naks.get(seq) ?? 0));
      assert.ok(lost.length > 0, "some messages were lost with a killed processor and redelivered");
      await pipeline.stop();
      const stats = source.stats();
      assert.equal(stats.acked, count);
      assert.equal(stats.ackErrors, 0);
    } finally {
      await system.stopAll();
      await nc.close();
    }
  });

  it("stopped mid-stream and started again: nothing lost, nothing acked twice", async () => {
    const first = 1_000;
    const more = 200;
    const nc = await server!.connect();
    const system = new System();
    try {
      const manager = await createStreamAndConsumer(nc, "RESTART", "workers", 3_000);
      await publishNumbers(nc, "RESTART", first);
      const audit = new AckAudit();
      const start = async (source: JetStreamProducer) =>
        await Pipeline.start(system, {
          name: "restart",
          producer: { stage: source.stage() },
          processors: { default: { concurrency: 2, maxDemand: 20, minDemand: 10 } },
          handleMessage: async (_processor, message) => {
            await new Promise((resolve) => setTimeout(resolve, 0));
            return message;
          },
        });
      const options = {
        connection: nc,
        stream: "RESTART",
        consumer: "workers",
        fetchExpiresMs: 1_000,
        onSettle: audit.onSettle,
      };
      const before = new JetStreamProducer(options);
      const pipeline = await start(before);
      await waitFor("200 acked", () => audit.acks.size >= 200 ? true : undefined);
      await pipeline.stop();
      const stopped = before.stats();
      // Everything the pipeline took was settled by the drain.
      assert.equal(stopped.emitted, stopped.acked + stopped.naked);
      assert.ok(stopped.acked < first, `stopped mid-stream (${stopped.acked} acked)`);
      assert.deepEqual(audit.anomalies(first), []);

      await publishNumbers(nc, "RESTART", more, first);
      const after = new JetStreamProducer(options);
      const again = await start(after);
      await waitFor("all acked", () => audit.allAcked(first + more), { timeoutMs: 120_000 });
      await waitFor("nothing pending on the server", async () => {
        const info = await manager.consumers.info("RESTART", "workers");
        return info.num_ack_pending === 0 && info.num_pending === 0 ? info : undefined;
      }, { timeoutMs: 60_000 });
      await again.stop();
      assert.deepEqual(audit.anomalies(first + more), []);
      assert.equal(audit.acks.size, first + more);
      assert.equal(before.stats().acked + after.stats().acked, first + more);
    } finally {
      await system.stopAll();
      await nc.close();
    }
  });

  it("a stream that does not exist: Pipeline.start fails with StreamNotFoundError", async () => {
    const nc = await server!.connect();
    const system = new System();
    try {
      const source = new JetStreamProducer({ connection: nc, stream: "ABSENT", consumer: "c" });
      const error = await Pipeline.start(system, {
        name: "absent",
        producer: { stage: source.stage() },
        processors: { default: {} },
        handleMessage: (_processor, message) => message,
      }).then(() => undefined, (e: unknown) => e);
      assert.ok(causes(error).some((e) => e instanceof StreamNotFoundError), String(error));
    } finally {
      await system.stopAll();
      await nc.close();
    }
  });

  it("a lost connection: the producer exits with ConnectionLostError and the pipeline stops", async () => {
    const own = await startNats();
    const system = new System();
    try {
      const nc = await own.connect({ maxReconnectAttempts: 2, reconnectTimeWait: 100 });
      await createStreamAndConsumer(nc, "GONE", "workers", 30_000);
      await publishNumbers(nc, "GONE", 10);
      const source = new JetStreamProducer({ connection: nc, stream: "GONE", consumer: "workers" });
      const pipeline = await Pipeline.start(system, {
        name: "gone",
        producer: { stage: source.stage() },
        processors: { default: {} },
        handleMessage: (_processor, message) => message,
      });
      await waitFor("10 acked", () => source.stats().acked >= 10 ? true : undefined);
      const producer = system.whereis("gone.producer.0")!;
      const supervisor = pipeline.pid!;
      const producerExit = system.whenExited(producer);
      const pipelineExit = system.whenExited(supervisor);
      await own.stop();
      const reason = await producerExit;
      assert.ok(reason instanceof ConnectionLostError, String(reason));
      // Restarted, it cannot open the consumer on a closed connection: the pipeline gives up.
      await pipelineExit;
    } finally {
      await system.stopAll();
      await own.stop();
    }
  });
});

/** A small deterministic PRNG (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `error` and its chain of causes. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && chain.length < 10; e = (e as { cause?: unknown })?.cause) {
    chain.push(e);
    if (typeof e !== "object" || e === null) break;
  }
  return chain;
}
