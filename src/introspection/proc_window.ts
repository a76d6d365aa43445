/**
 * The processes whose something grew the most over a time window (recon's
 * `proc_window/3`).
 *
 * @module
 */

import type { System } from "../system.ts";
import { checkAttribute, checkCount, checkMs } from "./_checks.ts";
import { rankOf, sample, type Sampled } from "./_sample.ts";
import { topN } from "./_top.ts";
import type { ProcessAttribute } from "./process_attribute.ts";
import type { ProcessRank } from "./process_rank.ts";

/**
 * Samples `attribute` of every live process, waits `ms` on the system's
 * clock (`system.setTimer`, so a test's virtual clock drives it), samples
 * again, and resolves with the `n` processes whose value grew the most,
 * largest growth first — recon's `proc_window/3`. Where `procCount` tells
 * who has done the most work since it started, this tells who is busy *now*.
 *
 * As in recon: a process that exited during the window is left out; one
 * born during it counts from 0 (its growth is its whole value). `value` is
 * the difference (it can be negative, e.g. a queue that drained);
 * `info` summarizes the process at the end of the window.
 *
 * The first sample is taken when `procWindow` is called. Bad arguments
 * reject the returned Promise: {@linkcode UnknownAttributeError} for an
 * unknown `attribute`, `RangeError` for `n` not an integer >= 0 or `ms` not
 * a finite number >= 0.
 *
 * @example Who handled the most messages in the last second
 * ```ts
 * import { noreply, ok, System } from "@beamlet/beamlet";
 * import { procWindow } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const busy = await system.start({ init: () => ok(0), handleCast: (_m, n: number) => noreply(n + 1) });
 * const window = procWindow(system, "reductions", 5, 1000);
 * for (let i = 0; i < 100; i++) system.cast(busy, i);
 * const [top] = await window;
 * console.log(top.pid === busy, top.value); // true 100
 * ```
 */
export async function procWindow(
  system: System,
  attribute: ProcessAttribute,
  n: number,
  ms: number,
): Promise<ProcessRank[]> {
  checkAttribute("procWindow", attribute);
  checkCount("procWindow", "n", n);
  checkMs("procWindow", "ms", ms);
  const before = new Map<string, number>();
  for (const { pid, value } of sample(system, attribute)) before.set(String(pid), value);
  await new Promise<void>((resolve) => system.setTimer(ms, resolve));
  return topN(growth(sample(system, attribute), before), n).map(rankOf);
}

function* growth(after: Iterable<Sampled>, before: Map<string, number>): Generator<Sampled> {
  for (const sampled of after) {
    yield { ...sampled, value: sampled.value - (before.get(String(sampled.pid)) ?? 0) };
  }
}
