/**
 * Child specifications: what a supervisor starts, when it restarts it, and
 * how it shuts it down.
 *
 * @module
 */

import type { GenServer } from "../gen_server.ts";
import type { StartOptions } from "../options.ts";

/**
 * When a child is restarted after it exits: `"permanent"` always,
 * `"transient"` only after an abnormal exit (not `"normal"`, `"shutdown"`,
 * `{ shutdown }`), `"temporary"` never.
 *
 * @example A job restarted only if it crashes
 * ```ts
 * import { type ChildSpec, ok, type Restart } from "@beamlet/beamlet";
 *
 * const restart: Restart = "transient";
 * const job: ChildSpec = { id: "import", start: { server: { init: () => ok(0) } }, restart };
 * ```
 */
export type Restart = "permanent" | "transient" | "temporary";

/**
 * How a child is shut down: `"brutal_kill"` (killed at once), a number of
 * milliseconds to wait after the `"shutdown"` exit signal before killing it,
 * or `"infinity"` (wait as long as it takes; the default for supervisors).
 *
 * @example Ten seconds to flush before being killed
 * ```ts
 * import { type ChildSpec, ok, type Shutdown } from "@beamlet/beamlet";
 *
 * const shutdown: Shutdown = 10_000;
 * const writer: ChildSpec = { id: "writer", start: { server: { init: () => ok([]) } }, shutdown };
 * ```
 */
export type Shutdown = "brutal_kill" | number | "infinity";

/**
 * Whether a child is a worker or a supervisor (it changes the default shutdown).
 *
 * @example The nested supervisors among a supervisor's children
 * ```ts
 * import { ok, Supervisor, System } from "@beamlet/beamlet";
 * import type { ChildType } from "@beamlet/beamlet/supervisor";
 *
 * const system = new System();
 * const root = await Supervisor.start(system, [
 *   { id: "cache", start: { server: { init: () => ok(new Map()) } } },
 *   Supervisor.childSpec("workers", []),
 * ]);
 * const type: ChildType = "supervisor";
 * const nested = (await Supervisor.whichChildren(system, root)).filter((c) => c.type === type);
 * console.log(nested.map((c) => c.id)); // ["workers"]
 * ```
 */
export type ChildType = "worker" | "supervisor";

/**
 * One child of a supervisor. The supervisor starts it with
 * `ctx.startLink(start.server, start.arg, start.options)`.
 *
 * @example A worker that may crash, restarted only on crashes
 * ```ts
 * import { type ChildSpec, ok } from "@beamlet/beamlet";
 *
 * const spec: ChildSpec = {
 *   id: "mailer",
 *   start: { server: { init: (from: string) => ok(from) }, arg: "noreply@example.com" },
 *   restart: "transient",
 *   shutdown: 2000,
 * };
 * ```
 */
export interface ChildSpec {
  /** Unique among the children of one supervisor. */
  id: string;
  /** What to start. */
  // deno-lint-ignore no-explicit-any
  start: { server: GenServer<any, any>; arg?: unknown; options?: StartOptions };
  /** Default `"permanent"`. */
  restart?: Restart;
  /** Default 5000 ms for workers, `"infinity"` for supervisors. */
  shutdown?: Shutdown;
  /** Default `"worker"`. */
  type?: ChildType;
}
