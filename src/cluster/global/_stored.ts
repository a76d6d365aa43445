/**
 * What the bucket stores under a name's key (internal): `{ pid, node,
 * incarnation }` — and `displaced`, the process a conflict resolution took
 * the name from — written with the cluster's value codec.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import type { ClusterLink } from "../cluster_link.ts";

/** What the bucket stores under a key. */
export interface Stored {
  readonly pid: Pid;
  readonly node: string;
  readonly incarnation: number;
  readonly displaced?: Pid;
}

/** The value this node (`link`) writes for `pid` (taken from `displaced`, if given). */
export function encodeStored(link: ClusterLink, value: { pid: Pid; displaced?: Pid }): Uint8Array {
  const stored: Stored = value.displaced === undefined
    ? { pid: value.pid, node: link.node, incarnation: link.incarnation }
    : {
      pid: value.pid,
      node: link.node,
      incarnation: link.incarnation,
      displaced: value.displaced,
    };
  return link.encode(stored);
}

/** A stored value, or `undefined` when it is not one. */
export function decodeStored(link: ClusterLink, bytes: Uint8Array): Stored | undefined {
  try {
    const value = link.decode(bytes) as Partial<Stored> | null;
    if (typeof value !== "object" || value === null) return undefined;
    const { pid, node, incarnation, displaced } = value;
    if (!isPid(pid) || typeof node !== "string" || typeof incarnation !== "number") {
      return undefined;
    }
    return { pid, node, incarnation, displaced: isPid(displaced) ? displaced : undefined };
  } catch {
    return undefined;
  }
}
