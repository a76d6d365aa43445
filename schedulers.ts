/**
 * Many schedulers (`new System({ schedulers: n, modules })`): what runs on
 * another scheduler is found there by name — `defineBehaviour` for
 * GenServers a start may place elsewhere, `defineTask` for the functions
 * `Task.cpu` runs elsewhere — in modules every scheduler loads; and the
 * named errors of placing and crossing schedulers. `System`, the
 * `placement` start option and `Task.cpu` are in the root entry. See
 * `docs/schedulers.md`.
 *
 * @example A counter placed on the second scheduler
 * ```ts
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import { defineBehaviour } from "@beamlet/beamlet/schedulers";
 *
 * // In a module every scheduler loads (SystemOptions.modules):
 * export const counter = defineBehaviour("docs.counter", {
 *   init: (n: number) => ok(n),
 *   handleCall: (_r: "get", _from, n: number) => reply(n, n),
 * });
 *
 * const system = new System(); // with { schedulers: 2, modules: [...] }, "round-robin" spreads them
 * await system.ready;
 * const pid = await system.start(counter, 1, { placement: "round-robin" });
 * console.log(await system.call(pid, "get")); // 1
 * ```
 *
 * @module
 */

export {
  defineBehaviour,
  defineTask,
  type TaskDefinition,
} from "./src/schedulers/define_behaviour.ts";
export type { SchedulerInfo } from "./src/schedulers/scheduler_info.ts";
export { SchedulerDownError, SchedulerStartError, UnknownBehaviourError } from "./src/errors.ts";
export { UndecodableError, UnencodableError } from "./src/schedulers/errors.ts";
