/**
 * The Worker side of `shared_ring_workers_test.ts`: given a shared memory and
 * the address of a ring in it, it attaches to the ring through a core of its
 * own and writes `count` sequence-numbered records of pseudo-random sizes,
 * retrying (after a short pause) whenever the ring is full, then posts back
 * how many it wrote and how often the ring was full. It runs as a web Worker
 * (Deno, Bun) or a `node:worker_threads` worker (Node).
 *
 * @module
 */

import { SharedRing } from "../../src/core/shared_ring.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";

interface Job {
  memory: WebAssembly.Memory;
  address: number;
  producer: number;
  count: number;
}

/** mulberry32: the record sizes, the same sequence the test's consumer expects. */
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

function run({ memory, address, producer, count }: Job): { written: number; refused: number } {
  const ring = SharedRing.attach(new WasmCore({ memory }), address);
  const next = random(producer + 1);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const record = new Uint8Array(ring.maxRecord);
  let refused = 0;
  for (let seq = 0; seq < count; seq++) {
    // Mostly small records, some large ones: sizes that wrap with a PAD and fill the ring.
    const small = next() < 0.9;
    const length = 5 + Math.floor(next() * (small ? 124 : 1996));
    record[0] = producer;
    record[1] = seq & 0xff;
    record[2] = (seq >>> 8) & 0xff;
    record[3] = (seq >>> 16) & 0xff;
    record[4] = seq >>> 24;
    for (let i = 5; i < length; i++) record[i] = (producer * 31 + seq * 7 + i) & 0xff;
    while (!ring.write(record, length)) {
      refused++;
      Atomics.wait(pause, 0, 0, 0.05); // let the consumer catch up
    }
  }
  return { written: count, refused };
}

const web = globalThis as unknown as {
  onmessage?: ((event: MessageEvent<Job>) => void) | null;
  postMessage?: (message: unknown) => void;
  close?: () => void;
};

if (typeof web.postMessage === "function" && typeof web.close === "function") {
  web.onmessage = (event) => {
    web.postMessage!(run(event.data));
    web.close!();
  };
} else {
  const { parentPort } = await import("node:worker_threads");
  parentPort!.once("message", (job: Job) => {
    parentPort!.postMessage(run(job));
    parentPort!.close();
  });
}
