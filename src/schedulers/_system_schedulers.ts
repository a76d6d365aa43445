/**
 * Which schedulers a System runs (internal): set once its schedulers are
 * built, read by `Task.cpu`, the testing hooks and a Worker's entry.
 *
 * What is kept is the narrow view below, not the Schedulers class: the
 * System and `Task.cpu` need only this, and depending on the class would
 * tie them (through the fabric and the kernel functions it calls) into one
 * knot of imports.
 *
 * @module
 */

import type { MailboxPort } from "../options.ts";
import type { Pid } from "../pid.ts";
import type { SchedulerInfo } from "./scheduler_info.ts";

/** What a System and `Task.cpu` ask of its schedulers (`_schedulers.ts` implements it). */
export interface SystemSchedulers {
  /** The routing seam's port for a pid of this node on another scheduler. */
  portFor(pid: Pid): MailboxPort | undefined;
  /** Every scheduler and how it fares. */
  info(): SchedulerInfo[];
  /** Stops the fabric and (on scheduler 0) the Workers. */
  shutdown(): void;
  /** On scheduler 0: the other schedulers stop their top-level processes. */
  stopOthers(reason: unknown, timeout: number): Promise<void>;
  /** Runs a defined task on the least busy other scheduler; undefined when there is none. */
  runTask(name: string, args: unknown[], timeout: number): Promise<unknown> | undefined;
  /** Terminates scheduler `i`'s Worker (testing). */
  kill(i: number): boolean;
}

const bySystem = new WeakMap<object, SystemSchedulers>();

/** Records a system's schedulers. */
export function setSchedulersOf(system: object, schedulers: SystemSchedulers): void {
  bySystem.set(system, schedulers);
}

/** A system's schedulers, once built (undefined for a system of one scheduler). */
export function schedulersOf(system: object): SystemSchedulers | undefined {
  return bySystem.get(system);
}
