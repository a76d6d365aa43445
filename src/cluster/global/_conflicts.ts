/**
 * Settling a name this node's process holds against the bucket (internal):
 * re-registering it when it was purged, and, when another process holds it
 * there, a conflict settled by `resolve` (the bucket's holder wins without
 * one); the loser exits with a {@linkcode NameConflictReason}.
 *
 * @module
 */

import type { KvEntry } from "@nats-io/kv";
import type { Pid } from "../../pid.ts";
import { samePid } from "../../pid.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import type { NameConflictReason } from "./options.ts";
import type { Known } from "./_bucket_copy.ts";
import { type Held, type RegistryContext, report } from "./_context.ts";
import { release } from "./_holding.ts";
import { keyOf } from "./_keys.ts";
import { isWrongSequence } from "./_kv_errors.ts";
import { decodeStored, encodeStored } from "./_stored.ts";

/** `held` (here) and `known` (in the bucket) both claim `name`. */
export function conflict(ctx: RegistryContext, name: string, held: Held, known: Known): void {
  if (ctx.held.get(name) !== held) return;
  if (known.displaced !== undefined && samePid(known.displaced, held.pid)) {
    // Another node's resolver gave the name to its own process.
    lose(ctx, name, held, known.pid);
    return;
  }
  let winner: Pid | undefined = known.pid;
  if (ctx.resolve !== undefined) {
    try {
      winner = ctx.resolve(name, known.pid, held.pid);
    } catch (error) {
      report(ctx, "GlobalRegistry resolve", error);
      winner = known.pid;
    }
  }
  if (isPid(winner) && samePid(winner, known.pid)) {
    lose(ctx, name, held, known.pid);
  } else if (isPid(winner) && samePid(winner, held.pid)) {
    void take(ctx, name, held, known);
  } else {
    void freeBoth(ctx, name, held, known);
  }
}

/** This node's process loses `name` to `holder`: it exits. */
function lose(ctx: RegistryContext, name: string, held: Held, holder: Pid | undefined): void {
  if (ctx.held.get(name) === held) ctx.held.delete(name);
  if (held.ref !== undefined) ctx.system.demonitor(held.ref);
  exit(ctx, held.pid, name, holder);
}

/** This node's process keeps `name`: the key becomes its own, the bucket's holder exits. */
async function take(ctx: RegistryContext, name: string, held: Held, known: Known): Promise<void> {
  let revision: number;
  try {
    revision = await ctx.kv!.update(
      keyOf(name),
      encodeStored(ctx.link, { pid: held.pid, displaced: known.pid }),
      known.revision,
    );
  } catch (error) {
    if (isWrongSequence(error)) await recheckName(ctx, name); // changed again: look again
    else report(ctx, "GlobalRegistry resolve", error);
    return;
  }
  if (ctx.held.get(name) !== held) return;
  held.revision = revision;
  held.orphaned = false;
  ctx.copy.learn(name, {
    pid: held.pid,
    node: ctx.link.node,
    incarnation: ctx.link.incarnation,
  }, revision);
  exit(ctx, known.pid, name, held.pid); // its node exits it too, seeing `displaced`
}

/** The resolver kept neither: both exit and the name is freed. */
async function freeBoth(
  ctx: RegistryContext,
  name: string,
  held: Held,
  known: Known,
): Promise<void> {
  lose(ctx, name, held, undefined);
  exit(ctx, known.pid, name, undefined);
  try {
    await ctx.kv!.delete(keyOf(name), { previousSeq: known.revision });
  } catch (error) {
    if (!isWrongSequence(error)) report(ctx, "GlobalRegistry resolve", error);
  }
}

/** Exits `pid` (of any node) for losing `name`. */
function exit(ctx: RegistryContext, pid: Pid, name: string, holder: Pid | undefined): void {
  const reason: NameConflictReason = { reason: "name_conflict", name, holder };
  try {
    ctx.system.exit(pid, reason);
  } catch (error) {
    report(ctx, "GlobalRegistry exit", error);
  }
}

/** Checks one name this node holds against the bucket (see `GlobalRegistry.recheck`). */
export async function recheckName(ctx: RegistryContext, name: string, attempts = 3): Promise<void> {
  const held = ctx.held.get(name);
  if (held === undefined || ctx.closed) return;
  if (!ctx.system.isAlive(held.pid)) {
    await release(ctx, name, held.pid);
    return;
  }
  const kv = ctx.kv!;
  const key = keyOf(name);
  let entry: KvEntry | null;
  try {
    entry = await kv.get(key);
  } catch (error) {
    report(ctx, "GlobalRegistry recheck", error);
    return;
  }
  if (ctx.held.get(name) !== held) return;
  if (entry === null || entry.operation !== "PUT") {
    // Purged while this node seemed down: registered again.
    try {
      held.revision = await kv.create(key, encodeStored(ctx.link, { pid: held.pid }));
      held.orphaned = false;
      ctx.copy.learn(name, {
        pid: held.pid,
        node: ctx.link.node,
        incarnation: ctx.link.incarnation,
      }, held.revision);
    } catch (error) {
      if (!isWrongSequence(error)) report(ctx, "GlobalRegistry recheck", error);
      else if (attempts > 1) await recheckName(ctx, name, attempts - 1); // taken meanwhile
    }
    return;
  }
  const stored = decodeStored(ctx.link, entry.value);
  if (stored === undefined) return;
  const known = ctx.copy.learn(name, stored, entry.revision);
  if (samePid(stored.pid, held.pid)) {
    held.revision = entry.revision;
    held.orphaned = false;
    return;
  }
  conflict(
    ctx,
    name,
    held,
    known !== undefined && known.revision === entry.revision ? known : {
      pid: stored.pid,
      node: stored.node,
      incarnation: stored.incarnation,
      revision: entry.revision,
      displaced: stored.displaced,
      seenAt: Date.now(),
    },
  );
}
