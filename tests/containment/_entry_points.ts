/**
 * Every containment entry point, by family (private: not a test file): the
 * property tests run each family's file; `bench/containment_fuzz.ts` runs
 * them all as a campaign.
 *
 * @module
 */

import { callbackEntries } from "./_callback_entries.ts";
import { resultOptionEntries } from "./_result_option_entries.ts";
import { exitReasonEntries } from "./_exit_reason_entries.ts";
import { optionEntries } from "./_option_entries.ts";
import { monitorReplyEntries } from "./_monitor_reply_entries.ts";
import { targetEntries } from "./_target_entries.ts";
import { viaEntries } from "./_via_entries.ts";
import { taskEntries } from "./_task_entries.ts";
import { supervisorEntries } from "./_supervisor_entries.ts";
import { reportEntries } from "./_report_entries.ts";
import type { AnyEntryPoint } from "./_property.ts";

/** Families of entry points, in the order the campaign prints them. */
export const FAMILIES: readonly {
  readonly family: string;
  readonly entries: readonly AnyEntryPoint[];
}[] = [
  { family: "callback outcomes", entries: callbackEntries },
  { family: "result options", entries: resultOptionEntries },
  { family: "exit reasons", entries: exitReasonEntries as unknown as AnyEntryPoint[] },
  { family: "options", entries: optionEntries as unknown as AnyEntryPoint[] },
  { family: "monitor and reply", entries: monitorReplyEntries as unknown as AnyEntryPoint[] },
  { family: "targets", entries: targetEntries as unknown as AnyEntryPoint[] },
  { family: "via registry", entries: viaEntries as unknown as AnyEntryPoint[] },
  { family: "task timeouts", entries: taskEntries },
  { family: "supervisor", entries: supervisorEntries as unknown as AnyEntryPoint[] },
  { family: "crash reports", entries: reportEntries as unknown as AnyEntryPoint[] },
];

/** Every entry point, flat. */
export const ENTRY_POINTS: readonly AnyEntryPoint[] = FAMILIES.flatMap((f) => f.entries);
