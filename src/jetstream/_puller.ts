/**
 * The pull loop of a JetStream producer, without the stage around it
 * (private).
 *
 * Demand maps onto pull requests: `demand(n)` adds `n` to what is wanted, and
 * pull requests (`consumer.fetch({ max_messages, expires })`) of at most
 * `maxBatch` each cover it, at most `maxOpen` at once. The messages a pull
 * request did not bring (it expired first) are wanted again, so the messages
 * delivered never exceed the demand given. Messages reach the sink in
 * batches, one per burst the client received.
 *
 * `drain()` stops pulling: the open pull requests are closed and a message
 * that still arrives is nak'ed (the server redelivers it). A pull that fails
 * is retried with a growing delay, unless the stream or consumer is gone or
 * the connection closed: then the sink's `failed` is called once, with the
 * named error, and the puller stops.
 *
 * @module
 */

import type { ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import { ConnectionLostError, type JetStreamError } from "./errors.ts";
import {
  type ConsumerAddress,
  namedError,
  type OpenConsumer,
  terminalError,
} from "./_consumer_lookup.ts";

/** Where the puller delivers. */
export interface PullerSink {
  /** A batch of fetched messages; `false` when they could not be taken (the owner is gone). */
  messages(batch: JsMsg[]): boolean;
  /** Whether the owner is still there (a killed owner runs no clean-up: the puller stops itself). */
  alive(): boolean;
  /** The puller stopped for good, with this reason (called at most once). */
  failed(error: JetStreamError): void;
}

/** How the puller pulls. */
export interface PullerSettings {
  readonly maxBatch: number;
  readonly expiresMs: number;
  readonly maxOpen: number;
  /** Called with every message the puller naks itself (fetched after a drain or close). */
  readonly released: (message: JsMsg) => void;
}

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

/** Pulls with demand from one open consumer. */
export class Puller {
  readonly #address: ConsumerAddress;
  readonly #open: OpenConsumer;
  readonly #settings: PullerSettings;
  readonly #sink: PullerSink;
  readonly #requests = new Set<ConsumerMessages>();
  #wanted = 0;
  #pulling = 0;
  #stopped = false;
  #draining = false;
  #retryMs = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  /** Starts idle: nothing is pulled before the first `demand`. */
  constructor(
    address: ConsumerAddress,
    open: OpenConsumer,
    settings: PullerSettings,
    sink: PullerSink,
  ) {
    this.#address = address;
    this.#open = open;
    this.#settings = settings;
    this.#sink = sink;
    address.connection.closed().then(
      (cause) => this.#fail(connectionLost(address, cause)),
      (cause) => this.#fail(connectionLost(address, cause)),
    );
  }

  /** Demand not yet covered by an open pull request. */
  get wanted(): number {
    return this.#wanted;
  }

  /** Pull requests open now. */
  get pulling(): number {
    return this.#pulling;
  }

  /** Adds `count` to the demand and pulls. */
  demand(count: number): void {
    this.#wanted += count;
    this.#pump();
  }

  /** Stops pulling; messages that still arrive are nak'ed. */
  drain(): void {
    this.#draining = true;
    this.#closeRequests();
  }

  /** Stops for good (no `failed` call). */
  close(): void {
    this.#stopped = true;
    this.#closeRequests();
  }

  #closeRequests(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    for (const request of this.#requests) request.close().catch(() => {});
  }

  #fail(error: JetStreamError): void {
    if (this.#stopped) return;
    this.close();
    this.#sink.failed(error);
  }

  #pump(): void {
    if (!this.#stopped && !this.#sink.alive()) return this.close();
    const { maxBatch, maxOpen } = this.#settings;
    while (
      !this.#stopped && !this.#draining && this.#retryTimer === undefined &&
      this.#wanted > 0 && this.#pulling < maxOpen
    ) {
      const count = Math.min(this.#wanted, maxBatch);
      this.#wanted -= count;
      this.#pulling++;
      // #pull settles its own failures; this only guards the host against a bug's rejection.
      this.#pull(count).catch((error) => this.#fail(namedError(this.#address, error)));
    }
  }

  async #pull(count: number): Promise<void> {
    let received = 0;
    let failure: { error: unknown } | undefined;
    let request: ConsumerMessages | undefined;
    try {
      request = await this.#open.consumer.fetch({
        max_messages: count,
        expires: this.#settings.expiresMs,
      });
      this.#requests.add(request);
      if (this.#stopped || this.#draining) request.close().catch(() => {});
      let batch: JsMsg[] = [];
      for await (const message of request) {
        received++;
        if (this.#stopped || this.#draining) {
          this.#settings.released(message);
          continue;
        }
        batch.push(message);
        if (request.getPending() === 0) {
          this.#deliver(batch);
          batch = [];
        }
      }
      this.#deliver(batch);
    } catch (error) {
      failure = { error };
    } finally {
      if (request !== undefined) this.#requests.delete(request);
      this.#pulling--;
    }
    this.#wanted += count - received;
    if (this.#stopped) return;
    if (failure === undefined && !this.#address.connection.isClosed()) {
      this.#retryMs = 0;
      this.#pump();
      return;
    }
    const error = failure?.error;
    const terminal = await terminalError(this.#address, this.#open.manager, error);
    if (terminal !== undefined) return this.#fail(terminal);
    this.#retryLater();
  }

  #deliver(batch: JsMsg[]): void {
    if (batch.length === 0) return;
    if (this.#stopped || this.#draining || !this.#sink.messages(batch)) {
      for (const message of batch) this.#settings.released(message);
      if (!this.#draining) this.close();
    }
  }

  #retryLater(): void {
    if (this.#stopped || this.#draining || this.#retryTimer !== undefined) return;
    this.#retryMs = Math.min(
      LAST_RETRY_MS,
      this.#retryMs === 0 ? FIRST_RETRY_MS : this.#retryMs * 2,
    );
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#pump();
    }, this.#retryMs);
  }
}

function connectionLost(address: ConsumerAddress, cause: unknown): ConnectionLostError {
  return new ConnectionLostError(address.stream, address.consumer, cause ? { cause } : undefined);
}
