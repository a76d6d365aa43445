/**
 * The default metrics of a system's schedulers (internal, part of
 * `beamletMetrics`): per scheduler its live processes, CPU tasks and
 * whether it runs, from `beamlet.scheduler.load`.
 *
 * @module
 */

import { SCHEDULER_LOAD } from "../telemetry/catalog/scheduler_events.ts";
import { lastValue } from "./definitions.ts";
import type { MetricDefinition } from "./types.ts";

/**
 * Per scheduler (`beamlet.scheduler.load`, tag `scheduler`, its index):
 * `beamlet_scheduler_processes`, `beamlet_scheduler_tasks` and
 * `beamlet_scheduler_up` (1 running, 0 starting, failed or down), gauges
 * updated at most once a second.
 */
export function schedulerMetrics(): MetricDefinition[] {
  const load = { event: SCHEDULER_LOAD, tags: ["scheduler"] };
  return [
    lastValue("beamlet.scheduler.processes", {
      ...load,
      measurement: "processes",
      description: "Live processes on a scheduler, as it last published",
    }),
    lastValue("beamlet.scheduler.tasks", {
      ...load,
      measurement: "tasks",
      description: "CPU tasks (Task.cpu) running or queued on a scheduler",
    }),
    lastValue("beamlet.scheduler.up", {
      ...load,
      measurement: "up",
      description: "1 while a scheduler is running, 0 while it is starting, failed or down",
    }),
  ];
}
