/**
 * Links between live processes (internal): both ends kept in step, and the
 * runtime's count of link ends exact (`tableSizes` reads it).
 *
 * @module
 */

import type { Process } from "../state/process.ts";
import type { Runtime } from "../state/runtime.ts";

/** Links two live processes (both ends); counted once per new end. */
export function addLink(rt: Runtime, a: Process, b: Process): void {
  const links = a.links ??= new Set();
  if (links.has(b)) return;
  links.add(b);
  (b.links ??= new Set()).add(a);
  rt.counts.links += 2;
}
/** Removes the link between two processes, if there is one. */
export function removeLink(rt: Runtime, a: Process, b: Process): void {
  if (a.links === undefined || !a.links.delete(b)) return;
  b.links?.delete(a);
  rt.counts.links -= 2;
}
const NO_PROCESSES: readonly Process[] = Object.freeze([]);

/** Removes every link of an exiting process: the processes it was linked to. */
export function removeLinks(rt: Runtime, process: Process): readonly Process[] {
  const links = process.links;
  if (links === undefined || links.size === 0) return NO_PROCESSES; // most processes: nothing to do
  const others = [...links];
  for (const other of others) other.links?.delete(process);
  process.links = undefined;
  rt.counts.links -= 2 * others.length;
  return others;
}
