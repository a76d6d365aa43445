/**
 * What one sample of the overview's history reads (internal): the same
 * O(1) numbers `/overview` shows — the scheduler's counters, the process
 * count, the host's memory, the p99 of the three call latencies — never
 * the process table.
 *
 * @module
 */

import type { SystemObserver } from "../observe/system_observer.ts";
import type { System } from "../system.ts";
import { hostMemoryBytes } from "./_host_memory.ts";
import type { HistoryCalls, HistoryReading } from "./_overview_history.ts";

/** The p99 of a `CallLatencySummary`-like value, or `null`. */
function p99Of(summary: unknown): number | null {
  const value = (summary as { p99?: unknown } | null | undefined)?.p99;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * The p99 (ms) of each call latency, from the observer's `callLatencies()`
 * (`{ queued, handling, roundTrip }`, each a `CallLatencySummary` or
 * `null`) when it has it, else `null`s.
 */
export function callLatencyP99(observer: SystemObserver): HistoryCalls {
  const source = observer as { callLatencies?: () => unknown };
  let calls: unknown;
  try {
    calls = typeof source.callLatencies === "function" ? source.callLatencies() : undefined;
  } catch {
    calls = undefined;
  }
  const block = (typeof calls === "object" && calls !== null ? calls : {}) as Record<
    string,
    unknown
  >;
  return {
    queued: p99Of(block.queued),
    handling: p99Of(block.handling),
    roundTrip: p99Of(block.roundTrip),
  };
}

/** A reader of one history sample of `system`, as `observer` sees it. */
export function historyReader(system: System, observer: SystemObserver): () => HistoryReading {
  return () => {
    const stats = system.schedulerStats();
    return {
      messages: stats.messages,
      processes: system.tableSizes().processes,
      runQueue: stats.runQueue,
      utilization: stats.utilization,
      memoryBytes: hostMemoryBytes(),
      calls: callLatencyP99(observer),
    };
  };
}
