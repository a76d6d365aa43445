/**
 * A pipeline source reading a NATS JetStream durable pull consumer.
 *
 * @module
 */

import type { ProducerStageDefinition } from "../pipeline/producer_stage_definition.ts";
import { definePipelineProducer } from "../pipeline/_producer_callbacks.ts";
import type { StageDefinition } from "../stages/define_stage.ts";
import { emptyStats, type MutableStats } from "./_acknowledger.ts";
import { producerCallbacks } from "./_producer_callbacks.ts";
import type { JetStreamProducerOptions } from "./options.ts";
import { type ProducerSettings, producerSettings } from "./_settings.ts";
import type { JetStreamProducerStats } from "./settlement.ts";

/**
 * A stage producer that pulls messages from a JetStream durable pull
 * consumer as its consumers ask, and settles each one through the
 * pipeline's acknowledgement: successful messages are acked, failed ones
 * nak'ed (the server redelivers them).
 *
 * - **Demand:** a demand of `n` becomes pull requests for `n` messages in
 *   all (`consumer.fetch({ max_messages, expires })`, at most `maxBatch`
 *   each, `maxOpenFetches` open at once); what a request did not bring
 *   before it expired is asked again. The producer never holds more
 *   messages than were asked for.
 * - **Draining** (`pipeline.stop()`): it stops pulling; a message that
 *   still arrives is nak'ed at once.
 * - **Crashes:** a message lost with a crashed processor is never acked;
 *   the server redelivers it after the consumer's `ack_wait`. Each delivery
 *   is acked or nak'ed at most once.
 * - **Errors:** a missing stream or consumer, at start or later, stops the
 *   producer with {@linkcode StreamNotFoundError} /
 *   {@linkcode ConsumerNotFoundError}; a closed connection (the client gave
 *   up reconnecting) with {@linkcode ConnectionLostError}. While the client
 *   reconnects, the producer waits.
 *
 * Messages are `PipelineMessage<Uint8Array>`: `data` is the payload,
 * `metadata` a {@linkcode JetStreamMetadata}.
 *
 * @example Orders from JetStream through a pipeline
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
 *   handleMessage: (_processor, message) => {
 *     console.log(new TextDecoder().decode(message.data));
 *     return message;
 *   },
 * });
 * // ... later: stop pulling, finish, ack
 * await pipeline.stop();
 * await nc.drain();
 * ```
 */
export class JetStreamProducer {
  readonly #settings: ProducerSettings;
  readonly #stats: MutableStats = emptyStats();

  /** Checks `options` (a `TypeError` or `RangeError` saying what was expected); connects nothing yet. */
  constructor(options: JetStreamProducerOptions) {
    this.#settings = producerSettings(options);
  }

  /** The stream's name. */
  get stream(): string {
    return this.#settings.stream;
  }

  /** The durable consumer's name. */
  get consumer(): string {
    return this.#settings.consumer;
  }

  /**
   * The producer stage, for a pipeline's `producer: { stage }` — also a
   * stage definition `system.start` takes, for consumers of your own. Every
   * process started from it opens the consumer in its `init` (a missing
   * stream or consumer makes the start fail with the named error) and
   * pulls on its own.
   */
  stage(): ProducerStageDefinition<Uint8Array> & StageDefinition<unknown> {
    return definePipelineProducer<unknown>(producerCallbacks(this.#settings, this.#stats));
  }

  /** A copy of the counters, over every process started from {@linkcode stage}. */
  stats(): JetStreamProducerStats {
    return { ...this.#stats };
  }
}
