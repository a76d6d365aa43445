/**
 * Fixtures of the observation tests (private: not a test file).
 *
 * @module
 */

import { ok } from "../../src/gen_server.ts";
import type { GenServer } from "../../src/gen_server.ts";
import type { ChunkScheduler } from "../../src/observe/process_table_walker.ts";
import type { Pid } from "../../src/pid.ts";
import type { TestSystem } from "../../src/testing/test_system.ts";

/** A server that does nothing. */
export const idle: GenServer<null, unknown> = { init: () => ok(null) };

/** A chunk the walker asked for, not run yet. */
export interface PlannedChunk {
  readonly task: () => void;
  readonly delayMs: number;
  readonly hold: boolean;
  cancelled: boolean;
}

/** A scheduler that only records what the walker asks for; the test runs the chunks. */
export function recordingScheduler(): { schedule: ChunkScheduler; planned: PlannedChunk[] } {
  const planned: PlannedChunk[] = [];
  const schedule: ChunkScheduler = (task, delayMs, hold) => {
    const chunk: PlannedChunk = { task, delayMs, hold, cancelled: false };
    planned.push(chunk);
    return () => {
      chunk.cancelled = true;
    };
  };
  return { schedule, planned };
}

/** Runs the oldest planned chunk that was not cancelled (and forgets the cancelled ones before it). */
export function runNext(planned: PlannedChunk[]): PlannedChunk {
  for (;;) {
    const chunk = planned.shift();
    if (chunk === undefined) throw new Error("no chunk planned");
    if (chunk.cancelled) continue;
    chunk.task();
    return chunk;
  }
}

/** The live chunks planned. */
export function pending(planned: PlannedChunk[]): PlannedChunk[] {
  return planned.filter((chunk) => !chunk.cancelled);
}

/** Starts idle processes whose mailboxes hold `lengths[i]` messages each (suspended, so they stay). */
export async function queued(t: TestSystem, lengths: readonly number[]): Promise<Pid[]> {
  const pids: Pid[] = [];
  for (const length of lengths) {
    const pid = await t.start(idle);
    t.system.suspend(pid);
    for (let n = 0; n < length; n++) t.system.cast(pid, n);
    pids.push(pid);
  }
  return pids;
}

/** Whether `promise` has settled once microtasks ran. */
export async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return settled;
}
