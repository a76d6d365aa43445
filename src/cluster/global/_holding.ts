/**
 * Holding names (internal): registering with the bucket's atomic `create`,
 * monitoring the holder, and releasing — deleting the key only while it is
 * still this holder's revision.
 *
 * @module
 */

import type { KvEntry } from "@nats-io/kv";
import type { Pid } from "../../pid.ts";
import { samePid } from "../../pid.ts";
import { GlobalRegistryClosedError, GlobalRegistryError } from "./errors.ts";
import { type Held, type RegistryContext, report, undelete } from "./_context.ts";
import { keyOf } from "./_keys.ts";
import { isWrongSequence } from "./_kv_errors.ts";
import { encodeStored } from "./_stored.ts";

/** Registers `pid` under `name` once `ready`: true when it holds it now. */
export async function register(
  ctx: RegistryContext,
  ready: Promise<void>,
  name: string,
  pid: Pid,
): Promise<boolean> {
  if (ctx.closed) throw new GlobalRegistryClosedError("register");
  await ready;
  if (ctx.closed) throw new GlobalRegistryClosedError("register");
  let revision: number;
  try {
    revision = await ctx.kv!.create(keyOf(name), encodeStored(ctx.link, { pid }));
  } catch (error) {
    if (isWrongSequence(error)) return false;
    throw new GlobalRegistryError("register", name, error);
  }
  if (ctx.closed) return true; // closed meanwhile: the other nodes purge it when we leave
  hold(ctx, name, pid, revision);
  return true;
}

/** `pid` holds `name` at `revision`: remembered, and its exit releases the name. */
function hold(ctx: RegistryContext, name: string, pid: Pid, revision: number): void {
  const previous = ctx.held.get(name);
  if (previous !== undefined && previous.ref !== undefined) {
    ctx.system.demonitor(previous.ref);
  }
  const held: Held = { pid, revision, ref: undefined, orphaned: false };
  ctx.held.set(name, held);
  ctx.copy.learn(
    name,
    { pid, node: ctx.link.node, incarnation: ctx.link.incarnation },
    revision,
  );
  // Gone already: "noproc" on a microtask, and the name is released.
  held.ref = ctx.system.monitor(pid, () => void release(ctx, name, pid));
}

/** Frees `name` if `pid` holds it here: the key is deleted if it is still this holder's. */
export async function release(ctx: RegistryContext, name: string, pid: Pid): Promise<void> {
  const held = ctx.held.get(name);
  if (held === undefined || !samePid(held.pid, pid)) return;
  ctx.held.delete(name);
  if (held.ref !== undefined) ctx.system.demonitor(held.ref);
  if (held.orphaned || ctx.kv === undefined) return;
  const known = ctx.copy.known.get(name);
  ctx.copy.deleting(name, held.revision);
  try {
    await ctx.kv.delete(keyOf(name), { previousSeq: held.revision });
  } catch (error) {
    if (isWrongSequence(error)) return;
    report(ctx, "GlobalRegistry release", error);
    undelete(ctx, name, known); // left in the bucket: the sweep removes it later
  }
}

/** Frees `name` whichever node's process holds it (once the registry is ready). */
export async function unregister(ctx: RegistryContext, name: string): Promise<void> {
  const held = ctx.held.get(name);
  if (held !== undefined) {
    await release(ctx, name, held.pid);
    return;
  }
  const kv = ctx.kv!;
  const key = keyOf(name);
  let entry: KvEntry | null;
  try {
    entry = await kv.get(key);
  } catch (error) {
    throw new GlobalRegistryError("unregister", name, error);
  }
  if (entry === null || entry.operation !== "PUT") return;
  try {
    await kv.delete(key, { previousSeq: entry.revision });
  } catch (error) {
    if (!isWrongSequence(error)) throw new GlobalRegistryError("unregister", name, error);
    // Changed meanwhile: whoever holds it now registered after this call was made.
  }
  ctx.copy.deleting(name, entry.revision);
}
