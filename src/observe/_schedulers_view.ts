/**
 * The overview's `schedulers` list (internal): `system.schedulers()` as
 * plain, JSON-safe rows, an error as its message (bounded, without stack
 * trace or source paths).
 *
 * @module
 */

import type { SchedulerInfo } from "../schedulers/scheduler_info.ts";
import { scrubText } from "./_sanitize.ts";
import type { SchedulerView } from "./view_types.ts";

/** The statuses a row may say; anything else reads `"down"`. */
const STATUSES: ReadonlySet<string> = new Set(["starting", "running", "failed", "down"]);

/** A JSON-safe count: a finite number, else 0. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** An error's message, scrubbed; a thrown non-error as its string. */
function messageOf(error: unknown): string {
  try {
    return scrubText(error instanceof Error ? String(error.message) : String(error));
  } catch {
    return "[unreadable]";
  }
}

/** One row per scheduler, by index; `error` only when the scheduler has one. */
export function schedulersView(schedulers: readonly SchedulerInfo[]): SchedulerView[] {
  return [...schedulers]
    .sort((a, b) => a.index - b.index)
    .map((info) => {
      const status = STATUSES.has(info.status) ? info.status : "down";
      const row: SchedulerView = {
        index: count(info.index),
        status,
        processes: count(info.processes),
        tasks: count(info.tasks),
      };
      return info.error === undefined ? row : { ...row, error: messageOf(info.error) };
    });
}
