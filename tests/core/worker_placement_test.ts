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

import { sharedMemoryAvailable, startTestWorker, type TestWorker } from "./_test_worker.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { memoryMap } from "../../src/core/_memory_map.ts";
import {
  type PlacementResult,
  referenceAnswers,
  runPlacementWorkload,
} from "./_placement_workload.ts";

function startWorker(): Promise<TestWorker<PlacementResult>> {
  return startTestWorker<PlacementResult>("_placement_worker", import.meta.url);
}

test(
  "a Worker and the main thread place and drive cores in one shared memory at once",
  { timeout: 120_000, skip: sharedMemoryAvailable ? false : "no shared memory on this host" },
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
