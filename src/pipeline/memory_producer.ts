/**
 * An in-memory source for pipelines: push data in, read what was acked.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import { describeValue } from "../_inspect.ts";
import type { ProducerCallbacks } from "../stages/callbacks.ts";
import { MemoryProducerFullError } from "./errors.ts";
import type { Acknowledger, PipelineMessage } from "./message.ts";
import type { ProducerStageDefinition } from "./producer_stage_definition.ts";
import { ChunkQueue } from "./_chunk_queue.ts";
import { definePipelineProducer, markWellFormed } from "./_producer_callbacks.ts";

/**
 * Options of {@linkcode MemoryProducer}.
 *
 * @example A bounded source that counts acks without keeping them
 * ```ts
 * import { MemoryProducer, type MemoryProducerOptions } from "@beamlet/beamlet/pipeline";
 *
 * let done = 0;
 * const options: MemoryProducerOptions = {
 *   bound: 1000,
 *   record: false,
 *   onAck: (successful, failed) => void (done += successful.length + failed.length),
 * };
 * const source = new MemoryProducer<number>(options);
 * ```
 */
export interface MemoryProducerOptions {
  /** Messages held at most, not yet taken by a pipeline: a positive integer or `Infinity` (default). */
  readonly bound?: number;
  /** Keep the acked messages for `acked()` / `failed()` (default true; counters are kept always). */
  readonly record?: boolean;
  /** Called with each group of acked messages (after they are recorded). */
  readonly onAck?: (
    successful: readonly PipelineMessage[],
    failed: readonly PipelineMessage[],
  ) => void;
}

/** A running producer stage of this source, and the demand it has not been given yet. */
interface StageSlot {
  readonly pid: Pid;
  readonly system: System;
  demand: number;
  draining: boolean;
  wakePending: boolean;
}

/** The message a stage gets when data arrives while it has demand. */
const WAKE: unique symbol = Symbol("beamlet.memory_producer.wake");

/**
 * An in-memory source: `push(...data)` queues messages (each with
 * `metadata.seq`, its number from 1 in push order), the pipeline's
 * producers take them as processors ask, and every message acked is
 * recorded: `acked()` and `failed()` list them (each exactly once), and
 * `onAck` sees each group. For tests and examples.
 *
 * On drain the producers stop taking: what was pushed and not taken stays
 * queued (`queued`), never lost. A message a crashed processor held is
 * never acked (a real source would redeliver it).
 *
 * @example Push, process, read the acks
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { failMessage, MemoryProducer, Pipeline } from "@beamlet/beamlet/pipeline";
 *
 * const source = new MemoryProducer<number>();
 * const system = new System();
 * const pipeline = await Pipeline.start(system, {
 *   name: "numbers",
 *   producer: { stage: source.stage() },
 *   processors: { default: { concurrency: 2 } },
 *   handleMessage: (_processor, m) => m.data < 0 ? failMessage(m, "negative") : m,
 * });
 * source.push(1, -2, 3);
 * await pipeline.stop();
 * console.log(source.acked().length, source.failed().length); // 2 1
 * ```
 */
export class MemoryProducer<D> {
  readonly #bound: number;
  readonly #record: boolean;
  readonly #onAck: MemoryProducerOptions["onAck"];
  /** Data pushed and not taken: a message is made for each item as it is taken. */
  readonly #queue = new ChunkQueue<D>();
  readonly #stages = new Set<StageSlot>();
  readonly #acked: PipelineMessage[] = [];
  readonly #failed: PipelineMessage[] = [];
  readonly #acknowledger: Acknowledger;
  /** The `seq` of the last message taken (push order: the queue is FIFO, pushes all or none). */
  #seq = 0;
  #ackedCount = 0;
  #failedCount = 0;

