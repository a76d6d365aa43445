/**
 * Named errors of the JetStream producer. Each is the producer's exit reason
 * when it cannot go on (its supervisor decides what happens next); none of
 * them loses a message: whatever was fetched and not acked is redelivered by
 * the server after the consumer's `ack_wait`.
 *
 * @module
 */

/**
 * The base of every JetStream producer error: `stream` and `consumer` name
 * what the producer was reading.
 *
 * @example Telling a JetStream exit from a crash
 * ```ts
 * import { JetStreamError } from "@beamlet/beamlet/jetstream";
 *
 * const describe = (reason: unknown) =>
 *   reason instanceof JetStreamError ? `${reason.stream}/${reason.consumer}: ${reason.message}` : String(reason);
 * console.log(describe(new Error("boom"))); // Error: boom
 * ```
 */
export class JetStreamError extends Error {
  /** The stream's name. */
  readonly stream: string;
  /** The durable consumer's name. */
  readonly consumer: string;

  /** Built by the subclasses. */
  constructor(stream: string, consumer: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "JetStreamError";
    this.stream = stream;
    this.consumer = consumer;
  }
}

/**
 * The stream does not exist (at start, or it was deleted while the producer
 * was reading it).
 *
 * @example
 * ```ts
 * import { StreamNotFoundError } from "@beamlet/beamlet/jetstream";
 *
 * const error = new StreamNotFoundError("ORDERS", "workers");
 * console.log(error.message); // JetStream stream ORDERS does not exist
 * ```
 */
export class StreamNotFoundError extends JetStreamError {
  /** Built by the producer, with the client's error as `cause`. */
  constructor(stream: string, consumer: string, options?: ErrorOptions) {
    super(stream, consumer, `JetStream stream ${stream} does not exist`, options);
    this.name = "StreamNotFoundError";
  }
}

/**
 * The durable consumer does not exist on its stream (and the producer was not
 * told to create it), or it was deleted while the producer was reading it.
 *
 * @example
 * ```ts
 * import { ConsumerNotFoundError } from "@beamlet/beamlet/jetstream";
 *
 * const error = new ConsumerNotFoundError("ORDERS", "workers");
 * console.log(error.message); // JetStream consumer workers does not exist on stream ORDERS
 * ```
 */
export class ConsumerNotFoundError extends JetStreamError {
  /** Built by the producer, with the client's error as `cause`. */
  constructor(stream: string, consumer: string, options?: ErrorOptions) {
    super(
      stream,
      consumer,
      `JetStream consumer ${consumer} does not exist on stream ${stream}`,
      options,
    );
    this.name = "ConsumerNotFoundError";
  }
}

/**
 * The NATS connection closed: the client gave up reconnecting, or it was
 * closed while the producer was running. While the client is only
 * reconnecting, the producer waits instead.
 *
 * @example
 * ```ts
 * import { ConnectionLostError } from "@beamlet/beamlet/jetstream";
 *
 * const error = new ConnectionLostError("ORDERS", "workers");
 * console.log(error.name); // ConnectionLostError
 * ```
 */
export class ConnectionLostError extends JetStreamError {
  /** Built by the producer, with the client's close error (if any) as `cause`. */
  constructor(stream: string, consumer: string, options?: ErrorOptions) {
    super(
      stream,
      consumer,
      `the NATS connection closed (stream ${stream}, consumer ${consumer})`,
      options,
    );
    this.name = "ConnectionLostError";
  }
}
