/**
 * A transport-neutral subscription to telemetry events: a handler feeding
 * a bounded queue that drops its oldest frame when full and counts the
 * drops, so the reader learns how many it missed (a `gap` frame) before the
 * frames that follow the hole. Metadata and measurements are scrubbed to
 * JSON-safe values when queued. An adapter (server-sent events, a
 * WebSocket, a log shipper) drains it at its reader's pace.
 *
 * @module
 */

import type { Telemetry } from "../telemetry/telemetry.ts";
import type { Measurements, Metadata, TelemetryEvent } from "../telemetry/types.ts";
import { DropOldestQueue } from "./_drop_oldest_queue.ts";
import { sanitizeRecord } from "./_sanitize.ts";

/**
 * One frame of a subscription: an event as JSON text
 * (`{ event, measurements, metadata }`), or how many events were dropped
 * since the last frame because the reader was slow.
 *
 * @example
 * ```ts
 * import type { EventFrame } from "@beamlet/beamlet/observe";
 *
 * const line = (frame: EventFrame) => frame.type === "gap" ? `missed ${frame.dropped}` : frame.json;
 * ```
 */
export type EventFrame =
  | { readonly type: "telemetry"; readonly json: string }
  | { readonly type: "gap"; readonly dropped: number };

/**
 * Options of an {@linkcode EventSubscription}.
 *
 * @example
 * ```ts
 * import type { EventSubscriptionOptions } from "@beamlet/beamlet/observe";
 *
 * const options: EventSubscriptionOptions = { queueSize: 256 };
 * ```
 */
export interface EventSubscriptionOptions {
  /** Frames kept for a slow reader before the oldest are dropped (an integer >= 1). */
  readonly queueSize: number;
  /** Called once, when the subscription closes. */
  readonly onClose?: (subscription: EventSubscription) => void;
  /** The description of its handler id, as `listHandlers` shows it (default `"beamlet.observe.events"`). */
  readonly handlerName?: string;
}

/**
 * A live subscription to some telemetry events, read frame by frame.
 *
 * @example Reading two events
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { EventSubscription } from "@beamlet/beamlet/observe";
 *
 * const telemetry = new Telemetry();
 * const subscription = new EventSubscription(telemetry, [["app", "tick"]], { queueSize: 8 });
 * telemetry.execute(["app", "tick"], { n: 1 });
 * telemetry.execute(["app", "tick"], { n: 2 });
 * console.log(subscription.take()?.type); // "telemetry"
 * subscription.close();
 * ```
 */
export class EventSubscription {
  /** The telemetry handler id (unique to this subscription). */
  readonly handlerId: symbol;
  /** The exact events attached to. */
  readonly events: readonly TelemetryEvent[];
  readonly #telemetry: Telemetry;
  readonly #queue: DropOldestQueue<string>;
  readonly #onClose: ((subscription: EventSubscription) => void) | undefined;
  #wake: (() => void) | undefined;
  #closed = false;

  /**
   * Attaches to `events` (exact names, non-empty) on `telemetry`.
   *
   * @throws {TypeError} if `events` is empty or malformed.
   */
  constructor(
    telemetry: Telemetry,
    events: readonly TelemetryEvent[],
    options: EventSubscriptionOptions,
  ) {
    this.#telemetry = telemetry;
    this.handlerId = Symbol(options.handlerName ?? "beamlet.observe.events");
    this.events = events;
    this.#queue = new DropOldestQueue(options.queueSize);
    this.#onClose = options.onClose;
    telemetry.attachMany(this.handlerId, events, this.#handle);
  }

  /** Whether the subscription is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The next frame, removed: a `gap` first when events were dropped since
   * the last one; `undefined` when nothing is queued (or once closed).
   */
  take(): EventFrame | undefined {
    if (this.#closed) return undefined;
    const dropped = this.#queue.takeDropped();
    if (dropped > 0) return { type: "gap", dropped };
    const json = this.#queue.shift();
    return json === undefined ? undefined : { type: "telemetry", json };
  }

  /**
   * Resolves when a frame may be ready, when {@linkcode EventSubscription.interrupt}
   * is called, or when the subscription closes; at once if a frame is queued.
   */
  wait(): Promise<void> {
    if (this.#closed || this.#queue.size > 0) return Promise.resolve();
    return new Promise<void>((resolve) => (this.#wake = resolve));
  }

  /** Wakes a pending {@linkcode EventSubscription.wait} (a heartbeat is due, say). */
  interrupt(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Detaches the handler, forgets queued frames and wakes the reader. Idempotent. */
  readonly close = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    this.#telemetry.detach(this.handlerId);
    this.#queue.clear();
    this.interrupt();
    this.#onClose?.(this);
  };

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
      this.interrupt();
    } catch {
      // Nothing of a malformed event is worth failing the subscription for.
    }
  };
}
