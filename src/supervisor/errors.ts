/**
 * Named errors of supervisors. Every one leaves the supervision tree as it was.
 *
 * @module
 */

import { type ExitReason, formatReason } from "../exit_reason.ts";

/**
 * A child's `init` failed (threw, or returned `stop`) while a supervisor
 * started it: from `Supervisor.start` (the children already started were
 * stopped, in reverse order) or from `startChild`.
 *
 * @example Catching a child that cannot start
 * ```ts
 * import { ChildStartError } from "@beamlet/beamlet";
 *
 * const error = new ChildStartError("db", "econnrefused");
 * console.log(error.childId, error.reason); // "db" "econnrefused"
 * ```
 */
export class ChildStartError extends Error {
  /** The id of the child that failed. */
  readonly childId: string;
  /** Why its `init` failed. */
  readonly reason: ExitReason;

  /** Built by a supervisor when a child's start fails. */
  constructor(childId: string, reason: ExitReason, options?: ErrorOptions) {
    super(`child ${childId} failed to start: ${formatReason(reason)}`, options);
    this.name = "ChildStartError";
    this.childId = childId;
    this.reason = reason;
  }
}

/**
 * Two children of one supervisor with the same id (in `Supervisor.start`, or
 * `startChild` with an id already present).
 *
 * @example
 * ```ts
 * import { DuplicateChildError } from "@beamlet/beamlet";
 *
 * const error = new DuplicateChildError("cache");
 * console.log(error.message); // "a child with id cache is already present"
 * ```
 */
export class DuplicateChildError extends Error {
  /** The id given twice. */
  readonly childId: string;

  /** Built by a supervisor when an id is taken. */
  constructor(childId: string) {
    super(`a child with id ${childId} is already present`);
    this.name = "DuplicateChildError";
    this.childId = childId;
  }
}

/**
 * No child of that supervisor has this id (or, for a dynamic supervisor, this pid).
 *
 * @example
 * ```ts
 * import { ChildNotFoundError } from "@beamlet/beamlet";
 *
 * const error = new ChildNotFoundError("nope");
 * console.log(error.message); // "no child nope"
 * ```
 */
export class ChildNotFoundError extends Error {
  /** The id (or pid, as text) asked for. */
  readonly childId: string;

  /** Built by a supervisor when a child is unknown. */
  constructor(childId: string) {
    super(`no child ${childId}`);
    this.name = "ChildNotFoundError";
    this.childId = childId;
  }
}

/**
 * `restartChild` or `deleteChild` on a child that is running: terminate it first.
 *
 * @example
 * ```ts
 * import { ChildRunningError } from "@beamlet/beamlet";
 *
 * const error = new ChildRunningError("worker");
 * console.log(error.message); // "child worker is running"
 * ```
 */
export class ChildRunningError extends Error {
  /** The child's id. */
  readonly childId: string;

  /** Built by a supervisor when a running child cannot be restarted or deleted. */
  constructor(childId: string) {
    super(`child ${childId} is running`);
    this.name = "ChildRunningError";
    this.childId = childId;
  }
}

/**
 * A dynamic supervisor already has `maxChildren` children: the new one is refused.
 *
 * @example
 * ```ts
 * import { MaxChildrenError } from "@beamlet/beamlet";
 *
 * const error = new MaxChildrenError(10);
 * console.log(error.maxChildren); // 10
 * ```
 */
export class MaxChildrenError extends Error {
  /** The limit that was reached. */
  readonly maxChildren: number;

  /** Built by a dynamic supervisor at its limit. */
  constructor(maxChildren: number) {
    super(`the supervisor already has its maximum of ${maxChildren} children`);
    this.name = "MaxChildrenError";
    this.maxChildren = maxChildren;
  }
}
