/**
 * How long a key of a node that is not up is kept before it is purged
 * (internal): the `staleAfterMs` option, else the cluster's `downAfterMs`,
 * else 1.5 s.
 *
 * @module
 */

import type { ClusterLink } from "../cluster_link.ts";

const DEFAULT_STALE_AFTER_MS = 1500;

/** The `staleAfterMs` to use, given the checked option (`undefined`: not set). */
export function staleAfterOf(option: number | undefined, link: ClusterLink): number {
  return option ?? downAfterOf(link) ?? DEFAULT_STALE_AFTER_MS;
}

/** The cluster's `downAfterMs`, when its link tells it. */
function downAfterOf(link: ClusterLink): number | undefined {
  try {
    const settings = (link as { settings?: { downAfterMs?: unknown } }).settings;
    const ms = settings?.downAfterMs;
    return typeof ms === "number" && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}
