/**
 * What `whichChildren` and `countChildren` tell about a supervisor's children.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { ChildType, Restart } from "./child_spec.ts";

/**
 * One child, as `whichChildren` lists it (in start order). `pid` is
 * `undefined` while the child is not running (terminated, ignored its start,
 * or waiting for a restart retry).
 *
 * @example Listing the running children
 * ```ts
 * import type { ChildInfo } from "@beamlet/beamlet/supervisor";
 *
 * const running = (children: ChildInfo[]) => children.filter((child) => child.pid !== undefined);
 * ```
 */
export interface ChildInfo {
  /** The child's id (a dynamic supervisor's children have one only if their spec gave one). */
  readonly id: string | undefined;
  /** Its pid while it runs. */
  readonly pid: Pid | undefined;
  /** Worker or supervisor. */
  readonly type: ChildType;
  /** Its restart policy. */
  readonly restart: Restart;
}

/**
 * Counts of a supervisor's children, as OTP's `count_children`.
 *
 * @example
 * ```ts
 * import type { ChildCounts } from "@beamlet/beamlet/supervisor";
 *
 * const idle = (counts: ChildCounts) => counts.specs - counts.active;
 * ```
 */
export interface ChildCounts {
  /** Children known (running or not). */
  readonly specs: number;
  /** Children running. */
  readonly active: number;
  /** Children of type supervisor. */
  readonly supervisors: number;
  /** Children of type worker. */
  readonly workers: number;
}
