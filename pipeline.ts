/**
 * Pipelines, as Broadway's: messages from a source go through processors,
 * optionally through batchers, and every one of them is acknowledged to
 * its source exactly once — as successful or as failed.
 *
 * ```
 * producer ──▶ processors (concurrency N) ──▶ batchers ──▶ batch processors ──▶ ack
 *              handleMessage                   by size,      handleBatch
 *              (no batchers: ack here)         timeout, key
 * ```
 *
 * Every box is a stage (`@beamlet/beamlet/stages`): a process, pulling
 * from the one before it as fast as it can work (demand), so a slow step
 * slows the source instead of piling messages up. All of them run under
 * one supervisor, the pipeline's.
 *
 * ## Start, push, stop
 *
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { failMessage, MemoryProducer, Pipeline, putBatchKey } from "@beamlet/beamlet/pipeline";
 *
 * type Order = { customer: string; total: number };
 *
 * const source = new MemoryProducer<Order>(); // an in-memory source
 * const system = new System();
 * const pipeline = await Pipeline.start(system, {
 *   name: "orders",
 *   producer: { stage: source.stage() },
 *   processors: { default: { concurrency: 4 } },
 *   batchers: { default: { batchSize: 100, batchTimeout: 1000 } },
 *   partitionBy: (m) => m.data.customer, // one customer's orders stay in order
 *   handleMessage: (_processor, m) =>
 *     m.data.total < 0 ? failMessage(m, "negative total") : putBatchKey(m, m.data.customer),
 *   handleBatch: async (_batcher, messages, info) => {
 *     console.log(`${String(info.batchKey)}: ${info.size} orders (${info.trigger})`);
 *     return messages;
 *   },
 * });
 * source.push({ customer: "ada", total: 12 }, { customer: "bob", total: -1 });
 * await pipeline.stop(); // drains: the open batches go out, everything taken is acked
 * console.log(source.ackedCount, source.failedCount); // 1 1
 * ```
 *
 * ## What is guaranteed
 *
 * - **Every message taken from the source is acked once**, grouped by
 *   acknowledger: successful if it went through `handleMessage` (and
 *   `handleBatch`) with status `"ok"`, failed otherwise. `handleFailed`
 *   sees the failures first.
 * - **Failures are contained and named.** A throw or rejection in
 *   `handleMessage` fails that message only; in `handleBatch`, the batch.
 *   A result that is not the message given (`MessageReturnError`), a
 *   batcher that does not exist (`UnknownBatcherError`), a partition key
 *   that is not one (`PartitionKeyError`): the message is failed with that
 *   reason, counted, and emitted as `beamlet.pipeline.message.exception`.
 * - **Order per key** with `partitionBy`: messages with one key go through
 *   one processor and one batch processor, in the order the source gave
 *   them (from one producer).
 * - **Back-pressure and bounds**: processors ask `maxDemand` messages at a
 *   time; a batcher asks for more only while a batch processor has room.
 * - **Rate limit**: `rateLimit: { allowed, interval }` — the producers hand
 *   out at most `allowed` messages per `interval` ms, on the system's clock.
 * - **Graceful stop**: `pipeline.stop()` (or stopping the supervisor the
 *   pipeline's child spec is in) drains: producers stop pulling
 *   (`prepareForDraining`), in-flight work finishes, batchers hand out what
 *   they hold (trigger `"drain"`), everything taken is acked, then the
 *   stages stop — within `shutdownTimeout` ms.
 * - **Crashes**: a stage that crashes (killed, not a throw in a handler)
 *   takes its in-flight messages with it — they are not acked; a real
 *   source (JetStream) redelivers them — and its group is restarted: the
 *   new stages subscribe afresh and the pipeline goes on.
 *
 * ## Sources
 *
 * `MemoryProducer` is the in-memory source for tests and examples; the
 * JetStream producer (`@beamlet/beamlet/jetstream`) pulls from NATS. Any
 * producer stage whose events are {@linkcode PipelineMessage}s works: give
 * its callbacks (`{ type: "producer", init, handleDemand }`) as
 * `producer.stage`.
 *
 * ## Watching it
 *
 * `Pipeline.list(system)` and `pipeline.stats()` give each pipeline's
 * counters (acked, failed, in flight, batches); the stage directory and
 * `beamlet.stage.stats` give each stage's demand and buffers, labelled
 * with the pipeline's name and the stage's role; `beamlet.pipeline.ack`,
 * `beamlet.pipeline.batch` and `beamlet.pipeline.message.exception` are
 * the pipeline's events.
 *
 * @module
 */

export { Pipeline } from "./src/pipeline/pipeline.ts";
export type {
  BatcherOptions,
  PipelineOptions,
  ProcessorOptions,
  ProducerOptions,
  RateLimitOptions,
} from "./src/pipeline/options.ts";
export {
  type Acknowledger,
  createMessage,
  failMessage,
  type MessageStatus,
  type PipelineMessage,
  putBatcher,
  putBatchKey,
  putData,
} from "./src/pipeline/message.ts";
export type { BatchInfo, BatchTrigger } from "./src/pipeline/batch_info.ts";
export type { PipelineInfo } from "./src/pipeline/pipeline_info.ts";
export type { ProducerStageDefinition } from "./src/pipeline/producer_stage_definition.ts";
export { MemoryProducer, type MemoryProducerOptions } from "./src/pipeline/memory_producer.ts";
export {
  MemoryProducerFullError,
  MessageReturnError,
  PartitionKeyError,
  PipelineError,
  PipelineExistsError,
  type ReturnProblem,
  UnknownBatcherError,
} from "./src/pipeline/errors.ts";
