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
  /**
   * The generation of the batch the last `add` opened (arm its timer with
   * it), or `undefined` if it joined an open batch. A field rather than a
   * result record: `add` runs once per message and allocates nothing.
   */
  opened: number | undefined = undefined;
  /** The open batch the last `add` went to (runs of one key skip the Map lookup). */
  #last: OpenBatch | undefined = undefined;
  #lastPartition = -1;
  #lastKey: unknown = undefined;

  constructor(batchSize: number, partitions: number) {
    this.#batchSize = batchSize;
    for (let i = 0; i < partitions; i++) this.#partitions.push(new Map());
  }

  /** Messages held in open batches. */
  get held(): number {
    return this.#held;
  }

  /**
   * Adds `message` to the open batch of (`partition`, `batchKey`); returns
   * the batch it completed, if it did (see `opened` for a batch it opened).
   */
  add(partition: number, batchKey: unknown, message: PipelineMessage): FullBatch | undefined {
    const open = this.#partitions[partition];
    this.opened = undefined;
    let batch = this.#last;
    if (batch === undefined || partition !== this.#lastPartition || batchKey !== this.#lastKey) {
      batch = open.get(batchKey);
      if (batch === undefined) {
        const opened = this.opened = ++this.#generation;
        batch = { generation: opened, messages: [] };
        open.set(batchKey, batch);
      }
      this.#last = batch;
      this.#lastPartition = partition;
      this.#lastKey = batchKey;
    }
    batch.messages.push(message);
    this.#held++;
    if (batch.messages.length < this.#batchSize) return undefined;
    open.delete(batchKey);
    this.#last = undefined;
    this.#held -= batch.messages.length;
    return { partition, batchKey, messages: batch.messages };
  }

  /** The batch of (`partition`, `batchKey`) if its generation is `generation` (a timer fired). */
  timedOut(partition: number, batchKey: unknown, generation: number): FullBatch | undefined {
    const open = this.#partitions[partition];
    const batch = open?.get(batchKey);
    if (batch === undefined || batch.generation !== generation) return undefined;
    open.delete(batchKey);
    if (batch === this.#last) this.#last = undefined;
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
    this.#last = undefined;
    return all;
  }
}
