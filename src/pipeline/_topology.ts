/**
 * A pipeline's supervision tree (internal), as Broadway's:
 *
 * ```
 * <name>.supervisor            rest_for_one
 * ├── <name>.producers         one_for_all, intensity 0
 * │   └── <name>.producer.0..  the source's callbacks in the pipeline's producer stage
 * ├── <name>.consumers         one_for_all, intensity 0
 * │   ├── epoch                counts what a restart lost
 * │   ├── <name>.processor.0.. handleMessage
 * │   └── per batcher: <name>.batcher.<b>, <name>.batch_processor.<b>.0..
 * └── <name>.terminator        drains on shutdown
 * ```
 *
 * A crash of any stage ends its group at once (intensity 0), and the top
 * supervisor restarts that group and every one after it: new stages
 * subscribe afresh to the ones before them, which are still running. The
 * top supervisor's intensity (3 restarts in 5 s) bounds the retries.
 *
 * @module
 */

import type { ChildSpec } from "../supervisor/child_spec.ts";
import { Supervisor } from "../supervisor/supervisor.ts";
import { type GenServer, ok } from "../gen_server.ts";
import { defineStage } from "../stages/define_stage.ts";
import { existingStageDirectory } from "../stages/_stage_directory.ts";
import type { PipelineRuntime } from "./_pipeline_runtime.ts";
import { producerCallbacks } from "./_producer_stage.ts";
import { processorCallbacks } from "./_processor_stage.ts";
import { batcherCallbacks, batchProcessorCallbacks } from "./_batcher_stage.ts";
import { terminatorServer } from "./_terminator.ts";
import {
  batcherName,
  batchProcessorName,
  consumersName,
  processorName,
  producerName,
  producersName,
  terminatorName,
} from "./_names.ts";

/** Counts what the consumer stages lost when they start again. */
function epochServer(rt: PipelineRuntime): GenServer<null, undefined> {
  return {
    init: (_arg, ctx) => {
      let buffered = 0;
      for (const info of existingStageDirectory(ctx.system)?.list() ?? []) {
        if (info.pipeline === rt.name && info.role === "producer") buffered += info.buffered;
      }
      rt.consumersRestarted(buffered);
      return ok(null);
    },
  };
}

/** The children of `rt`'s top supervisor. */
export function pipelineChildren(rt: PipelineRuntime): ChildSpec[] {
  const { name, producer, processor, shutdownTimeout } = rt.config;
  const producerStage = defineStage(producerCallbacks(rt, producer.callbacks));
  const producers: ChildSpec[] = [];
  for (let i = 0; i < producer.concurrency; i++) {
    producers.push({
      id: `producer.${i}`,
      start: { server: producerStage, arg: i, options: { name: producerName(name, i) } },
    });
  }
  // deno-lint-ignore no-explicit-any
  const processorStage = defineStage(processorCallbacks(rt) as any);
  const consumers: ChildSpec[] = [{ id: "epoch", start: { server: epochServer(rt) } }];
  for (let i = 0; i < processor.concurrency; i++) {
    consumers.push({
      id: `processor.${i}`,
      start: { server: processorStage, arg: i, options: { name: processorName(name, i) } },
    });
  }
  for (const batcher of rt.config.batchers) {
    consumers.push({
      id: `batcher.${batcher.name}`,
      start: {
        server: defineStage(batcherCallbacks(rt, batcher)),
        options: { name: batcherName(name, batcher.name) },
      },
    });
    const batchProcessor = defineStage(batchProcessorCallbacks(rt, batcher));
    for (let i = 0; i < batcher.concurrency; i++) {
      consumers.push({
        id: `batch_processor.${batcher.name}.${i}`,
        start: {
          server: batchProcessor,
          arg: i,
          options: { name: batchProcessorName(name, batcher.name, i) },
        },
      });
    }
  }
  const group = { strategy: "one_for_all", intensity: 0 } as const;
  return [
    Supervisor.childSpec("producers", producers, { ...group, name: producersName(name) }),
    Supervisor.childSpec("consumers", consumers, { ...group, name: consumersName(name) }),
    {
      id: "terminator",
      start: { server: terminatorServer(rt), options: { name: terminatorName(name) } },
      shutdown: shutdownTimeout === Infinity ? "infinity" : shutdownTimeout,
    },
  ];
}
