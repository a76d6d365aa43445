/**
 * Dynamic supervisors: they start with no children and start them on
 * demand (sessions, connections, jobs), restart them one for one, and can
 * refuse new ones beyond `maxChildren`.
 *
 * @module
 */

import type { GenServer } from "../gen_server.ts";
import type { Pid } from "../pid.ts";
import type { Target } from "../options.ts";
import type { System } from "../system.ts";
import type { ChildSpec } from "./child_spec.ts";
import type { ChildCounts, ChildInfo } from "./child_info.ts";
import type { DynamicSupervisorOptions } from "./options.ts";
import { checkOptions, checkSpec } from "./_config.ts";
import { readOptions } from "../_options.ts";
import { request } from "./_protocol.ts";
import { supervisorServer } from "./_server.ts";
import { unwrapStartError } from "./supervisor.ts";

/**
 * A dynamic supervisor's child spec: the id is optional (children are known by pid).
 *
 * @example One spec, many children
 * ```ts
 * import { DynamicSupervisor, ok, System } from "@beamlet/beamlet";
 * import type { DynamicChildSpec } from "@beamlet/beamlet/supervisor";
 *
 * const connection = (host: string): DynamicChildSpec => ({
 *   start: { server: { init: (h: string) => ok({ host: h }) }, arg: host },
 *   restart: "transient",
 * });
 * const system = new System();
 * const pool = await DynamicSupervisor.start(system);
 * for (const host of ["db-1", "db-2"]) {
 *   await DynamicSupervisor.startChild(system, pool, connection(host));
 * }
 * ```
 */
export type DynamicChildSpec = Omit<ChildSpec, "id"> & { id?: string };

/**
 * The client API of dynamic supervisors (as Elixir's `DynamicSupervisor`).
 *
 * @example One session per customer, at most 1000
 * ```ts
 * import { DynamicSupervisor, ok, System } from "@beamlet/beamlet";
 *
 * const session = { init: (customer: string) => ok({ customer, cart: [] }) };
 * const system = new System();
 * const sessions = await DynamicSupervisor.start(system, { maxChildren: 1000 });
 * const pid = await DynamicSupervisor.startChild(system, sessions, {
 *   start: { server: session, arg: "c-42" },
 *   restart: "transient",
 * });
 * ```
 */
export class DynamicSupervisor {
  private constructor() {}

  /**
   * Starts a dynamic supervisor with no children. Rejects with a
   * `TypeError` / `RangeError` for a bad option.
   *
   * @example
   * ```ts
   * import { DynamicSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await DynamicSupervisor.start(system, { name: "jobs", intensity: 10, period: 1000 });
   * ```
   */
  static async start(system: System, options: DynamicSupervisorOptions = {}): Promise<Pid> {
    const config = dynamicConfig(options, "DynamicSupervisor.start");
    try {
      return (await system.start(supervisorServer, { config, specs: [] }, { name: options.name }))!;
    } catch (error) {
      throw unwrapStartError(error);
    }
  }

  /**
   * A child spec that starts a dynamic supervisor (with no children) under
   * another supervisor: type `"supervisor"`, shutdown `"infinity"` unless
   * `overrides` says otherwise. Validates at once, as `start` would; a name
   * in `options` registers it, so `startChild` can address it by name.
   *
   * @throws {TypeError | RangeError} for a bad option.
   *
   * @example Sessions under the application's supervisor
   * ```ts
   * import { DynamicSupervisor, ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * await Supervisor.start(system, [
   *   DynamicSupervisor.childSpec("sessions", { name: "sessions", maxChildren: 1000 }),
   * ]);
   * await DynamicSupervisor.startChild(system, "sessions", { start: { server: { init: () => ok(0) } } });
   * ```
   */
  static childSpec(
    id: string,
    options: DynamicSupervisorOptions = {},
    overrides: Partial<Omit<ChildSpec, "id" | "start">> = {},
  ): ChildSpec {
    const where = "DynamicSupervisor.childSpec";
    const config = dynamicConfig(options, where);
    const spec: ChildSpec = {
      type: "supervisor",
      ...overrides,
      id,
      start: {
        server: supervisorServer,
        arg: { config, specs: [] },
        options: { name: options.name },
      },
    };
    checkSpec(spec, where);
    return spec;
  }

  /**
   * Starts a child under it: its pid (`undefined` if its `init` returned
   * `ignore()`; nothing is kept then). Rejects with
   * {@linkcode MaxChildrenError} at the limit, {@linkcode ChildStartError}
   * if its `init` fails, or a `TypeError` / `RangeError` for a bad spec.
   *
   * @example
   * ```ts
   * import { DynamicSupervisor, ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await DynamicSupervisor.start(system);
   * const pid = await DynamicSupervisor.startChild(system, sup, { start: { server: { init: () => ok(0) } } });
   * ```
   */
  static async startChild<Req = unknown, Rep = unknown, C = unknown>(
    system: System,
    supervisor: Target,
    spec: DynamicChildSpec & {
      // deno-lint-ignore no-explicit-any
      start: { server: GenServer<any, any, Req, Rep, C, any> };
    },
  ): Promise<Pid<Req, Rep, C> | undefined> {
    const checked = checkSpec(spec as ChildSpec, "DynamicSupervisor.startChild", false);
    return await request(system, supervisor, { op: "start_child", spec: checked }) as
      | Pid<Req, Rep, C>
      | undefined;
  }

  /**
   * Shuts a child down (by its shutdown setting) and forgets it. Rejects
   * with {@linkcode ChildNotFoundError} if `pid` is not its child.
   *
   * @example
   * ```ts
   * import { DynamicSupervisor, ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await DynamicSupervisor.start(system);
   * const pid = await DynamicSupervisor.startChild(system, sup, { start: { server: { init: () => ok(0) } } });
   * await DynamicSupervisor.terminateChild(system, sup, pid!);
   * ```
   */
  static async terminateChild(system: System, supervisor: Target, pid: Pid): Promise<void> {
    await request(system, supervisor, { op: "terminate_pid", pid });
  }

  /**
   * Its children, oldest first.
   *
   * @example
   * ```ts
   * import { DynamicSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await DynamicSupervisor.start(system);
   * console.log(await DynamicSupervisor.whichChildren(system, sup)); // []
   * ```
   */
  static whichChildren(system: System, supervisor: Target): Promise<ChildInfo[]> {
    return request(system, supervisor, { op: "which" });
  }

  /**
   * How many children it has.
   *
   * @example
   * ```ts
   * import { DynamicSupervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const sup = await DynamicSupervisor.start(system);
   * console.log((await DynamicSupervisor.countChildren(system, sup)).active); // 0
   * ```
   */
  static countChildren(system: System, supervisor: Target): Promise<ChildCounts> {
    return request(system, supervisor, { op: "count" });
  }
}

/** The checked config of a dynamic supervisor: one_for_one, whatever else is given is refused. */
function dynamicConfig(options: DynamicSupervisorOptions, where: string) {
  return readOptions(`${where}: options`, () => {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${where}: options must be an object`);
    }
    const config = checkOptions({ ...options, strategy: undefined }, where, true);
    if ((options as { strategy?: unknown }).strategy !== undefined) {
      checkOptions(options, where, true); // throws for anything but one_for_one
    }
    return config;
  });
}
