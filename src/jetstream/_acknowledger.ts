/**
 * The acknowledger of a JetStream producer (private): acks the successful
 * messages, naks the failed ones, each delivery at most once, and counts.
 *
 * @module
 */

import type { JsMsg } from "@nats-io/jetstream";
import type { Acknowledger, PipelineMessage } from "../pipeline/message.ts";
import type { JetStreamProducerStats, JetStreamSettlement } from "./settlement.ts";

type Outcome = JetStreamSettlement["outcome"];

/** The counters, mutable inside this entry. */
export type MutableStats = { -readonly [K in keyof JetStreamProducerStats]: number };

/** A fresh set of counters. */
export function emptyStats(): MutableStats {
  return { fetched: 0, emitted: 0, acked: 0, naked: 0, released: 0, ackErrors: 0, ignored: 0 };
}

/**
 * One per producer process: the messages it emitted and has not settled are
 * in `#unsettled`, so a second ack of the same delivery — or an ack of a
 * message it never emitted — is ignored and counted. A weak set: a message
 * lost with a killed processor is never acked (the server redelivers it
 * after `ack_wait`) and must not be held forever.
 */
export class JetStreamAcknowledger implements Acknowledger {
  readonly #unsettled = new WeakSet<JsMsg>();
  readonly #stats: MutableStats;
  readonly #nakDelayMs: number | undefined;
  readonly #onSettle: ((settlement: JetStreamSettlement) => void) | undefined;

  /** Counts into `stats`. */
  constructor(
    stats: MutableStats,
    nakDelayMs: number | undefined,
    onSettle: ((settlement: JetStreamSettlement) => void) | undefined,
  ) {
    this.#stats = stats;
    this.#nakDelayMs = nakDelayMs;
    this.#onSettle = onSettle;
  }

  /** `message` is about to be emitted. */
  track(message: JsMsg): void {
    this.#unsettled.add(message);
  }

  /** Acks `successful`, naks `failed`. */
  ack(successful: readonly PipelineMessage[], failed: readonly PipelineMessage[]): void {
    for (const message of successful) this.#settle(message, "ack");
    for (const message of failed) this.#settle(message, "nak");
  }

  /** Naks a message that never reached the pipeline. */
  release(message: JsMsg): void {
    this.#unsettled.delete(message);
    this.#send(message, "released");
  }

  #settle(message: PipelineMessage, outcome: Outcome): void {
    const jsMsg = jsMsgOf(message);
    if (jsMsg === undefined || !this.#unsettled.delete(jsMsg)) {
      this.#stats.ignored++;
      return;
    }
    this.#send(jsMsg, outcome);
  }

  #send(message: JsMsg, outcome: Outcome): void {
    let error: unknown;
    try {
      if (outcome === "ack") message.ack();
      else message.nak(this.#nakDelayMs);
      if (outcome === "ack") this.#stats.acked++;
      else if (outcome === "nak") this.#stats.naked++;
      else this.#stats.released++;
    } catch (cause) {
      error = cause ?? new Error("ack failed");
      this.#stats.ackErrors++;
    }
    const listener = this.#onSettle;
    if (listener === undefined) return;
    try {
      const info = message.info;
      listener({
        streamSequence: info.streamSequence,
        redeliveryCount: info.deliveryCount,
        outcome,
        ...(error === undefined ? {} : { error }),
      });
    } catch {
      // A listener's throw must not undo the ack, nor stop the pipeline.
    }
  }
}

function jsMsgOf(message: PipelineMessage): JsMsg | undefined {
  try {
    const jsMsg = message.metadata.jsMsg;
    return typeof jsMsg === "object" && jsMsg !== null ? jsMsg as JsMsg : undefined;
  } catch {
    return undefined;
  }
}
