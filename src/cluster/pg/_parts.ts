/**
 * Cutting big memberships into messages NATS takes (internal, pure): a
 * NATS server refuses a message above its `max_payload` (1 MiB by
 * default), and a group may hold many thousands of pids. A join or a leave
 * of many pids goes as several (they add up); a sync goes as parts that
 * the receiver puts together before it replaces anything.
 *
 * Sizes are estimated from above, not measured: a pid is at most
 * {@linkcode PID_BYTES} encoded, a group name at most 3 bytes a character.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";

/** Most bytes one pid takes encoded (tag, node id of up to 64 characters, serial, scheduler). */
export const PID_BYTES = 96;

/** Most bytes one message part should take (well under NATS's default 1 MiB). */
export const PART_BYTES = 256 * 1024;

/** The estimated size of a group name and its list. */
function groupBytes(group: string): number {
  return 16 + group.length * 3;
}

/** `pids` in slices of at most `budget` bytes (one slice, maybe empty, at least). */
export function splitPids(
  group: string,
  pids: readonly Pid[],
  budget: number = PART_BYTES,
): Pid[][] {
  const per = Math.max(1, Math.floor((budget - groupBytes(group)) / PID_BYTES));
  if (pids.length <= per) return [[...pids]];
  const out: Pid[][] = [];
  for (let at = 0; at < pids.length; at += per) out.push(pids.slice(at, at + per));
  return out;
}

/**
 * `entries` (group → pids) in parts of at most `budget` bytes each; a
 * group too big for one part is cut across several (the receiver joins
 * them back). Always one part at least (an empty sync is a sync).
 */
export function splitEntries(
  entries: readonly (readonly [string, readonly Pid[]])[],
  budget: number = PART_BYTES,
): [string, Pid[]][][] {
  const parts: [string, Pid[]][][] = [];
  let part: [string, Pid[]][] = [];
  let size = 0;
  for (const [group, pids] of entries) {
    for (const slice of splitPids(group, pids, budget)) {
      const bytes = groupBytes(group) + slice.length * PID_BYTES;
      if (size + bytes > budget && part.length > 0) {
        parts.push(part);
        part = [];
        size = 0;
      }
      part.push([group, slice]);
      size += bytes;
    }
  }
  parts.push(part);
  return parts;
}
