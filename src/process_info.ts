/**
 * What `System.processInfo` tells about a process.
 *
 * @module
 */

import { type Core, CoreCode, Overflow, Priority, Stat } from "./core/core.ts";
import { type Pid, Ref } from "./pid.ts";
import type { Process } from "./kernel/state/process.ts";
import { Level } from "./kernel/state/mailbox_flow.ts";

import type { ProcessStatus } from "./kernel/state/process.ts";
export type { ProcessStatus };

/**
 * A bounded summary of a process (scalars only: no links, no monitors, never
 * its state or messages), taken when it was ranked.
 *
 * @example
 * ```ts
 * import type { ProcessSummary } from "@beamlet/beamlet/introspection";
 *
 * const line = (s: ProcessSummary) => `${s.name ?? "-"} ${s.status} in ${s.currentCallback ?? "-"}`;
 * ```
 */
export interface ProcessSummary {
  /** Its registered name, if any. */
  readonly name: string | undefined;
  /** What it is doing. */
  readonly status: ProcessStatus;
  /** The callback running now, if any. */
  readonly currentCallback: string | undefined;
  /** Messages queued. */
  readonly messageQueueLength: number;
  /** Messages handled so far. */
  readonly reductions: number;
  /** Estimated runtime memory, bytes. */
  readonly memoryBytes: number;
  /** Ms its oldest queued message has waited. */
  readonly oldestMessageAgeMs: number;
  /** Ms its callbacks held the scheduler, in all (the system monitor's; 0 with it off). */
  readonly busyMs: number;
  /** Its callbacks over the monitor's long-callback budget, so far. */
  readonly longCallbacks: number;
}

/**
 * A snapshot of one process (never its state or its messages).
 *
 * @example Reading a process's mailbox
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import type { ProcessInfo } from "@beamlet/beamlet/introspection";
 *
 * const system = new System({ node: "a" });
 * const pid = await system.start({ init: () => ok(null) }, undefined, { name: "cache" });
 * const info: ProcessInfo | undefined = system.processInfo(pid);
 * console.log(String(info?.pid), info?.name, info?.messageQueueLength); // "#PID<a.1.0>" "cache" 0
 * ```
 */
export interface ProcessInfo {
  /** The process. */
  readonly pid: Pid;
  /** The scheduler it runs on (0: the system's own thread; `SystemOptions.schedulers`). */
  readonly scheduler: number;
  /** Its registered name, if any. */
  readonly name: string | undefined;
  /** What it is doing now. */
  readonly status: ProcessStatus;
  /** The process that started it with `startLink` (its parent, as OTP's `parent`), if any. */
  readonly parent: Pid | undefined;
  /** Messages queued (runtime messages held back by a full mailbox included). */
  readonly messageQueueLength: number;
  /** Messages handled so far (one reduction each). */
  readonly reductions: number;
  /** Milliseconds the oldest queued message has waited (0 when none). */
  readonly oldestMessageAgeMs: number;
  /** The callback running now (`"handleCall"`, ...), if any. */
  readonly currentCallback: string | undefined;
  /** Its run-queue priority. */
  readonly priority: "high" | "normal" | "low";
  /** Whether exit signals arrive as messages. */
  readonly trapExit: boolean;
  /** The processes linked to it. */
  readonly links: Pid[];
  /** Monitors this process holds. */
  readonly monitors: Ref[];
  /** Processes and observers monitoring this one. */
  readonly monitoredBy: number;
  /** Its mailbox: bound, policy, ring capacity (0 when hibernated) and counters. */
  readonly mailbox: {
    /** Most queued messages (`Infinity`: unbounded). */
    readonly bound: number;
    /** What a full mailbox does. */
    readonly overflow: "reject" | "drop_oldest" | "drop_newest";
    /** Ring slots allocated now. */
    readonly capacity: number;
    /** Messages accepted. */
    readonly enqueued: number;
    /** Messages taken out to be handled. */
    readonly dequeued: number;
    /** Messages refused (policy reject). */
    readonly refused: number;
    /** Messages dropped (policies drop_newest, drop_oldest). */
    readonly dropped: number;
    /** Longest the queue has been. */
    readonly highWater: number;
    /** Messages shed unhandled after waiting too long (`mailbox.shed`; 0 without). */
    readonly shed: number;
    /**
     * Where the queue stands for its watermarks (`mailbox.watermarks`):
     * `"high"` once it reached `high`, `"low"` before that and once back to
     * `low`; undefined without watermarks.
     */
    readonly watermark: "high" | "low" | undefined;
  };
  /** A rough estimate, in bytes, of the runtime's own memory for this process (not its state). */
  readonly memoryBytes: number;
  /** Milliseconds since it was spawned. */
  readonly uptimeMs: number;
  /**
   * Milliseconds its callbacks held the scheduler, in all: their synchronous
   * part (an async callback's wait is not counted) and the runtime's own
   * work for them, measured by the system monitor from the scheduler's clock
   * readings (`docs/system_monitor.md`); 0 with `monitor: false`.
   */
  readonly busyMs: number;
  /**
   * How many of its callbacks held the scheduler for the monitor's
   * `longCallback` budget or more (default 1 ms); 0 with `monitor: false`.
   */
  readonly longCallbacks: number;
}

