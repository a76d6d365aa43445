/**
 * The events of pipelines (`@beamlet/beamlet/pipeline`): acknowledgements,
 * batches handed to batch processors, and handlers that threw. Stage-level
 * numbers (demand, buffers, throughput) come from `beamlet.stage.stats`,
 * whose metadata carry the same `pipeline` label.
 *
 * @module
 */

import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.pipeline.ack`.
 *
 * @example
 * ```ts
 * import type { PipelineAckMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: PipelineAckMeasurements = { successful: 98, failed: 2 };
 * ```
 */
export type PipelineAckMeasurements = {
  /** Messages acked as successful in this group. */
  readonly successful: number;
  /** Messages acked as failed in this group. */
  readonly failed: number;
};

/**
 * Metadata of `beamlet.pipeline.ack`.
 *
 * @example
 * ```ts
 * import type { PipelineAckMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: PipelineAckMetadata = { pipeline: "orders" };
 * ```
 */
export type PipelineAckMetadata = {
  /** The pipeline's name. */
  readonly pipeline: string;
};

/**
 * `beamlet.pipeline.ack`: one per acknowledger call — the messages of one
 * acknowledger that a processor or a batch processor finished together.
 * Summing `successful` and `failed` over time gives the pipeline's totals.
 *
 * @example Counting failures per pipeline
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { PIPELINE_ACK } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * const failures = new Map<string, number>();
 * system.telemetry.attach("failures", PIPELINE_ACK, (_e, m, meta) => {
 *   failures.set(meta.pipeline, (failures.get(meta.pipeline) ?? 0) + m.failed);
 * });
 * await system.shutdown();
 * ```
 */
export const PIPELINE_ACK: EventDefinition<PipelineAckMeasurements, PipelineAckMetadata> =
  defineEvent(["beamlet", "pipeline", "ack"], {
    description:
      "A group of messages of one acknowledger was acked, each once, as successful or failed.",
    measurements: { successful: "count", failed: "count" },
    metadata: { pipeline: "the pipeline's name" },
  });

/**
 * Measurements of `beamlet.pipeline.batch`.
 *
 * @example
 * ```ts
 * import type { PipelineBatchMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: PipelineBatchMeasurements = { size: 100 };
 * ```
 */
export type PipelineBatchMeasurements = {
  /** Messages in the batch. */
  readonly size: number;
};

/**
 * Metadata of `beamlet.pipeline.batch`.
 *
 * @example
 * ```ts
 * import type { PipelineBatchMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: PipelineBatchMetadata = {
 *   pipeline: "orders",
 *   batcher: "s3",
 *   batchKey: "default",
 *   trigger: "size",
 * };
 * ```
 */
export type PipelineBatchMetadata = {
  /** The pipeline's name. */
  readonly pipeline: string;
  /** The batcher that made the batch. */
  readonly batcher: string;
  /** Its batch key, as `String(batchKey)`. */
  readonly batchKey: string;
  /** Why it was handed out: full, its timeout, or the pipeline draining. */
  readonly trigger: "size" | "timeout" | "drain";
};

/**
 * `beamlet.pipeline.batch`: a batcher handed a batch to its batch
 * processors.
 *
 * @example Watching batches that time out before they fill
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { PIPELINE_BATCH } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("thin", PIPELINE_BATCH, (_e, m, meta) => {
 *   if (meta.trigger === "timeout") console.log(meta.batcher, m.size);
 * });
 * await system.shutdown();
 * ```
 */
export const PIPELINE_BATCH: EventDefinition<PipelineBatchMeasurements, PipelineBatchMetadata> =
  defineEvent(["beamlet", "pipeline", "batch"], {
    description: "A batcher handed a batch to its batch processors.",
    measurements: { size: "count" },
    metadata: {
      pipeline: "the pipeline's name",
      batcher: "the batcher's name",
      batchKey: "the batch key, as a string",
      trigger: "size, timeout or drain",
    },
  });

/**
 * Measurements of `beamlet.pipeline.message.exception`.
 *
 * @example
 * ```ts
 * import type { PipelineMessageExceptionMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: PipelineMessageExceptionMeasurements = { count: 1 };
 * ```
 */
export type PipelineMessageExceptionMeasurements = {
  /** Always 1. */
  readonly count: number;
};

/**
 * Metadata of `beamlet.pipeline.message.exception`.
 *
 * @example
 * ```ts
 * import type { PipelineMessageExceptionMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: PipelineMessageExceptionMetadata = {
 *   pipeline: "orders",
 *   processor: "default",
 *   reason: "TypeError: bad payload",
 * };
 * ```
 */
export type PipelineMessageExceptionMetadata = {
  /** The pipeline's name. */
  readonly pipeline: string;
  /**
   * The processor key (`"default"`); the batcher's name for `handleBatch`;
   * `"producer"` for a `partitionBy` that failed.
   */
  readonly processor: string;
  /** What was thrown, summarised in one line. */
  readonly reason: string;
};

/**
 * `beamlet.pipeline.message.exception`: `handleMessage` threw (or
 * rejected, or returned something that is not its message, or routed it to
 * no batcher) — once per message; `partitionBy` failed — once per message;
 * `handleBatch` threw — once per batch, or returned a wrong batch — once
 * per kind of problem. The messages concerned are failed, never lost.
 *
 * @example Logging handler failures
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { PIPELINE_MESSAGE_EXCEPTION } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("errors", PIPELINE_MESSAGE_EXCEPTION, (_e, _m, meta) => {
 *   console.warn(`${meta.pipeline}/${meta.processor}: ${meta.reason}`);
 * });
 * await system.shutdown();
 * ```
 */
export const PIPELINE_MESSAGE_EXCEPTION: EventDefinition<
  PipelineMessageExceptionMeasurements,
  PipelineMessageExceptionMetadata
> = defineEvent(["beamlet", "pipeline", "message", "exception"], {
  description:
    "A pipeline handler threw or returned something wrong; the messages concerned were failed.",
  measurements: { count: "count" },
  metadata: {
    pipeline: "the pipeline's name",
    processor: "the processor key, the batcher's name, or producer",
    reason: "what was thrown, in one line",
  },
});
