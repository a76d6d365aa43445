/**
 * The emitter of `beamlet.scheduler.load` (internal): on scheduler 0 of a
 * system, while anyone listens to that event, it rides on
 * `beamlet.system.table_size` (executed at the end of a scheduler slice, at
 * most once a second) and executes one load event per scheduler that
 * `system.schedulers()` lists — so a system of one scheduler reports
 * scheduler 0 alone. Nobody listening costs nothing: the table-size
 * handler is attached only while `beamlet.scheduler.load` has handlers.
 * The Workers' systems (schedulers 1..) install nothing: scheduler 0
 * already reports them.
 *
 * @module
 */

import { TABLE_SIZE } from "../telemetry/catalog/runtime_events.ts";
import { SCHEDULER_LOAD } from "../telemetry/catalog/scheduler_events.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { SchedulerInfo } from "./scheduler_info.ts";

/** What the emitter reads of a system (a `System` is one). */
export interface SchedulerLoadSource {
  readonly telemetry: Telemetry;
  schedulers(): SchedulerInfo[];
}

/** The handler id of the table-size handler, one per system's telemetry. */
const HANDLER_ID = Symbol("beamlet.scheduler.load");

/** Telemetries the emitter is installed on: once each. */
const installed = new WeakSet<Telemetry>();

/**
 * Installs the load emitter of `system`'s schedulers when `scheduler` (the
 * system's own scheduler index) is 0; a no-op on a Worker's system.
 * Idempotent per system; called once, as the system is built.
 */
export function attachSchedulerLoad(system: SchedulerLoadSource, scheduler: number): void {
  if (scheduler !== 0) return;
  const telemetry = system.telemetry;
  if (installed.has(telemetry)) return;
  installed.add(telemetry);
  let attached = false;
  const sync = () => {
    const wanted = telemetry.hasHandlers(SCHEDULER_LOAD);
    if (wanted === attached) return;
    // Set first: attaching and detaching call this listener again.
    attached = wanted;
    if (wanted) telemetry.attach(HANDLER_ID, TABLE_SIZE, () => emitLoad(system));
    else telemetry.detach(HANDLER_ID);
  };
  telemetry.onChange(sync);
  sync();
}

/** Executes one load event per scheduler `system` lists. */
function emitLoad(system: SchedulerLoadSource): void {
  let schedulers: SchedulerInfo[];
  try {
    schedulers = system.schedulers();
  } catch {
    // A listing that throws skips the round; a throwing handler would be detached for good.
    return;
  }
  for (const info of schedulers) {
    system.telemetry.execute(SCHEDULER_LOAD, {
      processes: info.processes,
      tasks: info.tasks,
      up: info.status === "running" ? 1 : 0,
    }, { scheduler: info.index });
  }
}
