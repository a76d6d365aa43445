/**
 * Reading one attribute of every live process (internal).
 *
 * The system has no accessor for a single statistic of a process, so each
 * sample builds a full `ProcessInfo` (including its links and monitors
 * arrays) for every process: O(processes + links + monitors). A
 * `System.processStat(pid, attribute)` reading the core's counters directly
 * would make this allocation-free.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { ProcessInfo } from "../process_info.ts";
import type { System } from "../system.ts";
import type { ProcessAttribute } from "./process_attribute.ts";
import type { ProcessRank, ProcessSummary } from "./process_rank.ts";

/** A process's value of the attribute, with the snapshot it came from. */
export interface Sampled {
  readonly pid: Pid;
  readonly value: number;
  readonly info: ProcessInfo;
}

/** Every live process with its value of `attribute` (those that exit while sampled are skipped). */
export function* sample(system: System, attribute: ProcessAttribute): Generator<Sampled> {
  for (const pid of system.processes()) {
    const info = system.processInfo(pid);
    if (info !== undefined) yield { pid, value: info[attribute], info };
  }
}

/** The bounded summary of a snapshot. */
export function summaryOf(info: ProcessInfo): ProcessSummary {
  return {
    name: info.name,
    status: info.status,
    currentCallback: info.currentCallback,
    messageQueueLength: info.messageQueueLength,
    reductions: info.reductions,
    memoryBytes: info.memoryBytes,
    oldestMessageAgeMs: info.oldestMessageAgeMs,
    busyMs: info.busyMs,
    longCallbacks: info.longCallbacks,
  };
}

/** A ranked process as the tools return it. */
export function rankOf(sampled: Sampled): ProcessRank {
  return {
    pid: sampled.pid,
    name: sampled.info.name,
    value: sampled.value,
    info: summaryOf(sampled.info),
  };
}
