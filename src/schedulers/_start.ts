/**
 * Brings a system's schedulers up (internal), loaded by `System` with a
 * dynamic import only when it runs more than one, so that a system of one
 * scheduler never loads the fabric or its codec.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import { Schedulers } from "./_schedulers.ts";
import { setSchedulersOf, type SystemSchedulers } from "./_system_schedulers.ts";

/** What `System` hands over. */
export interface StartSchedulers {
  readonly system: object;
  readonly rt: Runtime;
  readonly index: number;
  readonly count: number;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly modules: readonly string[];
  readonly options: Record<string, unknown>;
  call(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown>;
  /** Hands the System its schedulers as soon as they exist (before the Workers are up). */
  adopt(schedulers: SystemSchedulers): void;
}

/** Builds this scheduler's end; on scheduler 0 also starts the Workers. */
export async function startSchedulers(start: StartSchedulers): Promise<Schedulers> {
  const schedulers = new Schedulers(
    { rt: start.rt, call: start.call },
    start.index,
    start.count,
    start.control,
  );
  setSchedulersOf(start.system, schedulers);
  start.adopt(schedulers);
  start.rt.spawner = schedulers.spawner;
  if (start.index === 0) {
    await schedulers.startWorkers({
      count: start.count,
      node: start.rt.node,
      memory: start.memory,
      control: start.control,
      modules: start.modules,
      options: start.options,
    });
  }
  return schedulers;
}
