/**
 * Applying one change the bucket's watch delivers (internal): the copy
 * learns or forgets the name, and a name this node's process holds is
 * dropped (unregistered elsewhere), orphaned (purged by nodes that saw this
 * one down) or in conflict (another process holds it in the bucket).
 *
 * @module
 */

import type { KvEntry } from "@nats-io/kv";
import { samePid } from "../../pid.ts";
import type { RegistryContext } from "./_context.ts";
import { conflict } from "./_conflicts.ts";
import { nameOf } from "./_keys.ts";
import { decodeStored } from "./_stored.ts";

/** Applies `entry` (in the watch's order) to the copy and this node's holders. */
export function applyEntry(ctx: RegistryContext, entry: KvEntry): void {
  if (ctx.closed) return;
  const name = nameOf(entry.key);
  if (name === undefined) return; // not a key of ours
  if (entry.operation !== "PUT") {
    ctx.copy.forget(name, entry.revision);
    ctx.copy.floors.delete(name); // every older PUT came before this (the watch is in order)
    const held = ctx.held.get(name);
    if (held === undefined || held.revision > entry.revision) return; // older than its holder
    if (entry.operation === "DEL") {
      // Unregistered by another node: the process goes on, nameless.
      ctx.held.delete(name);
      if (held.ref !== undefined) ctx.system.demonitor(held.ref);
    } else {
      // Purged by nodes that saw this one down: registered again at the next re-check.
      held.orphaned = true;
    }
    return;
  }
  const stored = decodeStored(ctx.link, entry.value);
  if (stored === undefined) return;
  const known = ctx.copy.learn(name, stored, entry.revision);
  const held = ctx.held.get(name);
  if (held === undefined || known === undefined) return;
  if (samePid(held.pid, stored.pid)) {
    held.revision = Math.max(held.revision, entry.revision);
    held.orphaned = false;
    return;
  }
  if (held.revision > entry.revision) return; // older than its holder's own write
  conflict(ctx, name, held, known);
}
