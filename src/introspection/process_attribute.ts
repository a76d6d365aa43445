/**
 * The attributes processes can be ranked by.
 *
 * @module
 */

/**
 * A numeric field of {@linkcode ProcessInfo} that `procCount` and
 * `procWindow` rank processes by (recon's `message_queue_len`,
 * `reductions`, `memory`, plus the age of the oldest queued message, and
 * the system monitor's busy time and long-callback count: the BEAM's CPU
 * ranking by reductions, in milliseconds).
 *
 * @example
 * ```ts
 * import type { ProcessAttribute } from "@beamlet/beamlet/introspection";
 *
 * const attribute: ProcessAttribute = "messageQueueLength";
 * ```
 */
export type ProcessAttribute =
  | "messageQueueLength"
  | "reductions"
  | "memoryBytes"
  | "oldestMessageAgeMs"
  | "busyMs"
  | "longCallbacks";

/**
 * Every {@linkcode ProcessAttribute}, in a fixed order.
 *
 * @example Ranking by each in turn
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { procCount, PROCESS_ATTRIBUTES } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * for (const attribute of PROCESS_ATTRIBUTES) console.log(attribute, procCount(system, attribute, 3));
 * ```
 */
export const PROCESS_ATTRIBUTES: readonly ProcessAttribute[] = Object.freeze([
  "messageQueueLength",
  "reductions",
  "memoryBytes",
  "oldestMessageAgeMs",
  "busyMs",
  "longCallbacks",
]);
