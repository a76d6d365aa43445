/**
 * The processors (internal): each subscribes to every producer (to its own
 * partition with `partitionBy`), runs `handleMessage` over what it gets,
 * acks what has no batcher to go to, and sends the rest on, partitioned by
 * batcher name.
 *
 * @module
 */

import type { ConsumerCallbacks, ProducerConsumerCallbacks } from "../stages/callbacks.ts";
import type { SubscribeOptions } from "../stages/types.ts";
import type { PipelineMessage } from "./message.ts";
import type { PipelineRuntime } from "./_pipeline_runtime.ts";
import { processMessages } from "./_process_messages.ts";
import { isPromise } from "./_settle.ts";
import { producerName } from "./_names.ts";

type ProcessorCallbacks =
  | ConsumerCallbacks<null, PipelineMessage, number>
  | ProducerConsumerCallbacks<null, PipelineMessage, PipelineMessage, number>;

/** The callbacks of pipeline `rt`'s processors (the init argument is the processor's index). */
export function processorCallbacks(rt: PipelineRuntime): ProcessorCallbacks {
  const { processor, producer, partitionBy, name } = rt.config;
  const batchers = rt.batcherNames;
  const subscriptions = (index: number): SubscribeOptions[] => {
    const list: SubscribeOptions[] = [];
    for (let i = 0; i < producer.concurrency; i++) {
      list.push({
        to: producerName(name, i),
        maxDemand: processor.maxDemand,
        ...(processor.minDemand === undefined ? {} : { minDemand: processor.minDemand }),
        cancel: "temporary",
        ...(partitionBy === undefined ? {} : { partition: index }),
      });
    }
    return list;
  };
  const labels = { pipeline: name, role: "processor" };
  if (batchers.length === 0) {
    return {
      type: "consumer",
      init: (index) => ({ state: null, subscribeTo: subscriptions(index), labels }),
      handleEvents: (events, _from, state, ctx) => {
        const done = processMessages(rt, events, ctx);
        return isPromise(done) ? done.then(() => ({ state })) : { state };
      },
    };
  }
  return {
    type: "producer_consumer",
    init: (index) => ({
      state: null,
      subscribeTo: subscriptions(index),
      labels,
      buffer: { size: Infinity },
      // One batcher: every message it forwards goes there (a message naming another
      // batcher is failed before), so the demand dispatcher does the partition's work
      // without a hash call per message.
      dispatcher: batchers.length === 1
        ? "demand"
        : { type: "partition", partitions: batchers, hash: (m) => m.batcher },
    }),
    handleEvents: (events, _from, state, ctx) => {
      const done = processMessages(rt, events, ctx);
      return isPromise(done)
        ? done.then((forward) => ({ state, events: forward }))
        : { state, events: done };
    },
  };
}
