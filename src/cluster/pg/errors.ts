/**
 * Named errors of process groups.
 *
 * @module
 */

/**
 * A second {@linkcode ProcessGroups} of one scope on one system: a node
 * has one view of a scope. Close the first one, or use another scope.
 *
 * @example
 * ```ts
 * import { ScopeInUseError } from "@beamlet/beamlet/cluster";
 *
 * console.log(new ScopeInUseError("default").message);
 * // "process groups of scope default are already open on this system"
 * ```
 */
export class ScopeInUseError extends Error {
  /** `"scope_in_use"`. */
  readonly code = "scope_in_use";
  /** The scope. */
  readonly scope: string;

  /** Built when a scope is opened twice on one system. */
  constructor(scope: string) {
    super(`process groups of scope ${scope} are already open on this system`);
    this.name = "ScopeInUseError";
    this.scope = scope;
  }
}

/**
 * A `join` or `monitor` on process groups that were closed (`close()`, or
 * the system left its cluster).
 *
 * @example
 * ```ts
 * import { ProcessGroupsClosedError } from "@beamlet/beamlet/cluster";
 *
 * console.log(new ProcessGroupsClosedError("default", "join").message);
 * // "join: the process groups of scope default are closed"
 * ```
 */
export class ProcessGroupsClosedError extends Error {
  /** `"process_groups_closed"`. */
  readonly code = "process_groups_closed";
  /** The scope. */
  readonly scope: string;

  /** Built when closed process groups are asked to change. */
  constructor(scope: string, what: string) {
    super(`${what}: the process groups of scope ${scope} are closed`);
    this.name = "ProcessGroupsClosedError";
    this.scope = scope;
  }
}
