/**
 * One `/events` stream: a telemetry handler feeding a bounded queue
 * (drop-oldest, with a `gap` event telling how many were dropped), a writer
 * that drains it at the reader's pace, and a heartbeat. Closing it — the
 * reader went away, the request was aborted, the app was closed — detaches
 * the handler, clears the heartbeat and turns every later write into a
 * no-op.
 *
 * @module
 */

import type { SSEStreamingApi } from "hono/streaming";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { Measurements, Metadata, TelemetryEvent } from "../telemetry/types.ts";
import { DropOldestQueue } from "./_sse_queue.ts";
import { sanitizeRecord } from "./_sanitize.ts";

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
  /** The telemetry handler id (unique to this stream). */
  readonly handlerId: symbol = Symbol("beamlet.http.events");
  readonly #options: SseClientOptions;
  readonly #queue: DropOldestQueue<string>;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #stream: SSEStreamingApi | undefined;
  #wake: (() => void) | undefined;
  #pingDue = false;
  #closed = false;

  /** Attaches to the events and starts the heartbeat. */
  constructor(options: SseClientOptions) {
    this.#options = options;
    this.#queue = new DropOldestQueue(options.queueSize);
    options.telemetry.attachMany(this.handlerId, options.events, this.#handle);
    this.#heartbeat = setInterval(() => {
      this.#pingDue = true;
      this.#notify();
    }, options.heartbeatMs);
    const signal = options.requestSignal;
    if (signal?.aborted) this.close();
    else signal?.addEventListener("abort", this.close);
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
    while (!this.#closed) {
      const dropped = this.#queue.takeDropped();
      if (dropped > 0) {
        await this.#write("gap", JSON.stringify({ dropped }));
        continue;
      }
      const data = this.#queue.shift();
      if (data !== undefined) {
        await this.#write("telemetry", data);
        continue;
      }
      if (this.#pingDue) {
        this.#pingDue = false;
        if (!this.#closed) await stream.write(": ping\n\n");
        continue;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Detaches the handler, clears the heartbeat and ends `run`. Idempotent. */
  readonly close = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    const options = this.#options;
    options.telemetry.detach(this.handlerId);
    clearInterval(this.#heartbeat);
    options.requestSignal?.removeEventListener("abort", this.close);
    this.#queue.clear();
    this.#notify();
    options.onClose(this);
    void this.#stream?.close();
  };

  async #write(event: string, data: string): Promise<void> {
    if (this.#closed || this.#stream === undefined) return;
    await this.#stream.writeSSE({ event, data });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  // An arrow field: telemetry calls it unbound. It never throws (telemetry would detach it).
  readonly #handle = (
    event: TelemetryEvent,
    measurements: Measurements,
    metadata: Metadata,
  ): void => {
    if (this.#closed) return;
    try {
      this.#queue.push(JSON.stringify({
        event: [...event],
        measurements: sanitizeRecord(measurements),
        metadata: sanitizeRecord(metadata),
      }));
      this.#notify();
    } catch {
      // Nothing of a malformed event is worth failing the stream for.
    }
  };
}
