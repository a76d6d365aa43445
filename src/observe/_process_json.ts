/**
 * Processes as the routes serve them: pids and refs as strings, names and
 * lists bounded, numbers JSON-safe.
 *
 * @module
 */

import type { GroupedProcessInfo } from "../introspection/inspect_process.ts";
import type { WalkedProcess } from "./process_table_snapshot.ts";
import { idOf } from "./_process_id.ts";
import { capString } from "./_sanitize.ts";
import type { ProcessDetail, ProcessItem } from "./view_types.ts";

export type { ProcessDetail, ProcessItem };

/** Links and monitors listed per process; the rest are counted. */
export const MAX_LISTED = 100;

/** A name as served: bounded, `null` when none. */
export function nameOf(name: string | undefined): string | null {
  return name === undefined ? null : capString(name);
}

/** What a view shows for a pid: its name, else its child id, else `null` (`ProcessLabels.labelOf`). */
export type LabelOf = (pid: unknown, name: string | null | undefined) => string | null;

/** The row of a process as a walk saw it. */
export function processItem(
  { pid, summary: info }: WalkedProcess,
  labelOf: LabelOf = (_pid, name) => name ?? null,
): ProcessItem {
  return {
    id: idOf(pid),
    pid: String(pid),
    name: nameOf(info.name),
    label: labelOf(pid, info.name),
    status: info.status,
    messageQueueLength: info.messageQueueLength,
    reductions: info.reductions,
    memoryBytes: info.memoryBytes,
    oldestMessageAgeMs: info.oldestMessageAgeMs,
    currentCallback: info.currentCallback ?? null,
  };
}

function bounded(items: readonly unknown[]): { items: string[]; omitted: number } {
  return {
    items: items.slice(0, MAX_LISTED).map(String),
    omitted: Math.max(0, items.length - MAX_LISTED),
  };
}

/** `/processes/:id`: the grouped info, pids and refs as strings, lists bounded. */
export function processDetail(
  info: GroupedProcessInfo,
  labelOf: LabelOf = (_pid, name) => name ?? null,
): Omit<ProcessDetail, "latency"> {
  const links = bounded(info.signals.links);
  const monitors = bounded(info.signals.monitors);
  const mailbox = info.memoryUsed.mailbox;
  const { pid, name, ...meta } = info.meta;
  return {
    id: idOf(pid),
    label: labelOf(pid, name),
    meta: { pid: String(pid), name: nameOf(name), scheduler: pid.scheduler, ...meta },
    signals: {
      links: links.items,
      linksOmitted: links.omitted,
      monitors: monitors.items,
      monitorsOmitted: monitors.omitted,
      monitoredBy: info.signals.monitoredBy,
    },
    location: { currentCallback: info.location.currentCallback ?? null },
    memoryUsed: {
      ...info.memoryUsed,
      // JSON has no Infinity nor undefined: an unbounded mailbox is `null`, no watermarks too.
      mailbox: {
        ...mailbox,
        bound: Number.isFinite(mailbox.bound) ? mailbox.bound : null,
        watermark: mailbox.watermark ?? null,
      },
    },
    work: info.work,
  };
}
