/**
 * Cores placed in one shared memory from two threads at once: the main thread
 * and a Worker each place and drive cores and histogram stores while the
 * other does the same, so their chunk claims race on the memory's directory.
 * Each thread's instances answer exactly what the reference implementations
 * answer, every instance gets its own id, and the chunks tile the memory.
 *
 * Uses a web Worker where the host has one (Deno, Bun), else a
 * `node:worker_threads` worker (Node); skipped where shared WebAssembly
 * memory is not available.
 *
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { memoryMap } from "../../src/core/_memory_map.ts";
import {
  type PlacementResult,
  referenceAnswers,
  runPlacementWorkload,
} from "./_placement_workload.ts";

const canRun = (() => {
  try {
    return createCoreMemory({ shared: true, maximumPages: 1 }).buffer instanceof
      SharedArrayBuffer;
  } catch {
    return false;
  }
})();

/** The worker, web or Node, behind one small interface. */
interface PlacementWorker {
  readonly result: Promise<PlacementResult>;
  post(job: unknown): void;
  terminate(): Promise<unknown> | void;
}

async function startWorker(): Promise<PlacementWorker> {
  // The npm build runs compiled .js files: name the worker file the way this one is named.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const url = new URL(`./_placement_worker${extension}`, import.meta.url);
  if (typeof Worker !== "undefined") {
    const worker = new Worker(url.href, { type: "module" });
    const result = new Promise<PlacementResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<PlacementResult>) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault?.();
        reject(new Error(`worker failed: ${event.message}`));
      };
    });
    return { result, post: (job) => worker.postMessage(job), terminate: () => worker.terminate() };
  }
  const { Worker: NodeWorker } = await import("node:worker_threads");
  const worker = new NodeWorker(url);
  const result = new Promise<PlacementResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return { result, post: (job) => worker.postMessage(job), terminate: () => worker.terminate() };
}

test(
  "a Worker and the main thread place and drive cores in one shared memory at once",
  { timeout: 120_000, skip: canRun ? false : "no shared memory on this host" },
  async () => {
    const memory = createCoreMemory({ shared: true, maximumPages: 8192 });
    const worker = await startWorker();
    try {
      const gate = new Int32Array(new SharedArrayBuffer(4));
      const fromWorker = worker.result;
      worker.post({ memory, seed: 1, gate });
      // Start when the worker starts: the host's event loop is not needed meanwhile.
      Atomics.wait(gate, 0, 0, 30_000);
      const here = runPlacementWorkload(memory, 2);
      const there = await fromWorker;
      assert.deepEqual(here.answers, referenceAnswers(2), "main thread's instances");
      assert.deepEqual(there.answers, referenceAnswers(1), "worker's instances");
      const ids = [...here.instanceIds, ...there.instanceIds].sort((a, b) => a - b);
      assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1));
      const map = memoryMap(memory);
      assert.equal(map.instances, ids.length);
      const owners = new Set(map.chunks.map((chunk) => chunk.owner));
      assert.deepEqual([...owners].sort((a, b) => a - b), ids);
    } finally {
      await worker.terminate();
    }
  },
);
