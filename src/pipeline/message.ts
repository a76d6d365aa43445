/**
 * The message a pipeline carries: the data a source produced, where it came
 * from (its acknowledger), and what became of it (its status, its batcher
 * and batch key). Messages are immutable: the helpers return a new message.
 *
 * @module
 */

/**
 * Tells the source what became of its messages: once per message, either
 * among `successful` or among `failed`. A pipeline calls `ack` with the
 * messages of one acknowledger grouped, as Broadway does; a source usually
 * keeps one acknowledger and finds its own bookkeeping in `metadata`.
 * A throw or a rejection is reported through the system's logger and does
 * not stop the pipeline.
 *
 * @example An acknowledger that counts
 * ```ts
 * import type { Acknowledger } from "@beamlet/beamlet/pipeline";
 *
 * let done = 0;
 * const counting: Acknowledger = {
 *   ack: (successful, failed) => void (done += successful.length + failed.length),
 * };
 * ```
 */
export interface Acknowledger {
  /** Called once per group of messages: each message is in exactly one call, once. */
  ack(
    successful: readonly PipelineMessage[],
    failed: readonly PipelineMessage[],
  ): void | Promise<void>;
}

/**
 * What became of a message: `"ok"` so far, or `{ failed: reason }`
 * (it will be acked as failed, and given to `handleFailed`).
 *
 * @example
 * ```ts
 * import type { MessageStatus } from "@beamlet/beamlet/pipeline";
 *
 * const statuses: MessageStatus[] = ["ok", { failed: new Error("bad payload") }];
 * ```
 */
export type MessageStatus = "ok" | { readonly failed: unknown };

/**
 * One message of a pipeline. Build one with {@linkcode createMessage} (a
 * source does), change one with {@linkcode putData},
 * {@linkcode putBatcher}, {@linkcode putBatchKey} and
 * {@linkcode failMessage}, which return a new message.
 *
 * @example Reading a message in `handleMessage`
 * ```ts
 * import type { PipelineMessage } from "@beamlet/beamlet/pipeline";
 *
 * const describe = (m: PipelineMessage<{ id: number }>) =>
 *   `${m.data.id} → ${m.batcher} (${m.status === "ok" ? "ok" : "failed"})`;
 * ```
 */
export interface PipelineMessage<D = unknown> {
  /** The payload. */
  readonly data: D;
  /** What the source knows of it (a delivery id, headers, ...). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Who is told once it is done. */
  readonly acknowledger: Acknowledger;
  /** `"ok"`, or failed with a reason. */
  readonly status: MessageStatus;
  /** The batcher it goes to (`"default"` unless a processor says otherwise). */
  readonly batcher: string;
  /** Messages of one batch key are batched together (`"default"` unless said otherwise). */
  readonly batchKey: unknown;
}

/**
 * A new message with status `"ok"`, batcher `"default"` and batch key
 * `"default"`.
 *
 * @example What a source emits
 * ```ts
 * import { createMessage } from "@beamlet/beamlet/pipeline";
 *
 * const acknowledger = { ack: () => {} };
 * const message = createMessage({ id: 7 }, acknowledger, { deliveryId: "d-7" });
 * console.log(message.data.id, message.status, message.batcher); // 7 "ok" "default"
 * ```
 */
export function createMessage<D>(
  data: D,
  acknowledger: Acknowledger,
  metadata: Readonly<Record<string, unknown>> = {},
): PipelineMessage<D> {
  if (
    typeof acknowledger !== "object" || acknowledger === null ||
    typeof acknowledger.ack !== "function"
  ) {
    throw new TypeError("createMessage: acknowledger must be an object with an ack() method");
  }
  if (typeof metadata !== "object" || metadata === null) {
    throw new TypeError("createMessage: metadata must be an object");
  }
  return { data, metadata, acknowledger, status: "ok", batcher: "default", batchKey: "default" };
}

/**
 * The same message, failed with `reason`: it is acked as failed and given
 * to `handleFailed`, and never reaches a batcher.
 *
 * @example Failing a message without throwing
 * ```ts
 * import { failMessage, type PipelineMessage } from "@beamlet/beamlet/pipeline";
 *
 * const handleMessage = (_processor: string, m: PipelineMessage<number>) =>
 *   m.data < 0 ? failMessage(m, "negative") : m;
 * ```
 */
export function failMessage<D>(message: PipelineMessage<D>, reason: unknown): PipelineMessage<D> {
  return copy(message, message.data, { failed: reason }, message.batcher, message.batchKey);
}

/**
 * The same message, with `data` as its payload.
 *
 * @example Parsing in `handleMessage`
 * ```ts
 * import { type PipelineMessage, putData } from "@beamlet/beamlet/pipeline";
 *
 * const handleMessage = (_processor: string, m: PipelineMessage<string>) =>
 *   putData(m, JSON.parse(m.data) as { id: number });
 * ```
 */
export function putData<D, E>(message: PipelineMessage<D>, data: E): PipelineMessage<E> {
  return copy(message, data, message.status, message.batcher, message.batchKey);
}

/**
 * The same message, routed to the batcher named `batcher` (one of the
 * pipeline's `batchers`; another name fails the message with an
 * {@linkcode UnknownBatcherError}).
 *
 * @example Routing by payload
 * ```ts
 * import { type PipelineMessage, putBatcher } from "@beamlet/beamlet/pipeline";
 *
 * const handleMessage = (_processor: string, m: PipelineMessage<{ urgent: boolean }>) =>
 *   putBatcher(m, m.data.urgent ? "fast" : "bulk");
 * ```
 */
export function putBatcher<D>(message: PipelineMessage<D>, batcher: string): PipelineMessage<D> {
  if (typeof batcher !== "string") {
    throw new TypeError(`putBatcher: batcher must be a string, got ${typeof batcher}`);
  }
  return copy(message, message.data, message.status, batcher, message.batchKey);
}

/**
 * The same message, with `batchKey`: a batcher batches the messages of
 * each key apart (keys compare with `SameValueZero`, as a `Map`'s do).
 *
 * @example One batch per customer
 * ```ts
 * import { type PipelineMessage, putBatchKey } from "@beamlet/beamlet/pipeline";
 *
 * const handleMessage = (_processor: string, m: PipelineMessage<{ customer: string }>) =>
 *   putBatchKey(m, m.data.customer);
 * ```
 */
export function putBatchKey<D>(message: PipelineMessage<D>, batchKey: unknown): PipelineMessage<D> {
  return copy(message, message.data, message.status, message.batcher, batchKey);
}

/**
 * A new message with the six fields of a {@linkcode PipelineMessage}, in
 * `createMessage`'s order (so every message has one shape). A literal, not a
 * spread: `{ ...message, data }` costs about twice as much per message, and
 * these helpers run for every message of a pipeline. Properties that are not
 * fields of a message are not copied.
 */
function copy<D>(
  message: PipelineMessage<unknown>,
  data: D,
  status: MessageStatus,
  batcher: string,
  batchKey: unknown,
): PipelineMessage<D> {
  return {
    data,
    metadata: message.metadata,
    acknowledger: message.acknowledger,
    status,
    batcher,
    batchKey,
  };
}
