/**
 * A stage's name (internal): its label, else its registered name. Its own
 * file so the stage directory, which observability loads, does not pull in
 * the stage's telemetry or protocol.
 *
 * @module
 */

import { runtimeOf } from "../_runtime_access.ts";
import { lookup } from "../kernel/state/runtime.ts";
import type { Stage } from "./_stage.ts";

/** A stage's name: its label, else its registered name. */
export function stageName(stage: Stage): string | undefined {
  return stage.labels.name ?? lookup(runtimeOf(stage.system), stage.self)?.name;
}