  /** A source holding at most `bound` messages not yet taken. */
  constructor(options: MemoryProducerOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `MemoryProducer: options must be an object, got ${describeValue(options)}`,
      );
    }
    const bound = options.bound ?? Infinity;
    if (typeof bound !== "number") {
      throw new TypeError(`MemoryProducer: bound must be a number, got ${describeValue(bound)}`);
    }
    if (bound !== Infinity && !(Number.isSafeInteger(bound) && bound >= 1)) {
      throw new RangeError(
        `MemoryProducer: bound must be a positive integer or Infinity, got ${bound}`,
      );
    }
    const onAck = options.onAck;
    if (onAck !== undefined && typeof onAck !== "function") {
      throw new TypeError(`MemoryProducer: onAck must be a function, got ${describeValue(onAck)}`);
    }
    this.#bound = bound;
    this.#record = options.record ?? true;
    this.#onAck = onAck;
    this.#acknowledger = { ack: (successful, failed) => this.#ack(successful, failed) };
  }

  /** Messages pushed and not yet taken by a pipeline. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Messages acked as successful so far. */
  get ackedCount(): number {
    return this.#ackedCount;
  }

  /** Messages acked as failed so far. */
  get failedCount(): number {
    return this.#failedCount;
  }

  /**
   * Queues one message per item of `data`, all or none: throws a
   * {@linkcode MemoryProducerFullError} (taking none) if they do not fit
   * in the bound.
   */
  push(...data: D[]): void {
    const queued = this.#queue.length;
    if (queued + data.length > this.#bound) {
      throw new MemoryProducerFullError(this.#bound, queued, data.length);
    }
    // `data` is this call's own array (a rest parameter): the queue keeps it as it is.
    this.#queue.pushChunk(data);
    if (data.length > 0) this.#wake();
  }

  /** The messages acked as successful, in ack order (empty with `record: false`). */
  acked(): readonly PipelineMessage[] {
    return this.#acked.slice();
  }

  /** The messages acked as failed, in ack order (`status.failed` says why). */
  failed(): readonly PipelineMessage[] {
    return this.#failed.slice();
  }

  /** The producer stage to give `Pipeline.start` (`producer: { stage }`). */
  stage(): ProducerStageDefinition<D> {
    const callbacks = this.#callbacks();
    markWellFormed(callbacks);
    return definePipelineProducer<unknown>(callbacks);
  }

  #ack(successful: readonly PipelineMessage[], failed: readonly PipelineMessage[]): void {
    this.#ackedCount += successful.length;
    this.#failedCount += failed.length;
    if (this.#record) {
      for (const m of successful) this.#acked.push(m);
      for (const m of failed) this.#failed.push(m);
    }
    this.#onAck?.(successful, failed);
  }

  #wake(): void {
    for (const slot of this.#stages) {
      if (slot.demand > 0 && !slot.wakePending && !slot.draining) {
        slot.wakePending = true;
        if (slot.system.send(slot.pid, WAKE) === "noproc") this.#stages.delete(slot);
      }
    }
  }

  #take(slot: StageSlot): PipelineMessage<D>[] {
    if (slot.draining || slot.demand === 0 || this.#queue.length === 0) return [];
    const events = this.#queue.takeMapped(slot.demand, this.#toMessage);
    slot.demand -= events.length;
    return events;
  }

  /**
   * The message of one pushed item, numbered in push order (the queue is
   * FIFO): createMessage's literal, in its order (one shape), without its
   * checks — the acknowledger is ours and the metadata is made here.
   */
  readonly #toMessage = (data: D): PipelineMessage<D> => ({
    data,
    metadata: { seq: ++this.#seq },
    acknowledger: this.#acknowledger,
    status: "ok",
    batcher: "default",
    batchKey: "default",
  });

  #callbacks(): ProducerCallbacks<StageSlot, PipelineMessage<D>, unknown> {
    return {
      type: "producer",
      init: (_arg: unknown, ctx: Context) => {
        const slot: StageSlot = {
          pid: ctx.self,
          system: ctx.system,
          demand: 0,
          draining: false,
          wakePending: false,
        };
        this.#stages.add(slot);
        return { state: slot };
      },
      handleDemand: (demand, slot) => {
        slot.demand += demand;
        return { events: this.#take(slot), state: slot };
      },
      handleInfo: (message, slot) => {
        if (message === WAKE) slot.wakePending = false;
        return { events: this.#take(slot), state: slot };
      },
      prepareForDraining: (slot) => {
        slot.draining = true;
        return { state: slot };
      },
      terminate: (_reason, slot) => {
        this.#stages.delete(slot);
      },
    };
  }
}
