/**
 * The options of `Pipeline.start`: where messages come from, how many
 * processors and batchers handle them, and the handlers.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { BatchInfo } from "./batch_info.ts";
import type { PipelineMessage } from "./message.ts";
import type { ProducerStageDefinition } from "./producer_stage_definition.ts";

/**
 * The source of a pipeline: a producer stage whose events are
 * {@linkcode PipelineMessage}s (`MemoryProducer.stage()`, a JetStream
 * producer's, or your own `defineStage({ type: "producer", ... })`), the
 * argument its `init` gets, and how many copies run (default 1; they
 * share the work).
 *
 * @example
 * ```ts
 * import { MemoryProducer, type ProducerOptions } from "@beamlet/beamlet/pipeline";
 *
 * const source = new MemoryProducer<string>();
 * const producer: ProducerOptions<string> = { stage: source.stage(), concurrency: 1 };
 * ```
 */
export interface ProducerOptions<D> {
  /** The producer stage. */
  readonly stage: ProducerStageDefinition<D>;
  /** What its `init` gets (default `undefined`). */
  readonly arg?: unknown;
  /** Copies of it: a positive integer (default 1). */
  readonly concurrency?: number;
}

/**
 * The processors: how many run `handleMessage` at once, and the demand
 * each asks its producers for.
 *
 * @example Four processors, asking 10 messages at a time
 * ```ts
 * import type { ProcessorOptions } from "@beamlet/beamlet/pipeline";
 *
 * const processors: ProcessorOptions = { concurrency: 4, maxDemand: 10, minDemand: 5 };
 * ```
 */
export interface ProcessorOptions {
  /** Processes running `handleMessage`: a positive integer (default 1). */
  readonly concurrency?: number;
  /** Messages asked at most at a time: a positive integer (default 10). */
  readonly maxDemand?: number;
  /** Ask again when pending demand falls to this: `0 <= minDemand < maxDemand` (default 75% of max). */
  readonly minDemand?: number;
}

/**
 * One batcher: messages a processor routed to it (`putBatcher`; all go to
 * `"default"` otherwise) are grouped by batch key into batches of
 * `batchSize`, or what came within `batchTimeout` ms of a batch's first
 * message, and handed to `handleBatch` in one of `concurrency` batch
 * processors.
 *
 * @example Batches of 100, or whatever came in one second
 * ```ts
 * import type { BatcherOptions } from "@beamlet/beamlet/pipeline";
 *
 * const s3: BatcherOptions = { batchSize: 100, batchTimeout: 1000, concurrency: 2 };
 * ```
 */
export interface BatcherOptions {
  /** Messages per batch: a positive integer (default 100). */
  readonly batchSize?: number;
  /** Ms after a batch's first message it is handed out, full or not: positive (default 1000). */
  readonly batchTimeout?: number;
  /** Batch processors running `handleBatch`: a positive integer (default 1). */
  readonly concurrency?: number;
  /** Messages the batcher asks each processor for at a time (default `batchSize`). */
  readonly maxDemand?: number;
  /** Ask again when pending demand falls to this (default 75% of max). */
  readonly minDemand?: number;
}

/**
 * At most `allowed` messages leave the producers per `interval` ms (all
 * producers together), on the system's clock.
 *
 * @example 1000 a second
 * ```ts
 * import type { RateLimitOptions } from "@beamlet/beamlet/pipeline";
 *
 * const rateLimit: RateLimitOptions = { allowed: 1000, interval: 1000 };
 * ```
 */
export interface RateLimitOptions {
  /** Messages per interval: a positive integer. */
  readonly allowed: number;
  /** The interval, ms: a positive number. */
  readonly interval: number;
}

/**
 * The options of `Pipeline.start`. `D` is the data the producer emits, `P`
 * the data `handleMessage` returns (default `D`).
 *
 * Handlers may return a Promise; the process running them is busy
 * meanwhile (raise `concurrency` for I/O). A throw or a rejection in
 * `handleMessage` fails that message only; in `handleBatch`, the whole
 * batch. `handleFailed` gets the failed messages before they are acked
 * (it may update them; a throw leaves them as they were).
 *
 * @example Orders, batched by customer
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import {
 *   MemoryProducer,
 *   Pipeline,
 *   type PipelineOptions,
 *   putBatchKey,
 * } from "@beamlet/beamlet/pipeline";
 *
 * type Order = { customer: string; total: number };
 * const source = new MemoryProducer<Order>();
 * const options: PipelineOptions<Order> = {
 *   name: "orders",
 *   producer: { stage: source.stage() },
 *   processors: { default: { concurrency: 2 } },
 *   batchers: { default: { batchSize: 10, batchTimeout: 500 } },
 *   partitionBy: (m) => m.data.customer,
 *   handleMessage: (_processor, m) => putBatchKey(m, m.data.customer),
 *   handleBatch: (_batcher, messages) => messages,
 * };
 * const system = new System();
 * const pipeline = await Pipeline.start(system, options);
 * source.push({ customer: "ada", total: 12 });
 * await pipeline.stop();
 * console.log(source.acked().length); // 1
 * ```
 */
export interface PipelineOptions<D = unknown, P = D> {
  /** Unique per system; names its processes (`<name>.processor.0`, ...). */
  readonly name: string;
  /** Where messages come from. */
  readonly producer: ProducerOptions<D>;
  /** The processors (only the `default` key, as in Broadway). */
  readonly processors: { readonly default: ProcessorOptions };
  /** Batchers by name (none: messages are acked after `handleMessage`). */
  readonly batchers?: Readonly<Record<string, BatcherOptions>>;
  /**
   * Messages with one key go through one processor and one batch
   * processor, in order. A throw or a key that is not a string or a finite
   * number fails the message with a `PartitionKeyError`.
   */
  readonly partitionBy?: (message: PipelineMessage<D>) => string | number;
  /** At most `allowed` messages per `interval` ms leave the producers. */
  readonly rateLimit?: RateLimitOptions;
  /** Handles one message in a processor: returns it (updated with the helpers). */
  readonly handleMessage: (
    processor: string,
    message: PipelineMessage<D>,
    ctx: Context,
  ) => PipelineMessage<P> | Promise<PipelineMessage<P>>;
  /**
   * Handles one batch: returns each of its messages once — the same objects
   * or updated copies (helpers, spreads) — (required with batchers).
   */
  readonly handleBatch?: (
    batcher: string,
    messages: PipelineMessage<P>[],
    info: BatchInfo,
    ctx: Context,
  ) => readonly PipelineMessage<P>[] | Promise<readonly PipelineMessage<P>[]>;
  /** Sees the failed messages before they are acked; returns them (updated or not). */
  readonly handleFailed?: (
    messages: PipelineMessage<D | P>[],
    ctx: Context,
  ) => readonly PipelineMessage<D | P>[] | Promise<readonly PipelineMessage<D | P>[]>;
  /** Ms `stop` waits for the drain before killing what is left (default 30000; `Infinity` allowed). */
  readonly shutdownTimeout?: number;
}
