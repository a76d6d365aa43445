/**
 * Where the observer reads stages and pipelines (internal): the per-System
 * stage and pipeline directories only — small modules that hold plain
 * records — so `/observe` and the Hono adapter load no stage or pipeline
 * code, and a system that never started a stage pays nothing.
 *
 * @module
 */

import { existingPipelineDirectory } from "../pipeline/_pipeline_directory.ts";
import { existingStageDirectory } from "../stages/_stage_directory.ts";
import type { System } from "../system.ts";
import type { PipelineViewInfo, StageViewInfo } from "./_pipelines_view.ts";

/** The live stages of `system` (none when it never started one). */
export function listStages(system: System): readonly StageViewInfo[] {
  try {
    return existingStageDirectory(system)?.list() ?? [];
  } catch {
    return []; // a stage mid-start or mid-exit: the next view shows it
  }
}

/** The live pipelines of `system` (none when it never started one). */
export function listPipelines(system: System): readonly PipelineViewInfo[] {
  try {
    return existingPipelineDirectory(system)?.list() ?? [];
  } catch {
    return []; // a pipeline mid-start or mid-stop: the next view shows it
  }
}
