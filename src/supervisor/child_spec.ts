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
 */
export type Restart = "permanent" | "transient" | "temporary";

/**
 * How a child is shut down: `"brutal_kill"` (killed at once), a number of
 * milliseconds to wait after the `"shutdown"` exit signal before killing it,
 * or `"infinity"` (wait as long as it takes; the default for supervisors).
 */
export type Shutdown = "brutal_kill" | number | "infinity";

/** Whether a child is a worker or a supervisor (it changes the default shutdown). */
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
