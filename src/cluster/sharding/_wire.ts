/**
 * What regions of one sharding say to each other over NATS (internal), and
 * how a failed NATS request is read: only "no responders" means the request
 * surely was not delivered, so only it (and an explicit "not here, retry")
 * may be retried — a timeout may hide a request that ran.
 *
 * @module
 */

import type { ShardKey } from "./options.ts";

/** A call or cast routed to the region that owns the key's shard. */
export interface WireRequest {
  readonly kind: "call" | "cast";
  readonly key: ShardKey;
  readonly message: unknown;
  /** ms the caller still waits. */
  readonly timeout: number;
  /** How many regions forwarded it already. */
  readonly hops: number;
}

/** Entities of a shard handed to its new owner: each `{ key, handoff }`, encoded on its own. */
export interface WireHandoff {
  readonly kind: "handoff";
  readonly shard: number;
  readonly from: string;
  readonly entities: readonly Uint8Array[];
  /** The shard's last chunk (a shard's entities go in chunks under the server's max_payload). */
  readonly last: boolean;
}

/**
 * "Do you still hold these shards?" — asked by a node that awaits their
 * hand-off from the asked one. The answer's `value` lists those it neither
 * owns nor holds entities of (nothing will come from it for them).
 */
export interface WireProbe {
  readonly kind: "probe";
  readonly shards: readonly number[];
}

/** Told to every region of the sharding: this node's region runs (again), or leaves. */
export interface WireControl {
  readonly kind: "joined" | "left";
  readonly node: string;
}

/** What a region answers: the outcome, or "not here (yet): send it again later". */
export type WireAnswer =
  | { readonly ok: true; readonly value?: unknown }
  | { readonly ok: false; readonly error: unknown }
  | { readonly retry: true };

/** Regions a request may pass through before it is sent back to retry. */
export const MAX_HOPS = 3;

/** Whether a NATS request failed because nobody listens on its subject (it was not delivered). */
export function isNoResponders(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  if (name === "NoResponders") return true;
  return typeof cause === "object" && cause !== null &&
    (cause as { name?: unknown }).name === "NoResponders";
}

/** Whether a NATS request timed out (it may have been delivered and run). */
export function isRequestTimeout(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  if (name === "TimeoutError") return true;
  return typeof cause === "object" && cause !== null &&
    (cause as { name?: unknown }).name === "TimeoutError";
}
