/**
 * What a JetStream message carries in a pipeline besides its payload.
 *
 * @module
 */

import type { JsMsg } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/nats-core";
import type { PipelineMessage } from "../pipeline/message.ts";

/**
 * The `metadata` of a pipeline message from a {@linkcode JetStreamProducer}:
 * where it sits in the stream and how often it was delivered. `jsMsg` is the
 * client's message, for what the pipeline does not do itself — for example
 * `jsMsg.working()` to extend the `ack_wait` of a long task. Acking it by
 * hand is harmless (the client sends one ack per delivery) but leaves the
 * pipeline's ack without effect.
 *
 * @example Reading the delivery count in `handleMessage`
 * ```ts
 * import type { PipelineMessage } from "@beamlet/beamlet/pipeline";
 * import { jetStreamMetadataOf } from "@beamlet/beamlet/jetstream";
 *
 * const handleMessage = (_processor: string, message: PipelineMessage<Uint8Array>) => {
 *   const { streamSequence, redeliveryCount } = jetStreamMetadataOf(message);
 *   if (redeliveryCount > 1) console.log(`message ${streamSequence} is back for the ${redeliveryCount}th time`);
 *   return message;
 * };
 * ```
 */
export type JetStreamMetadata = {
  /** The stream's name. */
  readonly stream: string;
  /** The durable consumer's name. */
  readonly consumer: string;
  /** The subject it was published on. */
  readonly subject: string;
  /** Its sequence in the stream: the same on every delivery. */
  readonly streamSequence: number;
  /** The consumer's delivery sequence: a new one on every delivery. */
  readonly deliverySequence: number;
  /** How many times it was delivered (1 the first time). */
  readonly redeliveryCount: number;
  /** Messages left on the consumer when this one was delivered. */
  readonly pending: number;
  /** Its headers, if it has any. */
  readonly headers: MsgHdrs | undefined;
  /** The client's message. */
  readonly jsMsg: JsMsg;
};

/**
 * The {@linkcode JetStreamMetadata} of a pipeline message that came from a
 * {@linkcode JetStreamProducer}; a `TypeError` for any other message.
 *
 * @example
 * ```ts
 * import { createMessage } from "@beamlet/beamlet/pipeline";
 * import { jetStreamMetadataOf } from "@beamlet/beamlet/jetstream";
 *
 * const message = createMessage("not from JetStream", { ack: () => {} });
 * try {
 *   jetStreamMetadataOf(message);
 * } catch (error) {
 *   console.log(error instanceof TypeError); // true
 * }
 * ```
 */
export function jetStreamMetadataOf(message: PipelineMessage): JetStreamMetadata {
  const metadata = message.metadata;
  const jsMsg = metadata.jsMsg as Partial<JsMsg> | undefined;
  if (
    typeof metadata.streamSequence !== "number" || typeof jsMsg !== "object" || jsMsg === null ||
    typeof jsMsg.ack !== "function"
  ) {
    throw new TypeError("jetStreamMetadataOf: the message did not come from a JetStreamProducer");
  }
  return metadata as JetStreamMetadata;
}
