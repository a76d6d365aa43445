/**
 * The batches a batcher is filling (internal, pure): per partition and
 * batch key, the messages in arrival order. A batch is handed out when it
 * reaches `batchSize`, when its timer fires (only the timer armed for that
 * very batch: each batch has a generation), or all at once on drain.
 *
 * @module
 */

import type { PipelineMessage } from "./message.ts";

/** A batch handed out. */
export interface FullBatch {
  /** The partition of its batch processors (0 without `partitionBy`). */
  readonly partition: number;
  /** The batch key its messages share. */
  readonly batchKey: unknown;
  /** Its messages, in arrival order. */
  readonly messages: PipelineMessage[];
}

/** What `add` did. */
export interface AddOutcome {
  /** A batch was opened by this message: arm its timer with this generation. */
  readonly opened: number | undefined;
  /** The batch this message completed, if it did. */
  readonly full: FullBatch | undefined;
}

interface OpenBatch {
  readonly generation: number;
  readonly messages: PipelineMessage[];
}

/** The open batches of one batcher. */
export class BatchAccumulator {
  readonly #batchSize: number;
  readonly #partitions: Map<unknown, OpenBatch>[] = [];
  #generation = 0;
  #held = 0;

  constructor(batchSize: number, partitions: number) {
    this.#batchSize = batchSize;
    for (let i = 0; i < partitions; i++) this.#partitions.push(new Map());
  }

  /** Messages held in open batches. */
  get held(): number {
    return this.#held;
  }

  /** Adds `message` to the open batch of (`partition`, `batchKey`). */
  add(partition: number, batchKey: unknown, message: PipelineMessage): AddOutcome {
    const open = this.#partitions[partition];
    let batch = open.get(batchKey);
    let opened: number | undefined;
    if (batch === undefined) {
      opened = ++this.#generation;
      batch = { generation: opened, messages: [] };
      open.set(batchKey, batch);
    }
    batch.messages.push(message);
    this.#held++;
    if (batch.messages.length < this.#batchSize) return { opened, full: undefined };
    open.delete(batchKey);
    this.#held -= batch.messages.length;
    return { opened, full: { partition, batchKey, messages: batch.messages } };
  }

  /** The batch of (`partition`, `batchKey`) if its generation is `generation` (a timer fired). */
  timedOut(partition: number, batchKey: unknown, generation: number): FullBatch | undefined {
    const open = this.#partitions[partition];
    const batch = open?.get(batchKey);
    if (batch === undefined || batch.generation !== generation) return undefined;
    open.delete(batchKey);
    this.#held -= batch.messages.length;
    return { partition, batchKey, messages: batch.messages };
  }

  /** Every open batch, oldest first per partition; the accumulator is left empty. */
  takeAll(): FullBatch[] {
    const all: FullBatch[] = [];
    for (let partition = 0; partition < this.#partitions.length; partition++) {
      const open = this.#partitions[partition];
      for (const [batchKey, batch] of open) {
        all.push({ partition, batchKey, messages: batch.messages });
      }
      open.clear();
    }
    this.#held = 0;
    return all;
  }
}
