/**
 * Shared fixtures of the Batcher tests (private: not a test file): a test
 * system on a virtual clock that collects every report and the batcher's
 * telemetry events, and a start that runs the manual scheduler.
 *
 * @module
 */

import { Batcher } from "../../batcher.ts";
import type { BatcherOptions } from "../../batcher.ts";
import type { Report } from "../../src/logger.ts";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";
import {
  BATCHER_FLUSH,
  BATCHER_REFUSED,
  type BatcherFlushMeasurements,
  type BatcherFlushMetadata,
  type BatcherRefusedMetadata,
} from "../../src/telemetry/catalog/batcher_events.ts";

/** One `beamlet.batcher.flush` event. */
export type FlushEvent = BatcherFlushMeasurements & BatcherFlushMetadata;

/** A test system, every report it logs, and the batcher events it executes. */
export interface Harness {
  readonly t: TestSystem;
  readonly reports: Report[];
  readonly flushes: FlushEvent[];
  readonly refusals: BatcherRefusedMetadata[];
}

/** A test system (manual scheduling, virtual clock from 0) with reports and events collected. */
export function harness(): Harness {
  const reports: Report[] = [];
  const t = createTestSystem({ logger: { report: (r) => void reports.push(r) } });
  const flushes: FlushEvent[] = [];
  const refusals: BatcherRefusedMetadata[] = [];
  t.system.telemetry.attach("test-flush", BATCHER_FLUSH, (_e, m, meta) => {
    flushes.push({ ...m, ...meta });
  });
  t.system.telemetry.attach("test-refused", BATCHER_REFUSED, (_e, _m, meta) => {
    refusals.push({ ...meta });
  });
  return { t, reports, flushes, refusals };
}

/** `Batcher.start` on a manual system: runs the init, then returns the handle. */
export async function startBatcher<T, K = unknown>(
  t: TestSystem,
  options: BatcherOptions<T, K>,
): Promise<Batcher<T>> {
  const started = Batcher.start(t.system, options);
  await t.runUntilIdle();
  return await started;
}

/** A promise and its settle functions. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** How a promise has settled so far (read after the system ran). */
export function track<T>(
  promise: Promise<T>,
): { state: "pending" | "ok" | "error"; value?: T; error?: unknown } {
  const out: { state: "pending" | "ok" | "error"; value?: T; error?: unknown } = {
    state: "pending",
  };
  promise.then(
    (value) => Object.assign(out, { state: "ok", value }),
    (error) => Object.assign(out, { state: "error", error }),
  );
  return out;
}
