/**
 * Helpers of the pipeline tests: a test system (manual scheduling, virtual
 * clock), starting and stopping pipelines on it, and checks that every
 * message pushed was acked exactly once.
 */

import assert from "node:assert/strict";
import { createTestSystem, type TestSystem } from "../../src/testing/test_system.ts";
import type { Report } from "../../src/logger.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import type { PipelineOptions } from "../../src/pipeline/options.ts";
import { MemoryProducer } from "../../src/pipeline/memory_producer.ts";
import type { PipelineMessage } from "../../src/pipeline/message.ts";

/** A test system that keeps what its logger got. */
export function testSystem(): TestSystem & { logged: Report[] } {
  const logged: Report[] = [];
  const t = createTestSystem({ logger: { report: (r) => void logged.push(r) } });
  return Object.assign(t, { logged });
}

/** Runs `t` (moving time by `step` ms when idle) until `promise` settles. */
export async function drive<T>(t: TestSystem, promise: Promise<T>, step = 10): Promise<T> {
  let settled = false;
  let failed = false;
  let value: T | undefined;
  let error: unknown;
  promise.then((v) => {
    settled = true;
    value = v;
  }, (e) => {
    settled = true;
    failed = true;
    error = e;
  });
  for (let i = 0; i < 100_000 && !settled; i++) {
    await t.runUntilIdle();
    if (!settled) await t.advance(step);
  }
  if (!settled) throw new Error("drive: the promise never settled");
  if (failed) throw error;
  return value as T;
}

/** Starts a pipeline on `t`. */
export function start<D, P = D>(
  t: TestSystem,
  options: PipelineOptions<D, P>,
): Promise<Pipeline> {
  return drive(t, Pipeline.start(t.system, options));
}

/** A sleep on the system's (virtual) clock, for async handlers. */
export function sleep(t: TestSystem, ms: number): Promise<void> {
  return new Promise((resolve) => t.system.setTimer(ms, () => resolve()));
}

/** The `seq` of a MemoryProducer message. */
export const seqOf = (m: PipelineMessage): number => m.metadata.seq as number;

/** Every message pushed so far was acked once (no message twice), or is still queued. */
// deno-lint-ignore no-explicit-any
export function assertAckedOnce(source: MemoryProducer<any>, pushed: number): void {
  const seqs = [...source.acked(), ...source.failed()].map(seqOf);
  assert.equal(new Set(seqs).size, seqs.length, "a message was acked twice");
  assert.equal(seqs.length + source.queued, pushed, "a message was lost");
  assert.equal(source.ackedCount + source.failedCount, seqs.length);
}

export { MemoryProducer, Pipeline };
