/**
 * Finds (or creates) the durable pull consumer a producer reads, and tells
 * the client's errors apart: a missing stream, a missing consumer and a
 * closed connection become this entry's named errors (private).
 *
 * @module
 */

import {
  AckPolicy,
  type Consumer,
  type ConsumerConfig,
  type JetStreamManager,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  ConnectionLostError,
  ConsumerNotFoundError,
  JetStreamError,
  StreamNotFoundError,
} from "./errors.ts";

/** The JetStream API error codes the lookup tells apart (`JetStreamApiCodes`). */
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

/** What a producer reads from. */
export interface ConsumerAddress {
  readonly connection: NatsConnection;
  readonly stream: string;
  readonly consumer: string;
  /** Create the durable consumer with this configuration when it is missing. */
  readonly create: Partial<ConsumerConfig> | undefined;
}

/** An open consumer and the manager that checks on it. */
export interface OpenConsumer {
  readonly manager: JetStreamManager;
  readonly consumer: Consumer;
}

/** The JetStream API error code of `error`, if it carries one. */
function apiCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  try {
    const code = (error as { code?: unknown }).code;
    return typeof code === "number" ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The named error for `error`, met while using `address`: not-found codes and
 * a closed connection get their class, anything else is wrapped in a
 * {@linkcode JetStreamError} with it as `cause`.
 */
export function namedError(address: ConsumerAddress, error: unknown): JetStreamError {
  if (error instanceof JetStreamError) return error;
  const { stream, consumer } = address;
  if (address.connection.isClosed()) {
    return new ConnectionLostError(stream, consumer, { cause: error });
  }
  switch (apiCode(error)) {
    case STREAM_NOT_FOUND:
      return new StreamNotFoundError(stream, consumer, { cause: error });
    case CONSUMER_NOT_FOUND:
      return new ConsumerNotFoundError(stream, consumer, { cause: error });
  }
  const message = error instanceof Error ? error.message : "unknown error";
  return new JetStreamError(stream, consumer, `JetStream ${stream}/${consumer}: ${message}`, {
    cause: error,
  });
}

/**
 * Opens the consumer of `address`: checks the stream, then the consumer
 * (creating it with `address.create` when it is missing and that is set).
 * Rejects with a {@linkcode JetStreamError} subclass.
 */
export async function openConsumer(address: ConsumerAddress): Promise<OpenConsumer> {
  const { connection, stream, consumer, create } = address;
  try {
    const manager = await jetstreamManager(connection);
    await manager.streams.info(stream);
    try {
      await manager.consumers.info(stream, consumer);
    } catch (error) {
      if (create === undefined || apiCode(error) !== CONSUMER_NOT_FOUND) throw error;
      await manager.consumers.add(stream, {
        ack_policy: AckPolicy.Explicit,
        ...create,
        durable_name: consumer,
      });
    }
    return { manager, consumer: await manager.jetstream().consumers.get(stream, consumer) };
  } catch (error) {
    throw namedError(address, error);
  }
}

/**
 * Why a pull failed, as the producer's exit reason — the stream or consumer
 * is gone, or the connection closed — or `undefined` when it is worth
 * pulling again (a timeout, missed heartbeats while reconnecting).
 */
export async function terminalError(
  address: ConsumerAddress,
  manager: JetStreamManager,
  error: unknown,
): Promise<JetStreamError | undefined> {
  if (address.connection.isClosed()) return namedError(address, error);
  try {
    await manager.consumers.info(address.stream, address.consumer);
    return undefined;
  } catch (infoError) {
    const named = namedError(address, infoError);
    return named instanceof StreamNotFoundError || named instanceof ConsumerNotFoundError ||
        named instanceof ConnectionLostError
      ? named
      : undefined;
  }
}
