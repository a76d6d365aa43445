/**
 * The terminator (internal): the last child of a pipeline's supervisor.
 * It traps exits, so when the supervisor shuts down — children stop in
 * reverse order, so it goes first while every stage still runs — its
 * `terminate` drains the pipeline: producers stop pulling (their
 * `prepareForDraining`); once every message still in flight waits in a
 * batcher's open batch, the batchers hand them all out (and any straggler
 * at once); it waits until every message taken is acked. The supervisor gives it
 * `shutdownTimeout` ms before killing it.
 *
 * When it is stopped because a stage before it crashed (a restart, not a
 * shutdown), it does not drain: the stages are being restarted.
 *
 * @module
 */

import { type GenServer, noreply, ok } from "../gen_server.ts";
import { drain } from "../stages/client.ts";
import type { PipelineRuntime } from "./_pipeline_runtime.ts";
import { DrainBatcher } from "./_batcher_stage.ts";
import { batcherName, consumersName, producerName, producersName } from "./_names.ts";

/** Drains `rt`: resolves once everything taken is acked. */
export async function drainPipeline(rt: PipelineRuntime): Promise<void> {
  const { system, name, producer } = { system: rt.system, ...rt.config };
  rt.state = "draining";
  const producers: Promise<void>[] = [];
  for (let i = 0; i < producer.concurrency; i++) {
    producers.push(drain(system, producerName(name, i)).catch(() => undefined));
  }
  await Promise.all(producers);
  if (rt.batcherNames.length > 0) {
    // Let the batches fill with what is still on its way, then hand them all out.
    await rt.whenOnlyInBatches();
    for (const batcher of rt.batcherNames) {
      system.send(batcherName(name, batcher), new DrainBatcher());
    }
  }
  await rt.whenDrained();
}

/** The terminator of `rt`. */
export function terminatorServer(rt: PipelineRuntime): GenServer<null, undefined> {
  const { system, name } = { system: rt.system, name: rt.name };
  const alive = (process: string) => {
    const pid = system.whereis(process);
    return pid !== undefined && system.isAlive(pid);
  };
  return {
    init: (_arg, ctx) => {
      ctx.trapExit(true);
      return ok(null);
    },
    handleInfo: (_message, state) => noreply(state),
    terminate: (_reason) => {
      if (!alive(producersName(name)) || !alive(consumersName(name))) return;
      return drainPipeline(rt);
    },
  };
}
