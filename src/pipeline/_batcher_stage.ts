/**
 * A batcher and its batch processors (internal). The batcher subscribes to
 * every processor (to its own partition, named after it), groups what it
 * gets by partition and batch key, and hands out a batch when it is full,
 * when its `batchTimeout` passes (a timer armed when the batch opens), or
 * at once while the pipeline drains. Batch processors run `handleBatch`,
 * then ack every message of the batch.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ConsumerCallbacks, ProducerConsumerCallbacks } from "../stages/callbacks.ts";
import type { DispatcherOption } from "../stages/types.ts";
import { failMessage, type PipelineMessage } from "./message.ts";
import type { BatchInfo, BatchTrigger } from "./batch_info.ts";
import type { BatcherConfig } from "./_config.ts";
import { BatchAccumulator, type FullBatch } from "./_batch_accumulator.ts";
import { partitionKeyOf, partitionOfKey } from "./_partition.ts";
import type { PipelineRuntime } from "./_pipeline_runtime.ts";
import { finish } from "./_process_messages.ts";
import { processBatch } from "./_process_batch.ts";
import { batcherName, processorName } from "./_names.ts";

/** What a batcher hands its batch processors. */
export interface Batch {
  readonly messages: PipelineMessage[];
  readonly info: BatchInfo;
}

/** A batch's timer. */
class BatchTimeout {
  constructor(
    readonly partition: number,
    readonly batchKey: unknown,
    readonly generation: number,
  ) {}
}

/** Sent to a batcher when the pipeline drains: hand out every batch now, and from now on. */
export class DrainBatcher {}

interface BatcherState {
  readonly batches: BatchAccumulator;
  draining: boolean;
}

/** The callbacks of the batcher of `config` in pipeline `rt`. */
export function batcherCallbacks(
  rt: PipelineRuntime,
  config: BatcherConfig,
): ProducerConsumerCallbacks<BatcherState, Batch, PipelineMessage, undefined> {
  const { name: pipeline, partitionBy, processor } = rt.config;
  const partitions = partitionBy === undefined ? 1 : config.concurrency;

  const batchOf = (full: FullBatch, trigger: BatchTrigger): Batch => {
    rt.batch(config.name, full.batchKey, full.messages.length, trigger);
    rt.batched(-full.messages.length);
    return {
      messages: full.messages,
      info: {
        batcher: config.name,
        batchKey: full.batchKey,
        partition: partitionBy === undefined ? undefined : full.partition,
        size: full.messages.length,
        trigger,
      },
    };
  };

  /** The batch processor partition of `m`, or the error to fail it with. */
  const partitionOf = (m: PipelineMessage): number | Error => {
    if (partitionBy === undefined) return 0;
    const key = rt.partitionKeys.get(m) ?? partitionKeyOf(pipeline, partitionBy, m);
    return typeof key === "object" ? key : partitionOfKey(key, partitions)!;
  };

  const dispatcher: DispatcherOption<Batch> = partitionBy === undefined
    ? "demand"
    : { type: "partition", partitions, hash: (b) => b.info.partition };

  const drainAll = (state: BatcherState, out: Batch[]): Batch[] => {
    for (const full of state.batches.takeAll()) out.push(batchOf(full, "drain"));
    return out;
  };

  return {
    type: "producer_consumer",
    init: () => {
      const subscribeTo = [];
      for (let i = 0; i < processor.concurrency; i++) {
        subscribeTo.push({
          to: processorName(pipeline, i),
          maxDemand: config.maxDemand,
          ...(config.minDemand === undefined ? {} : { minDemand: config.minDemand }),
          cancel: "temporary" as const,
          partition: config.name,
        });
      }
      return {
        state: { batches: new BatchAccumulator(config.batchSize, partitions), draining: false },
        subscribeTo,
        labels: { pipeline, role: "batcher", name: batcherName(pipeline, config.name) },
        buffer: { size: Infinity },
        dispatcher,
      };
    },
    handleEvents: (messages, _from, state, ctx: Context) => {
      const out: Batch[] = [];
      let failed: PipelineMessage[] | undefined;
      for (const m of messages) {
        const partition = partitionOf(m);
        if (typeof partition !== "number") {
          rt.exception(config.name, partition);
          (failed ??= []).push(failMessage(m, partition));
          continue;
        }
        const full = state.batches.add(partition, m.batchKey, m);
        const opened = state.batches.opened;
        if (opened !== undefined && !state.draining) {
          ctx.sendAfter(
            ctx.self,
            new BatchTimeout(partition, m.batchKey, opened),
            config.batchTimeout,
          );
        }
        if (full !== undefined) out.push(batchOf(full, "size"));
      }
      rt.batched(messages.length - (failed?.length ?? 0));
      if (state.draining) drainAll(state, out);
      if (failed !== undefined) void finish(rt, [], failed, ctx);
      return { state, events: out };
    },
    handleInfo: (message, state) => {
      if (message instanceof BatchTimeout) {
        const full = state.batches.timedOut(
          message.partition,
          message.batchKey,
          message.generation,
        );
        return { state, events: full === undefined ? [] : [batchOf(full, "timeout")] };
      }
      if (message instanceof DrainBatcher) {
        state.draining = true;
        return { state, events: drainAll(state, []) };
      }
      return { state };
    },
  };
}

/** The callbacks of the batch processors of `config` (the init argument is the index). */
export function batchProcessorCallbacks(
  rt: PipelineRuntime,
  config: BatcherConfig,
): ConsumerCallbacks<null, Batch, number> {
  const { name: pipeline, partitionBy } = rt.config;
  return {
    type: "consumer",
    init: (index) => ({
      state: null,
      subscribeTo: [{
        to: batcherName(pipeline, config.name),
        maxDemand: 1,
        minDemand: 0,
        cancel: "temporary",
        ...(partitionBy === undefined ? {} : { partition: index }),
      }],
      labels: { pipeline, role: "batch_processor" },
    }),
    handleEvents: (batches, _from, state, ctx) => {
      const next = (i: number): { state: null } | Promise<{ state: null }> => {
        for (; i < batches.length; i++) {
          const { messages, info } = batches[i];
          const done = processBatch(rt, messages, info, ctx);
          if (done instanceof Promise) return done.then(() => next(i + 1));
        }
        return { state };
      };
      return next(0);
    },
  };
}
