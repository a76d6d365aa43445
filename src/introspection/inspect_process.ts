/**
 * One process, grouped as recon's `info/1` groups it.
 *
 * @module
 */

import type { Pid, Ref } from "../pid.ts";
import type { ProcessInfo, ProcessStatus } from "../process_info.ts";
import type { System, Target } from "../system.ts";

/**
 * A process seen as recon's `info/1` shows it: who it is (`meta`), whom it
 * is tied to (`signals`), where it is (`location`), what it holds
 * (`memoryUsed`) and how much it has done (`work`). Never its state or the
 * contents of its mailbox.
 *
 * @example Printing the groups
 * ```ts
 * import type { GroupedProcessInfo } from "@beamlet/beamlet/introspection";
 *
 * const line = (i: GroupedProcessInfo) =>
 *   `${i.meta.name ?? i.meta.pid} ${i.meta.status} q=${i.memoryUsed.messageQueueLength} r=${i.work.reductions}`;
 * ```
 */
export interface GroupedProcessInfo {
  /** Who it is. */
  readonly meta: {
    /** The process. */
    readonly pid: Pid;
    /** Its registered name, if any. */
    readonly name: string | undefined;
    /** What it is doing. */
    readonly status: ProcessStatus;
    /** Its run-queue priority. */
    readonly priority: "high" | "normal" | "low";
    /** Whether exit signals arrive as messages. */
    readonly trapExit: boolean;
    /** Ms since it was spawned. */
    readonly uptimeMs: number;
  };
  /** Whom it is tied to. */
  readonly signals: {
    /** The processes linked to it. */
    readonly links: Pid[];
    /** The monitors it holds. */
    readonly monitors: Ref[];
    /** How many processes and observers monitor it. */
    readonly monitoredBy: number;
  };
  /** Where it is. */
  readonly location: {
    /** The callback running now (`"handleCall"`, ...), if any. */
    readonly currentCallback: string | undefined;
  };
  /** What it holds. */
  readonly memoryUsed: {
    /** Estimated runtime memory, bytes (not its state). */
    readonly memoryBytes: number;
    /** Messages queued. */
    readonly messageQueueLength: number;
    /** Ms its oldest queued message has waited. */
    readonly oldestMessageAgeMs: number;
    /** Its mailbox's bound, policy, capacity and counters. */
    readonly mailbox: ProcessInfo["mailbox"];
  };
  /** How much it has done. */
  readonly work: {
    /** Messages handled so far. */
    readonly reductions: number;
    /** Ms its callbacks held the scheduler (the system monitor's busy time). */
    readonly busyMs: number;
    /** Its callbacks over the monitor's long-callback budget. */
    readonly longCallbacks: number;
  };
}

/**
 * `target`'s {@linkcode GroupedProcessInfo}, or `undefined` when it is not
 * alive — as `system.processInfo`, which it regroups. Throws a `TypeError`
 * for a target that is not a pid, a name or `{ via, key }`.
 *
 * @example
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { inspectProcess } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(null) }, undefined, { name: "cache" });
 * const grouped = inspectProcess(system, "cache");
 * console.log(grouped?.meta.pid === pid, grouped?.work.reductions); // true 1
 * ```
 */
export function inspectProcess(system: System, target: Target): GroupedProcessInfo | undefined {
  const i = system.processInfo(target);
  if (i === undefined) return undefined;
  return {
    meta: {
      pid: i.pid,
      name: i.name,
      status: i.status,
      priority: i.priority,
      trapExit: i.trapExit,
      uptimeMs: i.uptimeMs,
    },
    signals: { links: i.links, monitors: i.monitors, monitoredBy: i.monitoredBy },
    location: { currentCallback: i.currentCallback },
    memoryUsed: {
      memoryBytes: i.memoryBytes,
      messageQueueLength: i.messageQueueLength,
      oldestMessageAgeMs: i.oldestMessageAgeMs,
      mailbox: i.mailbox,
    },
    work: { reductions: i.reductions, busyMs: i.busyMs, longCallbacks: i.longCallbacks },
  };
}
