/**
 * One `/events` stream: an event subscription (the observation layer's
 * bounded, drop-oldest queue, with `gap` frames) written as server-sent
 * events at the reader's pace, and a heartbeat. Closing it — the reader
 * went away, the request was aborted, the app was closed — closes the
 * subscription, clears the heartbeat and turns every later write into a
 * no-op.
 *
 * @module
 */

import type { SSEStreamingApi } from "hono/streaming";
import { EventSubscription } from "../observe/event_subscription.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { TelemetryEvent } from "../telemetry/types.ts";

/** What a stream needs to run. */
export interface SseClientOptions {
  readonly telemetry: Telemetry;
  /** The exact events to attach to (non-empty). */
  readonly events: readonly TelemetryEvent[];
  readonly queueSize: number;
  readonly heartbeatMs: number;
  /** Aborted when the client goes away (the request's signal). */
  readonly requestSignal: AbortSignal | undefined;
  /** Called once, when the stream closes. */
  readonly onClose: (client: SseClient) => void;
}

/** One live `/events` stream. */
export class SseClient {
  readonly #options: SseClientOptions;
  readonly #subscription: EventSubscription;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #stream: SSEStreamingApi | undefined;
  #pingDue = false;
  #closed = false;

  /** Subscribes to the events and starts the heartbeat. */
  constructor(options: SseClientOptions) {
    this.#options = options;
    this.#subscription = new EventSubscription(options.telemetry, options.events, {
      queueSize: options.queueSize,
      handlerName: "beamlet.http.events",
    });
    this.#heartbeat = setInterval(() => {
      this.#pingDue = true;
      this.#subscription.interrupt();
    }, options.heartbeatMs);
    const signal = options.requestSignal;
    if (signal?.aborted) this.close();
    else signal?.addEventListener("abort", this.close);
  }

  /** The telemetry handler id (unique to this stream). */
  get handlerId(): symbol {
    return this.#subscription.handlerId;
  }

  /** Whether the stream is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes queued events to `stream` until the stream is closed. */
  async run(stream: SSEStreamingApi): Promise<void> {
    this.#stream = stream;
    stream.onAbort(this.close);
    if (stream.aborted) this.close();
    const subscription = this.#subscription;
    while (!this.#closed) {
      const frame = subscription.take();
      if (frame !== undefined) {
        if (frame.type === "gap") {
          await this.#write("gap", JSON.stringify({ dropped: frame.dropped }));
        } else await this.#write("telemetry", frame.json);
        continue;
      }
      if (this.#pingDue) {
        this.#pingDue = false;
        if (!this.#closed) await stream.write(": ping\n\n");
        continue;
      }
      await subscription.wait();
    }
  }

  /** Closes the subscription, clears the heartbeat and ends `run`. Idempotent. */
  readonly close = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    const options = this.#options;
    clearInterval(this.#heartbeat);
    options.requestSignal?.removeEventListener("abort", this.close);
    this.#subscription.close();
    options.onClose(this);
    void this.#stream?.close();
  };

  async #write(event: string, data: string): Promise<void> {
    if (this.#closed || this.#stream === undefined) return;
    await this.#stream.writeSSE({ event, data });
  }
}
