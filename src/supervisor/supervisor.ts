/**
 * Supervisors: processes that start children, watch them, and restart them
 * when they exit — one at a time, all together, or the rest after the one
 * that failed — within a restart intensity. Past it the supervisor stops its
 * children (newest first) and exits with `"shutdown"`, so its own supervisor
 * decides what happens next.
 *
 * @module
 */

import { ExitError } from "../errors.ts";
import type { Pid } from "../pid.ts";
import type { Target } from "../options.ts";
import type { System } from "../system.ts";
import type { ChildSpec } from "./child_spec.ts";
import type { ChildCounts, ChildInfo } from "./child_info.ts";
import { ChildStartError } from "./errors.ts";
import type { SupervisorOptions } from "./options.ts";
import { checkChildren, checkOptions, checkSpec } from "./_config.ts";
import { request } from "./_protocol.ts";
import { readOptions } from "../_options.ts";
import { type SupervisorArg, supervisorServer } from "./_server.ts";

function argOf(children: ChildSpec[], options: SupervisorOptions, where: string): SupervisorArg {
  return {
    config: checkOptions(options, where, false),
    specs: checkChildren(children, where),
  };
}

/** A failed supervisor start rejects with the child's named error, not the runtime's wrapper. */
export function unwrapStartError(error: unknown): unknown {
  if (error instanceof ExitError && error.reason instanceof ChildStartError) return error.reason;
  return error;
}

/**
 * The client API of supervisors (as Elixir's `Supervisor`): every method
 * takes the system and the supervisor (pid or name).
 *
 * @example A supervised counter that survives a crash
 * ```ts
 * import { noreply, ok, reply, Supervisor, System } from "@beamlet/beamlet";
 *
 * const counter = {
 *   init: (start: number) => ok(start),
 *   handleCall: (_request: "get", _from: unknown, n: number) => reply(n, n),
 *   handleCast: (n: number) => {
 *     if (n < 0) throw new Error("negative");
 *     return noreply(n);
 *   },
 * };
 * const system = new System({ logger: null });
 * const sup = await Supervisor.start(system, [
 *   { id: "counter", start: { server: counter, arg: 0, options: { name: "counter" } } },
 * ], { strategy: "one_for_one" });
 * system.cast("counter", -1); // crashes; the supervisor starts a fresh one
 * console.log((await Supervisor.countChildren(system, sup)).specs); // 1
 * ```
 */
export class Supervisor {
  private constructor() {}

  /**
   * Starts a supervisor and its children, in order. Rejects with
   * {@linkcode ChildStartError} if a child's `init` fails (the children
   * already started are stopped, newest first), with
   * {@linkcode DuplicateChildError} for two children with one id, and with a
   * `TypeError` / `RangeError` for a bad spec or option.
   *
   * @example Three workers, restarted all together
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const idle = { init: () => ok(null) };
   * const system = new System();
   * const sup = await Supervisor.start(system, [
   *   { id: "a", start: { server: idle } },
   *   { id: "b", start: { server: idle } },
   *   { id: "c", start: { server: idle } },
   * ], { strategy: "one_for_all", intensity: 5, period: 10_000, name: "workers" });
   * ```
   */
  static async start(
    system: System,
    children: ChildSpec[],
    options: SupervisorOptions = {},
  ): Promise<Pid> {
    const arg = argOf(children, options, "Supervisor.start");
    const name = readOptions("Supervisor.start: options", () => options.name);
    try {
      return (await system.start(supervisorServer, arg, { name }))!;
    } catch (error) {
      throw unwrapStartError(error);
    }
  }

