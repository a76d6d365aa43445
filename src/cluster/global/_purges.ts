/**
 * Purging the names of nodes that are gone (internal): when a node goes
 * down, the keys of that run of it; on each sweep, keys seen for
 * `staleAfterMs` whose node is not up (or is up as another run), and this
 * node's own keys left behind by a delete that failed.
 *
 * @module
 */

import type { NodeEvent } from "../cluster_link.ts";
import type { Known } from "./_bucket_copy.ts";
import { type RegistryContext, report, undelete } from "./_context.ts";
import { keyOf } from "./_keys.ts";
import { isWrongSequence } from "./_kv_errors.ts";

/** A node went down: the names of that run of it are purged. */
export function purgeNodeDown(ctx: RegistryContext, event: NodeEvent): void {
  if (ctx.closed || event.type !== "nodedown" || ctx.kv === undefined) return;
  for (const [name, known] of ctx.copy.known) {
    if (known.node === event.node && isDead(ctx, known)) purge(ctx, name, known);
  }
}

/** Purges the names of nodes that are not up, once seen for `staleAfterMs`. */
export function sweep(ctx: RegistryContext): void {
  if (ctx.closed || ctx.kv === undefined) return;
  const now = Date.now();
  if (now - ctx.readyAt <= ctx.staleAfterMs) return; // the members are not known yet
  for (const [name, known] of ctx.copy.known) {
    if (now - known.seenAt <= ctx.staleAfterMs) continue;
    if (isDead(ctx, known)) {
      purge(ctx, name, known);
    } else if (
      known.node === ctx.link.node && !ctx.held.has(name) &&
      !ctx.system.isAlive(known.pid)
    ) {
      // This node's own, left behind (a delete that failed): its holder is gone.
      purge(ctx, name, known);
    }
  }
}

/** Whether `known`'s node is down, or up as another run. */
function isDead(ctx: RegistryContext, known: Known): boolean {
  const link = ctx.link;
  if (known.node === link.node) return known.incarnation !== link.incarnation;
  if (!link.isUp(known.node)) return true;
  for (const info of link.info()) {
    if (info.node === known.node) return info.incarnation !== known.incarnation;
  }
  return true;
}

/** Purges `name` if it is still `known`'s (several nodes doing it is harmless). */
function purge(ctx: RegistryContext, name: string, known: Known): void {
  ctx.copy.deleting(name, known.revision);
  ctx.kv!.purge(keyOf(name), { previousSeq: known.revision }).catch((error) => {
    if (isWrongSequence(error)) return;
    report(ctx, "GlobalRegistry purge", error);
    undelete(ctx, name, known); // still in the bucket: the next sweep tries again
  });
}
