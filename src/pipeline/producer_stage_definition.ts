/**
 * The type of a pipeline's source: a producer stage emitting messages.
 *
 * @module
 */

import type { ProducerCallbacks } from "../stages/callbacks.ts";
import type { StageDefinition } from "../stages/define_stage.ts";
import type { PipelineMessage } from "./message.ts";

/**
 * A producer stage whose events are {@linkcode PipelineMessage}s of `D`:
 * what `MemoryProducer.stage()` (or another source's `stage()`) returns,
 * any `defineStage({ type: "producer", ... })` (a definition carries its
 * callbacks), or the producer callbacks themselves (`{ type: "producer",
 * init, handleDemand, ... }`). The pipeline runs these callbacks inside its own
 * producer stage, which adds the rate limit, the partition keys, the
 * pipeline's labels and the drain.
 *
 * @example A source of your own
 * ```ts
 * import {
 *   createMessage,
 *   type PipelineMessage,
 *   type ProducerStageDefinition,
 * } from "@beamlet/beamlet/pipeline";
 *
 * const acknowledger = { ack: () => {} };
 * const ticks: ProducerStageDefinition<number> = {
 *   type: "producer",
 *   init: () => ({ state: 0 }),
 *   handleDemand: (demand: number, next: number) => ({
 *     events: Array.from({ length: demand }, (_, i) => createMessage(next + i, acknowledger)),
 *     state: next + demand,
 *   }),
 * };
 * ```
 */
export type ProducerStageDefinition<D> =
  // deno-lint-ignore no-explicit-any
  | (StageDefinition<any> & { readonly __messages?: D })
  // deno-lint-ignore no-explicit-any
  | ProducerCallbacks<any, PipelineMessage<D>, any>;
