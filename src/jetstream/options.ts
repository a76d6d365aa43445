/**
 * The options of a {@linkcode JetStreamProducer}.
 *
 * @module
 */

import type { ConsumerConfig } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamSettlement } from "./settlement.ts";

/**
 * Where a {@linkcode JetStreamProducer} reads, and how it pulls.
 *
 * @example A durable consumer created on first use
 * ```ts
 * import type { NatsConnection } from "@nats-io/nats-core";
 * import type { JetStreamProducerOptions } from "@beamlet/beamlet/jetstream";
 *
 * const options = (connection: NatsConnection): JetStreamProducerOptions => ({
 *   connection,
 *   stream: "ORDERS",
 *   consumer: "workers",
 *   create: { ack_wait: 30_000_000_000, max_deliver: -1 }, // ns, as JetStream counts
 *   maxBatch: 100,
 *   fetchExpiresMs: 5_000,
 * });
 * ```
 */
export interface JetStreamProducerOptions {
  /** A connected client (`connect` of `@nats-io/transport-node`, `wsconnect`, ...). */
  readonly connection: NatsConnection;
  /** The stream's name. */
  readonly stream: string;
  /** The durable pull consumer's name. */
  readonly consumer: string;
  /**
   * Create the durable consumer with this configuration when it does not
   * exist (`durable_name` is `consumer`, `ack_policy` explicit unless set).
   * Without it, a missing consumer is a {@linkcode ConsumerNotFoundError}.
   */
  readonly create?: Partial<ConsumerConfig>;
  /** The most messages one pull request asks for (default 256; demand above it is split). */
  readonly maxBatch?: number;
  /** How long a pull request waits for messages on the server, in ms (default 5000, at least 1000). */
  readonly fetchExpiresMs?: number;
  /** Pull requests open at once, at most (default 4). */
  readonly maxOpenFetches?: number;
  /** Redeliver a failed message after this many ms (default: at once, or the consumer's `backoff`). */
  readonly nakDelayMs?: number;
  /** Told of every ack and nak sent (an audit; a throw is ignored). */
  readonly onSettle?: (settlement: JetStreamSettlement) => void;
}
