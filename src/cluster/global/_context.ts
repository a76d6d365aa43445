/**
 * The state a global registry's parts share (internal): its system and
 * cluster link, the bucket, this node's copy of it and the names this
 * node's processes hold.
 *
 * @module
 */

import type { KV } from "@nats-io/kv";
import type { Pid, Ref } from "../../pid.ts";
import type { System } from "../../system.ts";
import type { ClusterLink } from "../cluster_link.ts";
import type { NameResolver } from "./options.ts";
import type { BucketCopy, Known } from "./_bucket_copy.ts";

/** A name one of this node's processes holds. */
export interface Held {
  readonly pid: Pid;
  /** The revision of the key this node last wrote or saw for it. */
  revision: number;
  ref: Ref | undefined;
  /** Purged by other nodes (they saw this node down): re-registered at the next re-check. */
  orphaned: boolean;
}

/** One global registry's shared state. */
export interface RegistryContext {
  readonly system: System;
  readonly link: ClusterLink;
  readonly resolve: NameResolver | undefined;
  readonly staleAfterMs: number;
  readonly copy: BucketCopy;
  readonly held: Map<string, Held>;
  /** The bucket, once open. */
  kv: KV | undefined;
  /** When the copy was first loaded. */
  readyAt: number;
  closed: boolean;
}

/** Reports a failure of `callback` to the system's logger (which may throw: ignored). */
export function report(ctx: RegistryContext, callback: string, reason: unknown): void {
  try {
    ctx.system.report({
      kind: "callback",
      callback,
      reason,
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  } catch {
    // a logger that throws is ignored
  }
}

/** A delete or purge of this node failed: its copy of `name` is back as it was. */
export function undelete(ctx: RegistryContext, name: string, known: Known | undefined): void {
  if (!ctx.closed) ctx.copy.undelete(name, known);
}
