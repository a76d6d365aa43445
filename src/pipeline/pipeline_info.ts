/**
 * What the observer and `Pipeline.list` tell of one running pipeline.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/**
 * One pipeline, as its directory sees it: its counters are monotonic
 * (since it started), `inFlight` is what its producers handed out and was
 * not acked yet. Per-stage numbers (demand, buffers) are in the stage
 * directory, labelled with the pipeline's name.
 *
 * @example A one-line summary
 * ```ts
 * import type { PipelineInfo } from "@beamlet/beamlet/pipeline";
 *
 * const line = (p: PipelineInfo) =>
 *   `${p.name} [${p.state}] acked ${p.acked}, failed ${p.failed}, in flight ${p.inFlight}`;
 * ```
 */
export interface PipelineInfo {
  /** Its name (unique per system). */
  readonly name: string;
  /** Its top supervisor. */
  readonly supervisor: Pid;
  /** `"running"`, `"draining"` (stopping: no more pulls), or `"stopped"`. */
  readonly state: "running" | "draining" | "stopped";
  /** Messages acked as successful. */
  readonly acked: number;
  /** Messages acked as failed. */
  readonly failed: number;
  /** Messages taken from the producers and not acked yet. */
  readonly inFlight: number;
  /** Batches handed to batch processors. */
  readonly batchesFlushed: number;
  /** Its rate limit, if it has one. */
  readonly rateLimit?: { readonly allowed: number; readonly interval: number };
}
