/**
 * What a System asks of its cluster (internal): the narrow view `_cluster.ts`
 * implements, so that the System does not depend on the class (and,
 * through it, on the node fabric and the kernel functions it calls).
 *
 * @module
 */

import type { MailboxPort } from "../options.ts";
import type { Pid } from "../pid.ts";

/** A System's cluster, once it is connected. */
export interface SystemCluster {
  /** The routing seam's port for a pid of another node (undefined once it left). */
  portFor(pid: Pid): MailboxPort | undefined;
  /** `system.stop` of a pid of another node. */
  stop(pid: Pid, reason: unknown, timeout: number): Promise<void>;
  /** Leaves the cluster cleanly. */
  leave(): Promise<void>;
}
