/**
 * A {@linkcode SharedRing} between real threads: three Workers each write
 * 20 000 sequence-numbered records of pseudo-random sizes into one ring in a
 * shared memory (retrying when it is full), while the main thread drains it,
 * waiting with `wait()` whenever it is empty. Every record arrives exactly
 * once, each producer's in order, with the size and the bytes it was written
 * with. No timing assertions: the test only needs the threads to finish.
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
import { SharedRing } from "../../src/core/shared_ring.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";

const PRODUCERS = 3;
const RECORDS = 20_000;
/** Small, so the producers fill it and wrap it often. */
const CAPACITY = 16 * 1024;

const canRun = (() => {
  try {
    return createCoreMemory({ shared: true, maximumPages: 1 }).buffer instanceof
      SharedArrayBuffer;
  } catch {
    return false;
  }
})();

interface ProducerResult {
  readonly written: number;
  readonly refused: number;
}

/** The worker, web or Node, behind one small interface. */
interface ProducerWorker {
  readonly result: Promise<ProducerResult>;
  post(job: unknown): void;
  terminate(): Promise<unknown> | void;
}

async function startWorker(): Promise<ProducerWorker> {
  // The npm build runs compiled .js files: name the worker file the way this one is named.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const url = new URL(`./_ring_producer_worker${extension}`, import.meta.url);
  if (typeof Worker !== "undefined") {
    const worker = new Worker(url.href, { type: "module" });
    const result = new Promise<ProducerResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<ProducerResult>) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault?.();
        reject(new Error(`worker failed: ${event.message}`));
      };
    });
    return { result, post: (job) => worker.postMessage(job), terminate: () => worker.terminate() };
  }
  const { Worker: NodeWorker } = await import("node:worker_threads");
  const worker = new NodeWorker(url);
  const result = new Promise<ProducerResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return { result, post: (job) => worker.postMessage(job), terminate: () => worker.terminate() };
}

/** mulberry32, as in the worker: the sizes each producer writes, in order. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks each record against what its producer must have written next. */
class Checker {
  readonly next: number[] = Array(PRODUCERS).fill(0);
  readonly #sizes = Array.from({ length: PRODUCERS }, (_, p) => random(p + 1));

  check = (memory: Uint8Array, start: number, length: number): void => {
    const producer = memory[start];
    assert.ok(producer < PRODUCERS, `producer byte ${producer}`);
    const seq = (memory[start + 1] | memory[start + 2] << 8 | memory[start + 3] << 16 |
      memory[start + 4] << 24) >>> 0;
    assert.equal(seq, this.next[producer], `producer ${producer}: sequence number`);
    this.next[producer]++;
    const sizes = this.#sizes[producer];
    const small = sizes() < 0.9;
    assert.equal(length, 5 + Math.floor(sizes() * (small ? 124 : 1996)), `record ${seq} size`);
    for (let i = 5; i < length; i++) {
      if (memory[start + i] !== ((producer * 31 + seq * 7 + i) & 0xff)) {
        assert.fail(`producer ${producer}, record ${seq}: byte ${i} is ${memory[start + i]}`);
      }
    }
  };
}

test(
  "three Workers write into one SharedRing while the main thread drains it",
  { timeout: 300_000, skip: canRun ? false : "no shared memory on this host" },
  async () => {
    const memory = createCoreMemory({ shared: true, maximumPages: 1024 });
    const ring = SharedRing.create(new WasmCore({ memory }), CAPACITY);
    const workers = await Promise.all(Array.from({ length: PRODUCERS }, startWorker));
    try {
      let failure: unknown;
      const results = Promise.all(workers.map((worker) => worker.result));
      results.catch((error) => failure = error);
      workers.forEach((worker, producer) =>
        worker.post({ memory, address: ring.address, producer, count: RECORDS })
      );
      const checker = new Checker();
      let total = 0;
      while (total < PRODUCERS * RECORDS) {
        total += ring.drain(checker.check);
        if (failure !== undefined) throw failure;
        if (total < PRODUCERS * RECORDS) await ring.wait(1000);
      }
      const written = await results;
      assert.deepEqual(checker.next, Array(PRODUCERS).fill(RECORDS));
      assert.deepEqual(written.map((r) => r.written), Array(PRODUCERS).fill(RECORDS));
      const stats = ring.stats();
      assert.equal(stats.records, PRODUCERS * RECORDS);
      assert.equal(stats.used, 0);
      assert.equal(stats.full, written.reduce((sum, r) => sum + r.refused, 0));
      assert.equal(ring.drain(() => assert.fail("a record too many")), 0);
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
  },
);
