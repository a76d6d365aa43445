/**
 * Which Schedulers a System runs (internal): set once its schedulers are
 * up, read by `Task.cpu`, the testing hooks and a Worker's entry.
 *
 * @module
 */

import type { Schedulers } from "./_schedulers.ts";

const bySystem = new WeakMap<object, Schedulers>();

/** Records a system's schedulers. */
export function setSchedulersOf(system: object, schedulers: Schedulers): void {
  bySystem.set(system, schedulers);
}

/** A system's schedulers, once up (undefined for a system of one scheduler). */
export function schedulersOf(system: object): Schedulers | undefined {
  return bySystem.get(system);
}