  /**
   * A child spec that starts a supervisor under another supervisor (type
   * `"supervisor"`, shutdown `"infinity"` unless `overrides` says otherwise).
   * Validates at once, as `start` would.
   *
   * @example A tree of two levels
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const idle = { init: () => ok(null) };
   * const system = new System();
   * const root = await Supervisor.start(system, [
   *   Supervisor.childSpec("workers", [{ id: "w1", start: { server: idle } }], { intensity: 1 }),
   * ]);
   * ```
   */
  static childSpec(
    id: string,
    children: ChildSpec[],
    options: SupervisorOptions = {},
    overrides: Partial<Omit<ChildSpec, "id" | "start">> = {},
  ): ChildSpec {
    const arg = argOf(children, options, "Supervisor.childSpec");
    const spec: ChildSpec = {
      type: "supervisor",
      ...overrides,
      id,
      start: { server: supervisorServer, arg, options: { name: options.name } },
    };
    checkSpec(spec, "Supervisor.childSpec");
    return spec;
  }

  /**
   * The children, in start order, with their pids (`undefined` when not running).
   *
   * @example
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await Supervisor.start(system, [{ id: "a", start: { server: { init: () => ok(0) } } }]);
   * console.log((await Supervisor.whichChildren(system, sup))[0].id); // "a"
   * ```
   */
  static whichChildren(system: System, supervisor: Target): Promise<ChildInfo[]> {
    return request(system, supervisor, { op: "which" });
  }

  /**
   * How many children it has: specs, running, supervisors, workers.
   *
   * @example
   * ```ts
   * import { Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await Supervisor.start(system, []);
   * console.log(await Supervisor.countChildren(system, sup)); // { specs: 0, active: 0, ... }
   * ```
   */
  static countChildren(system: System, supervisor: Target): Promise<ChildCounts> {
    return request(system, supervisor, { op: "count" });
  }

  /**
   * Adds a child and starts it: resolves with its pid (`undefined` if its
   * `init` returned `ignore()`). Rejects with {@linkcode DuplicateChildError},
   * {@linkcode ChildStartError} (the child is not added), or a
   * `TypeError` / `RangeError` for a bad spec.
   *
   * @example
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await Supervisor.start(system, []);
   * const pid = await Supervisor.startChild(system, sup, {
   *   id: "late",
   *   start: { server: { init: () => ok(null) } },
   * });
   * ```
   */
  static async startChild(
    system: System,
    supervisor: Target,
    spec: ChildSpec,
  ): Promise<Pid | undefined> {
    const checked = checkSpec(spec, "Supervisor.startChild");
    return await request(system, supervisor, { op: "start_child", spec: checked });
  }

  /**
   * Shuts a child down (by its shutdown setting) and keeps its spec, so
   * `restartChild` can start it again (a temporary child's spec is dropped).
   * Rejects with {@linkcode ChildNotFoundError} for an unknown id.
   *
   * @example
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await Supervisor.start(system, [{ id: "a", start: { server: { init: () => ok(0) } } }]);
   * await Supervisor.terminateChild(system, sup, "a");
   * ```
   */
  static async terminateChild(system: System, supervisor: Target, id: string): Promise<void> {
    await request(system, supervisor, { op: "terminate_child", id });
  }

  /**
   * Starts again a child that `terminateChild` stopped: its new pid. Rejects
   * with {@linkcode ChildNotFoundError}, {@linkcode ChildRunningError} or
   * {@linkcode ChildStartError}.
   *
   * @example
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await Supervisor.start(system, [{ id: "a", start: { server: { init: () => ok(0) } } }]);
   * await Supervisor.terminateChild(system, sup, "a");
   * const pid = await Supervisor.restartChild(system, sup, "a");
   * ```
   */
  static async restartChild(
    system: System,
    supervisor: Target,
    id: string,
  ): Promise<Pid | undefined> {
    return await request(system, supervisor, { op: "restart_child", id });
  }

  /**
   * Forgets a stopped child's spec. Rejects with {@linkcode ChildNotFoundError}
   * or {@linkcode ChildRunningError} (terminate it first).
   *
   * @example
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await Supervisor.start(system, [{ id: "a", start: { server: { init: () => ok(0) } } }]);
   * await Supervisor.terminateChild(system, sup, "a");
   * await Supervisor.deleteChild(system, sup, "a");
   * ```
   */
  static async deleteChild(system: System, supervisor: Target, id: string): Promise<void> {
    await request(system, supervisor, { op: "delete_child", id });
  }
}
