/**
 * What `handleBatch` is told about the batch it gets.
 *
 * @module
 */

/**
 * Why a batch was handed out: it reached `batchSize` (`"size"`), its
 * `batchTimeout` passed (`"timeout"`), or the pipeline is draining
 * (`"drain"`: every open batch is handed out, full or not).
 *
 * @example
 * ```ts
 * import type { BatchTrigger } from "@beamlet/beamlet/pipeline";
 *
 * const partial = (trigger: BatchTrigger) => trigger !== "size";
 * ```
 */
export type BatchTrigger = "size" | "timeout" | "drain";

/**
 * The batch `handleBatch` gets: which batcher made it, its batch key, its
 * size, its partition (with `partitionBy`) and why it was handed out.
 *
 * @example Writing one file per batch key
 * ```ts
 * import type { BatchInfo, PipelineMessage } from "@beamlet/beamlet/pipeline";
 *
 * const handleBatch = (_batcher: string, messages: PipelineMessage[], info: BatchInfo) => {
 *   console.log(`${String(info.batchKey)}: ${info.size} (${info.trigger})`);
 *   return messages;
 * };
 * ```
 */
export interface BatchInfo {
  /** The batcher's name. */
  readonly batcher: string;
  /** The batch key its messages share. */
  readonly batchKey: unknown;
  /** The batch processor partition (with `partitionBy`), else `undefined`. */
  readonly partition: number | undefined;
  /** Messages in the batch. */
  readonly size: number;
  /** Why it was handed out. */
  readonly trigger: BatchTrigger;
}
