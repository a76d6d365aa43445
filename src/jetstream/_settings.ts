/**
 * The checks and defaults of {@linkcode JetStreamProducerOptions} (private).
 *
 * @module
 */

import type { ConsumerConfig } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamProducerOptions } from "./options.ts";
import type { JetStreamSettlement } from "./settlement.ts";

/** The options, checked, with defaults. */
export interface ProducerSettings {
  readonly connection: NatsConnection;
  readonly stream: string;
  readonly consumer: string;
  readonly create: Partial<ConsumerConfig> | undefined;
  readonly maxBatch: number;
  readonly fetchExpiresMs: number;
  readonly maxOpenFetches: number;
  readonly nakDelayMs: number | undefined;
  readonly onSettle: ((settlement: JetStreamSettlement) => void) | undefined;
}

/** The least `expires` the client accepts. */
const MIN_EXPIRES_MS = 1_000;

/** Checks `options` (a `TypeError` or `RangeError` saying what was expected). */
export function producerSettings(options: JetStreamProducerOptions): ProducerSettings {
  const where = "JetStreamProducer";
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object`);
  }
  const { connection, stream, consumer, create, onSettle } = options;
  if (
    typeof connection !== "object" || connection === null ||
    typeof (connection as Partial<NatsConnection>).closed !== "function" ||
    typeof (connection as Partial<NatsConnection>).isClosed !== "function"
  ) {
    throw new TypeError(`${where}: connection must be a NatsConnection`);
  }
  for (const [name, value] of [["stream", stream], ["consumer", consumer]] as const) {
    if (typeof value !== "string" || value === "") {
      throw new TypeError(`${where}: ${name} must be a non-empty string`);
    }
  }
  if (create !== undefined && (typeof create !== "object" || create === null)) {
    throw new TypeError(`${where}: create must be a consumer configuration object`);
  }
  if (onSettle !== undefined && typeof onSettle !== "function") {
    throw new TypeError(`${where}: onSettle must be a function`);
  }
  return {
    connection,
    stream,
    consumer,
    create,
    maxBatch: positiveInteger(where, "maxBatch", options.maxBatch, 256),
    fetchExpiresMs: integerAtLeast(
      where,
      "fetchExpiresMs",
      options.fetchExpiresMs,
      MIN_EXPIRES_MS,
      5_000,
    ),
    maxOpenFetches: positiveInteger(where, "maxOpenFetches", options.maxOpenFetches, 4),
    nakDelayMs: options.nakDelayMs === undefined
      ? undefined
      : integerAtLeast(where, "nakDelayMs", options.nakDelayMs, 0, 0),
    onSettle,
  };
}

function positiveInteger(where: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be a number`);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function integerAtLeast(
  where: string,
  name: string,
  value: unknown,
  least: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be a number`);
  if (!Number.isSafeInteger(value) || value < least) {
    throw new RangeError(`${where}: ${name} must be an integer of at least ${least}, got ${value}`);
  }
  return value;
}
