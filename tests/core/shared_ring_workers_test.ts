/**
 * A {@linkcode SharedRing} between real threads: three Workers each write
 * 20 000 sequence-numbered records of pseudo-random sizes into one ring in a
 * shared memory (retrying when it is full), while the main thread drains it,
 * waiting with `wait()` whenever it is empty. Every record arrives exactly
 * once, each producer's in order, with the size and the bytes it was written
 * with. No timing assertions: the test only needs the threads to finish.
 *
 * Then producers die mid-traffic: one Worker hangs between reserving a record
 * and committing it and is terminated there, another is terminated wherever
 * it is; after each one's exit event the consumer calls `skipAbandoned` for
 * it, and still receives every record of the live producers exactly once, in
 * order, and of each dead one a prefix of what it wrote (no duplicates, no
 * gaps), then finds the ring empty.
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
import { SharedRing } from "../../src/core/shared_ring.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";

const PRODUCERS = 3;
const RECORDS = 20_000;
/** Small, so the producers fill it and wrap it often. */
const CAPACITY = 16 * 1024;

interface ProducerResult {
  readonly written: number;
  readonly refused: number;
}

function startWorker(): Promise<TestWorker<ProducerResult>> {
  return startTestWorker<ProducerResult>("_ring_producer_worker", import.meta.url);
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
  readonly next: number[];
  readonly #sizes: (() => number)[];

  constructor(readonly producers: number = PRODUCERS) {
    this.next = Array(producers).fill(0);
    this.#sizes = Array.from({ length: producers }, (_, p) => random(p + 1));
  }

  check = (memory: Uint8Array, start: number, length: number): void => {
    const producer = memory[start];
    assert.ok(producer < this.producers, `producer byte ${producer}`);
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
  { timeout: 300_000, skip: sharedMemoryAvailable ? false : "no shared memory on this host" },
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

test(
  "Workers terminated mid-traffic: the consumer skips what they left and loses nothing else",
  { timeout: 300_000, skip: sharedMemoryAvailable ? false : "no shared memory on this host" },
  async () => {
    // Slots 0..2 live; 3 hangs with a reservation it never commits; 4 is terminated wherever it
    // is, where a Worker has an exit event (on Deno, terminate() would not stop it mid-write).
    const LIVE = 3;
    const HANGING = 3;
    const KILLED = 4;
    const HANG_AT = 6_000;
    const KILL_AFTER = 2_000;
    const memory = createCoreMemory({ shared: true, maximumPages: 1024 });
    const ring = SharedRing.create(new WasmCore({ memory }), CAPACITY, 100);
    const workers = await Promise.all(Array.from({ length: KILLED + 1 }, startWorker));
    const canKill = workers[KILLED].exited !== undefined;
    const controls = workers.map(() => new Int32Array(new SharedArrayBuffer(12)));
    const dead = new Set<number>();
    try {
      let failure: unknown;
      const results = Promise.all(workers.slice(0, LIVE).map((worker) => worker.result));
      results.catch((error) => failure = error);
      workers.forEach((worker, producer) => {
        if (producer === KILLED && !canKill) return;
        worker.post({
          memory,
          address: ring.address,
          producer,
          count: RECORDS,
          control: controls[producer].buffer,
          hangAt: producer === HANGING ? HANG_AT : undefined,
          slow: producer === KILLED,
        });
      });
      /** Terminates the Worker in `slot`; after its exit event, skips what it left. */
      const kill = async (slot: number) => {
        await workers[slot].terminate();
        await workers[slot].exited;
        ring.skipAbandoned(slot + 1);
        dead.add(slot);
        Atomics.store(controls[slot], 2, 1); // lets a Deno Worker return to its event loop
      };
      const killing = new Map<number, Promise<void>>();
      const checker = new Checker(KILLED + 1);
      const liveDone = () => checker.next.slice(0, LIVE).every((n) => n === RECORDS);
      while (!(liveDone() && dead.size === (canKill ? 2 : 1) && ring.stats().used === 0)) {
        ring.drain(checker.check);
        if (failure !== undefined) throw failure;
        if (!killing.has(HANGING) && Atomics.load(controls[HANGING], 1) === 1) {
          killing.set(HANGING, kill(HANGING));
        }
        if (
          canKill && !killing.has(KILLED) && Atomics.load(controls[KILLED], 0) >= KILL_AFTER
        ) {
          killing.set(KILLED, kill(KILLED));
        }
        await ring.wait(50);
      }
      await Promise.all(killing.values());
      const written = await results;
      assert.deepEqual(written.map((r) => r.written), Array(LIVE).fill(RECORDS));
      assert.deepEqual(checker.next.slice(0, LIVE), Array(LIVE).fill(RECORDS));
      // The hanging Worker's records up to the one it never committed.
      assert.equal(checker.next[HANGING], HANG_AT);
      let abandoned = 1;
      if (canKill) {
        // The killed one's: all it counted, and perhaps one committed before it could count it.
        const counted = Atomics.load(controls[KILLED], 0);
        assert.ok(counted >= KILL_AFTER);
        assert.ok(
          checker.next[KILLED] === counted || checker.next[KILLED] === counted + 1,
          `killed producer: ${checker.next[KILLED]} records arrived, ${counted} counted`,
        );
        abandoned = ring.abandoned; // 1, or 2 if it was killed between reserve and commit
        assert.ok(abandoned === 1 || abandoned === 2, `abandoned ${abandoned}`);
      }
      assert.equal(ring.abandoned, abandoned);
      const stats = ring.stats();
      assert.equal(stats.records, checker.next.reduce((sum, n) => sum + n, 0));
      assert.equal(stats.used, 0);
      assert.equal(ring.drain(() => assert.fail("a record too many")), 0);
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
      for (const control of controls) Atomics.store(control, 2, 1);
    }
  },
);
