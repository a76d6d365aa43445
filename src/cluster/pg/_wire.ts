/**
 * The messages process groups exchange between nodes (internal), and
 * their check on arrival: whatever comes off the wire is checked field by
 * field before it touches a table, and refused with a reason, never thrown.
 *
 * ```
 * join   { v: 1, t: "join",  node, inc, group, pids }            broadcast
 * leave  { v: 1, t: "leave", node, inc, group, pids }            broadcast
 * sync   { v: 1, t: "sync",  node, inc, groups: [[group, pids]], reply, more }
 *        all of the sender's memberships: the receiver replaces what it held
 *        for the sender; `reply: true` asks for the receiver's own sync back
 *        (on the sender's direct subject). A big sync comes in parts: each
 *        but the last says `more: true`, and the receiver waits for the last
 *        (a group may be cut across parts: its lists add up)
 * ```
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import { isNodeId } from "../../_node_id.ts";

/** The version of the messages. */
export const WIRE_VERSION = 1;

/** Longest group name (UTF-16 code units). */
export const MAX_GROUP_LENGTH = 1024;

/** A join or a leave of one group. */
export interface MembershipMessage {
  readonly v: number;
  readonly t: "join" | "leave";
  readonly node: string;
  readonly inc: number;
  readonly group: string;
  readonly pids: Pid[];
}

/** All of a node's memberships. */
export interface SyncMessage {
  readonly v: number;
  readonly t: "sync";
  readonly node: string;
  readonly inc: number;
  readonly groups: [string, Pid[]][];
  readonly reply: boolean;
  /** More parts of this sync follow. */
  readonly more: boolean;
}

/** A message between the process groups of two nodes. */
export type WireMessage = MembershipMessage | SyncMessage;

/** Whether `group` is a group name a message may carry. Never throws. */
export function isGroupName(group: unknown): group is string {
  return typeof group === "string" && group.length > 0 && group.length <= MAX_GROUP_LENGTH;
}

/** The message `value` is, or why it is none. Never throws. */
export function parseWire(value: unknown): WireMessage | string {
  try {
    return parse(value);
  } catch (error) {
    return `unreadable message: ${(error as Error)?.message ?? String(error)}`;
  }
}

function parse(value: unknown): WireMessage | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not an object";
  const { v, t, node, inc } = value as Record<string, unknown>;
  if (v !== WIRE_VERSION) return `unknown version ${typeof v === "number" ? v : typeof v}`;
  if (!isNodeId(node)) return "bad node";
  if (typeof inc !== "number" || !Number.isFinite(inc)) return "bad incarnation";
  if (t === "join" || t === "leave") {
    const { group, pids } = value as Record<string, unknown>;
    if (!isGroupName(group)) return "bad group";
    const checked = pidsOf(pids, node);
    if (typeof checked === "string") return checked;
    return { v, t, node, inc, group, pids: checked };
  }
  if (t === "sync") {
    const { groups, reply, more } = value as Record<string, unknown>;
    if (typeof reply !== "boolean") return "bad reply flag";
    if (typeof more !== "boolean") return "bad more flag";
    if (!Array.isArray(groups)) return "bad groups";
    const entries: [string, Pid[]][] = [];
    for (const entry of groups) {
      if (!Array.isArray(entry) || entry.length !== 2) return "bad groups entry";
      const [group, pids] = entry;
      if (!isGroupName(group)) return "bad group";
      const checked = pidsOf(pids, node);
      if (typeof checked === "string") return checked;
      entries.push([group, checked]);
    }
    return { v, t, node, inc, groups: entries, reply, more };
  }
  return "unknown type";
}

/** The pids of a message: pids of the sending node only. */
function pidsOf(pids: unknown, node: string): Pid[] | string {
  if (!Array.isArray(pids)) return "bad pids";
  for (const pid of pids) {
    if (!isPid(pid)) return "not a pid";
    if (pid.node !== node) return `a pid of node ${pid.node} sent by node ${node}`;
  }
  return pids as Pid[];
}
