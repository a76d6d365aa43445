/**
 * The processes with the most of something, now (recon's `proc_count/2`).
 *
 * @module
 */

import type { System } from "../system.ts";
import { checkAttribute, checkCount } from "./_checks.ts";
import { rankOf, sample } from "./_sample.ts";
import { topN } from "./_top.ts";
import type { ProcessAttribute } from "./process_attribute.ts";
import type { ProcessRank } from "./process_rank.ts";

/**
 * The `n` live processes with the largest `attribute` now, largest first
 * (ties: the older process first), each with a bounded summary — recon's
 * `proc_count/2`. Use it to find who holds the longest mailbox, the most
 * memory, the oldest unhandled message, or has done the most work since it
 * started (for work done *lately*, see {@linkcode procWindow}).
 *
 * Costs one `processInfo` per live process (the system has no cheaper
 * per-attribute accessor) and O(P log n) to select.
 *
 * @throws {UnknownAttributeError} `attribute` is not a {@linkcode ProcessAttribute}.
 * @throws {RangeError} `n` is not an integer >= 0.
 *
 * @example The three longest mailboxes
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { procCount } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const slow = await system.start({ init: () => ok(null) }, undefined, { name: "slow" });
 * system.suspend(slow); // it keeps receiving, handles nothing
 * for (let i = 0; i < 5; i++) system.send(slow, i);
 * for (const { name, pid, value, info } of procCount(system, "messageQueueLength", 3)) {
 *   console.log(name ?? String(pid), value, info.status); // "slow" 5 "suspended"
 * }
 * ```
 */
export function procCount(system: System, attribute: ProcessAttribute, n: number): ProcessRank[] {
  checkAttribute("procCount", attribute);
  checkCount("procCount", "n", n);
  return topN(sample(system, attribute), n).map(rankOf);
}