const PRIORITY_NAMES = {
  [Priority.High]: "high",
  [Priority.Normal]: "normal",
  [Priority.Low]: "low",
} as const;
const OVERFLOW_NAMES = {
  [Overflow.Reject]: "reject",
  [Overflow.DropOldest]: "drop_oldest",
  [Overflow.DropNewest]: "drop_newest",
} as const;

// Actor record in the core, the process record, its context, pid and maps.
const FIXED_BYTES = 88 + 480;
const PER_LINK_OR_MONITOR_BYTES = 64;

/** @internal A process's busy time and long callbacks (the system monitor's). */
export interface ProcessWork {
  readonly busyMs: number;
  readonly longCallbacks: number;
}

const NO_WORK: ProcessWork = Object.freeze({ busyMs: 0, longCallbacks: 0 });

/** @internal Builds a ProcessInfo from the runtime's records. */
export function processInfoOf(
  process: Process,
  core: Core,
  now: number,
  status: ProcessStatus,
  work: ProcessWork = NO_WORK,
): ProcessInfo {
  const id = process.coreId;
  const stat = (field: number) => core.stat(id, field);
  const oldest = stat(Stat.OldestEnqueuedAt);
  const capacity = stat(Stat.Capacity);
  const bound = stat(Stat.Bound);
  return {
    pid: process.pid,
    scheduler: process.pid.scheduler,
    name: process.name,
    status,
    parent: process.parent,
    messageQueueLength: stat(Stat.Length) + (process.overflow?.length ?? 0),
    reductions: stat(Stat.Reductions),
    oldestMessageAgeMs: oldest === CoreCode.Empty ? 0 : Math.max(0, now - oldest),
    currentCallback: process.callback,
    priority: PRIORITY_NAMES[stat(Stat.Priority) as 0 | 1 | 2],
    trapExit: process.trapExit,
    links: process.links === undefined ? [] : [...process.links].map((other) => other.pid),
    monitors: process.monitoring === undefined
      ? []
      : Array.from(process.monitoring.keys(), (serial) => new Ref(serial, process.pid.node)),
    monitoredBy: process.monitoredBy?.size ?? 0,
    mailbox: {
      bound: bound >= 0x4000_0000 ? Infinity : bound,
      overflow: OVERFLOW_NAMES[stat(Stat.Overflow) as 0 | 1 | 2],
      capacity,
      enqueued: stat(Stat.Enqueued),
      dequeued: stat(Stat.Dequeued),
      refused: stat(Stat.Refused),
      dropped: stat(Stat.Dropped),
      highWater: stat(Stat.HighWater),
      shed: process.flow?.shed ?? 0,
      watermark: process.flow === undefined || process.flow.high === 0
        ? undefined
        : process.flow.level === Level.High
        ? "high"
        : "low",
    },
    memoryBytes: memoryOf(process, capacity),
    uptimeMs: Math.max(0, now - process.startedAt),
    busyMs: work.busyMs,
    longCallbacks: work.longCallbacks,
  };
}

/** @internal The scalars of a process (no arrays): what rankings and tables need. */
export function processSummaryOf(
  process: Process,
  core: Core,
  now: number,
  status: ProcessStatus,
  work: ProcessWork = NO_WORK,
): ProcessSummary {
  const id = process.coreId;
  const oldest = core.stat(id, Stat.OldestEnqueuedAt);
  return {
    name: process.name,
    status,
    currentCallback: process.callback,
    messageQueueLength: core.stat(id, Stat.Length) + (process.overflow?.length ?? 0),
    reductions: core.stat(id, Stat.Reductions),
    memoryBytes: memoryOf(process, core.stat(id, Stat.Capacity)),
    oldestMessageAgeMs: oldest === CoreCode.Empty ? 0 : Math.max(0, now - oldest),
    busyMs: work.busyMs,
    longCallbacks: work.longCallbacks,
  };
}

/** The memory estimate of a process whose ring holds `capacity` slots. */
function memoryOf(process: Process, capacity: number): number {
  return FIXED_BYTES + capacity * 4 +
    ((process.links?.size ?? 0) + (process.monitoring?.size ?? 0) +
        (process.monitoredBy?.size ?? 0)) *
      PER_LINK_OR_MONITOR_BYTES;
}
