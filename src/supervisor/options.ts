/**
 * Options of supervisors: strategy, restart intensity, and where reports go.
 *
 * @module
 */

import type { Clock } from "../clock.ts";
import type { SupervisorLogger } from "./report.ts";

/**
 * Which children a supervisor restarts when one exits: `"one_for_one"` that
 * child; `"one_for_all"` all of them; `"rest_for_one"` that child and those
 * started after it. The others are stopped in reverse start order first.
 *
 * @example A pipeline whose later stages depend on the earlier ones
 * ```ts
 * import { ok, type Strategy, Supervisor, System } from "@beamlet/beamlet";
 *
 * const stage = { init: () => ok(null) };
 * const strategy: Strategy = "rest_for_one"; // a crashed reader restarts the parser too
 * const system = new System();
 * await Supervisor.start(system, [
 *   { id: "reader", start: { server: stage } },
 *   { id: "parser", start: { server: stage } },
 * ], { strategy });
 * ```
 */
export type Strategy = "one_for_one" | "one_for_all" | "rest_for_one";

/**
 * Options shared by {@linkcode Supervisor} and {@linkcode DynamicSupervisor}.
 *
 * @example Tolerate 10 restarts a minute, report them
 * ```ts
 * import type { SupervisorOptions } from "@beamlet/beamlet";
 *
 * const options: SupervisorOptions = {
 *   strategy: "one_for_one",
 *   intensity: 10,
 *   period: 60_000,
 *   logger: { report: (report) => console.warn(report.event, report.childId) },
 * };
 * ```
 */
export interface SupervisorOptions {
  /** Default `"one_for_one"` (the only one a dynamic supervisor has). */
  strategy?: Strategy;
  /** Most restarts within `period` (default 3); one more and the supervisor gives up. */
  intensity?: number;
  /** The window of `intensity`, ms (default 5000). */
  period?: number;
  /** Register the supervisor under this name. */
  name?: string;
  /**
   * Where restart and give-up reports go (default: nowhere). The system's
   * logger is not reachable through the public API, hence this option.
   */
  logger?: SupervisorLogger | null;
  /**
   * The clock restarts are timed on (default: the system's clock, so a test
   * system's virtual clock times them like every other timer).
   */
  clock?: Clock;
}

/**
 * Options of {@linkcode DynamicSupervisor}.
 *
 * @example At most 100 sessions
 * ```ts
 * import type { DynamicSupervisorOptions } from "@beamlet/beamlet";
 *
 * const options: DynamicSupervisorOptions = { maxChildren: 100, name: "sessions" };
 * ```
 */
export interface DynamicSupervisorOptions extends Omit<SupervisorOptions, "strategy"> {
  /** Most children at once (default `Infinity`); `startChild` beyond it fails. */
  maxChildren?: number;
}
