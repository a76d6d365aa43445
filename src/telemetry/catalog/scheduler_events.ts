/**
 * The events of a system's schedulers (`SystemOptions.schedulers`): the
 * load and status of every scheduler, executed on scheduler 0 at most once
 * a second.
 *
 * @module
 */

import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.scheduler.load`: what `system.schedulers()`
 * tells about one scheduler.
 *
 * @example
 * ```ts
 * import type { SchedulerLoadMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: SchedulerLoadMeasurements = { processes: 12, tasks: 1, up: 1 };
 * ```
 */
export type SchedulerLoadMeasurements = {
  /** Live processes on the scheduler, as it last published. */
  readonly processes: number;
  /** CPU tasks (`Task.cpu`) running or queued on it. */
  readonly tasks: number;
  /** 1 while it is running, 0 while it is starting, failed or down. */
  readonly up: number;
};

/**
 * Metadata of `beamlet.scheduler.load`.
 *
 * @example
 * ```ts
 * import type { SchedulerLoadMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const meta: SchedulerLoadMetadata = { scheduler: 0 };
 * ```
 */
export type SchedulerLoadMetadata = {
  /** The scheduler's index: 0 is the system's own thread, 1.. its Workers. */
  readonly scheduler: number;
};

/**
 * `beamlet.scheduler.load`: one per scheduler of the system (one, for
 * scheduler 0, on a system of one scheduler), executed on scheduler 0 at
 * most once a second, at the end of a scheduler slice (with
 * `beamlet.system.table_size`). Nobody listening costs nothing.
 *
 * @example Logging the schedulers that are not running
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SCHEDULER_LOAD } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("schedulers", SCHEDULER_LOAD, (_e, m, meta) => {
 *   if (m.up === 0) console.log(`scheduler ${meta.scheduler} is not running`);
 * });
 * await system.shutdown();
 * ```
 */
export const SCHEDULER_LOAD: EventDefinition<SchedulerLoadMeasurements, SchedulerLoadMetadata> =
  defineEvent(["beamlet", "scheduler", "load"], {
    description:
      "The live processes, CPU tasks and status of one scheduler, at most once a second per scheduler.",
    measurements: { processes: "count", tasks: "count", up: "number" },
    metadata: { scheduler: "the scheduler's index (0 is the system's own thread)" },
  });
