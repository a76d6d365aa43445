/**
 * `getState`: a process's raw state, as `:sys.get_state/1` gives it.
 *
 * @module
 */

import type { System, Target } from "../system.ts";
import { hasState, liveProcess } from "./_live_process.ts";

/**
 * The current state of the process `target` names (a pid, a registered
 * name or `{ via, key }`), as it is — the very object, not a copy, and not
 * what its `formatStatus` would show (see {@linkcode formatState} for that):
 * as `:sys.get_state/1`, for debugging and tests. It is the state of the
 * last callback that finished (a callback awaiting a Promise has not
 * returned its new state yet); `undefined` while `init` has not returned.
 * Reading it sends nothing to the process; do not change it.
 *
 * Throws a {@linkcode NoProcError} when no such process is alive, a
 * `TypeError` for a target that is not a pid, a name or `{ via, key }`.
 *
 * @example
 * ```ts
 * import { noreply, ok, System } from "@beamlet/beamlet";
 * import { getState } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * await system.start({
 *   init: () => ok({ hits: 0 }),
 *   handleCast: (_: "hit", s: { hits: number }) => noreply({ hits: s.hits + 1 }),
 * }, undefined, { name: "counter" });
 * system.cast("counter", "hit");
 * await system.runUntilIdle();
 * console.log(getState(system, "counter")); // { hits: 1 }
 * system.shutdown();
 * ```
 */
export function getState(system: System, target: Target): unknown {
  const process = liveProcess(system, target);
  return hasState(process) ? process.state : undefined;
}
