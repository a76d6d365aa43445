/**
 * Builds the metadata of a fetched message (private).
 *
 * @module
 */

import type { JsMsg } from "@nats-io/jetstream";
import type { JetStreamMetadata } from "./metadata.ts";

/** The metadata of `message`. */
export function jetStreamMetadata(message: JsMsg): JetStreamMetadata {
  const info = message.info;
  return {
    stream: info.stream,
    consumer: info.consumer,
    subject: message.subject,
    streamSequence: info.streamSequence,
    deliverySequence: info.deliverySequence,
    redeliveryCount: info.deliveryCount,
    pending: info.pending,
    headers: message.headers,
    jsMsg: message,
  };
}
