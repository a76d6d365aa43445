/**
 * What the monitors of process groups receive: a listener gets a
 * {@linkcode GroupEvent}, a monitoring process a {@linkcode GroupMessage}.
 *
 * @module
 */

import type { Pid, Ref } from "../../pid.ts";

/**
 * `pids` joined or left `group` (on this node or another; a pid joined
 * twice and leaving once is listed once). A node lost takes its members
 * away: one `"leave"` per group it had members in.
 *
 * @example
 * ```ts
 * import type { GroupEvent } from "@beamlet/beamlet/cluster";
 *
 * const describe = (event: GroupEvent): string =>
 *   `${event.pids.length} ${event.type === "join" ? "joined" : "left"} ${event.group}`;
 * ```
 */
export interface GroupEvent {
  /** `"join"` or `"leave"`. */
  readonly type: "join" | "leave";
  /** The group. */
  readonly group: string;
  /** The pids that joined or left (one entry per join or leave). */
  readonly pids: readonly Pid[];
}

/**
 * A group event, as the process that asked `monitor(group, pid)` (or
 * `monitorScope(pid)`) receives it in its mailbox (`handleInfo`); `ref`
 * is what `monitor` returned.
 *
 * @example Keeping a list of workers in a server
 * ```ts
 * import { noreply, ok, type Pid } from "@beamlet/beamlet";
 * import type { GroupMessage } from "@beamlet/beamlet/cluster";
 *
 * const watcher = {
 *   init: () => ok([] as Pid[]),
 *   handleInfo: (message: GroupMessage, workers: Pid[]) =>
 *     noreply(
 *       message.event === "join"
 *         ? [...workers, ...message.pids]
 *         : workers.filter((pid) => !message.pids.some((gone) => gone.equals(pid))),
 *     ),
 * };
 * ```
 */
export interface GroupMessage {
  /** `"pg"`: tells these messages apart from others. */
  readonly type: "pg";
  /** `"join"` or `"leave"`. */
  readonly event: "join" | "leave";
  /** The monitor's ref. */
  readonly ref: Ref;
  /** The group. */
  readonly group: string;
  /** The pids that joined or left. */
  readonly pids: readonly Pid[];
}

/**
 * A listener of group events (`monitor(group, listener)`,
 * `monitorScope(listener)`). One that throws is reported through the
 * system's logger (a `"callback"` report); the others still run.
 *
 * @example
 * ```ts
 * import type { GroupListener } from "@beamlet/beamlet/cluster";
 *
 * const log: GroupListener = (event) => console.log(event.type, event.group, event.pids.map(String));
 * ```
 */
export type GroupListener = (event: GroupEvent) => void;
