/**
 * A real pipeline source: a NATS JetStream durable pull consumer, read with
 * demand, acked per message.
 *
 * {@linkcode JetStreamProducer} is a stage producer for
 * `@beamlet/beamlet/pipeline`: the processors' demand becomes pull requests
 * for exactly that many messages, each message leaves as a
 * `PipelineMessage<Uint8Array>` (its {@linkcode JetStreamMetadata} says
 * where it sits in the stream), and the pipeline's acknowledgement settles
 * it: acked when successful, nak'ed when failed (the server redelivers it).
 * A message lost with a crashed processor is redelivered by the server after
 * the consumer's `ack_wait`; `pipeline.stop()` stops pulling and acks what
 * is in flight. A missing stream or consumer and a closed connection stop
 * the producer with a named {@linkcode JetStreamError} as its exit reason.
 *
 * Needs the `@nats-io/jetstream` client (an optional peer dependency) and a
 * `NatsConnection` you open with your runtime's transport
 * (`@nats-io/transport-node` on Node, Bun and Deno). See `docs/jetstream.md`.
 *
 * @example A pipeline over a JetStream consumer
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { Pipeline } from "@beamlet/beamlet/pipeline";
 * import { JetStreamProducer } from "@beamlet/beamlet/jetstream";
 * import { connect } from "@nats-io/transport-node";
 *
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const source = new JetStreamProducer({ connection: nc, stream: "ORDERS", consumer: "workers" });
 * const system = new System();
 * const pipeline = await Pipeline.start(system, {
 *   name: "orders",
 *   producer: { stage: source.stage() },
 *   processors: { default: { concurrency: 4 } },
 *   handleMessage: (_processor, message) => message,
 * });
 * await pipeline.stop();
 * console.log(source.stats().acked);
 * await nc.drain();
 * ```
 *
 * @module
 */

export { JetStreamProducer } from "./src/jetstream/jetstream_producer.ts";
export type { JetStreamProducerOptions } from "./src/jetstream/options.ts";
export { type JetStreamMetadata, jetStreamMetadataOf } from "./src/jetstream/metadata.ts";
export type { JetStreamProducerStats, JetStreamSettlement } from "./src/jetstream/settlement.ts";
export {
  ConnectionLostError,
  ConsumerNotFoundError,
  JetStreamError,
  StreamNotFoundError,
} from "./src/jetstream/errors.ts";
