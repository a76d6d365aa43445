/**
 * The Worker side of `shared_ring_workers_test.ts`: given a shared memory and
 * the address of a ring in it, it attaches to the ring through a core of its
 * own (under the producer id `producer + 1`) and writes `count`
 * sequence-numbered records of pseudo-random sizes, retrying (after a short
 * pause) whenever the ring is full, then posts back how many it wrote and how
 * often the ring was full. It counts the records written in `control[0]`.
 * With `slow`, it reserves, fills the reservation byte by byte, spins a
 * little and commits instead. Given `hangAt`, it writes that many, then
 * reserves the next record, writes half of it, sets `control[1]` and waits
 * — never committing — until `control[2]` is set (by then it has been
 * terminated: on Deno, where `terminate()` takes effect only once the
 * Worker returns to its event loop, this lets it return). It runs as a web Worker (Deno, Bun) or a
 * `node:worker_threads` worker (Node).
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
  /** [records written, hanging (1), released (1)], shared with the test. */
  control?: SharedArrayBuffer;
  /** Hang with a reservation never committed after this many records. */
  hangAt?: number;
  /**
   * Reserve, copy byte by byte, spin for 50 µs, then commit, instead of
   * `write`: most of its time is then spent between a reservation and its
   * commit, where a `terminate()` is likely to land.
   */
  slow?: boolean;
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

/** The record `seq` of `producer`, `length` bytes, into `record` at `at`. */
function fill(record: Uint8Array, at: number, producer: number, seq: number, length: number): void {
  record[at] = producer;
  record[at + 1] = seq & 0xff;
  record[at + 2] = (seq >>> 8) & 0xff;
  record[at + 3] = (seq >>> 16) & 0xff;
  record[at + 4] = seq >>> 24;
  for (let i = 5; i < length; i++) record[at + i] = (producer * 31 + seq * 7 + i) & 0xff;
}

function run(
  { memory, address, producer, count, control, hangAt, slow }: Job,
): { written: number; refused: number } {
  const ring = SharedRing.attach(new WasmCore({ memory }), address, producer + 1);
  const progress = new Int32Array(control ?? new SharedArrayBuffer(12));
  const next = random(producer + 1);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const record = new Uint8Array(ring.maxRecord);
  let refused = 0;
  for (let seq = 0; seq < count; seq++) {
    // Mostly small records, some large ones: sizes that wrap with a PAD and fill the ring.
    const small = next() < 0.9;
    const length = 5 + Math.floor(next() * (small ? 124 : 1996));
    if (seq === hangAt) {
      let at: number;
      while ((at = ring.reserve(length)) === 0) Atomics.wait(pause, 0, 0, 0.05);
      fill(new Uint8Array(memory.buffer), at, producer, seq, length >>> 1);
      Atomics.store(progress, 1, 1);
      while (Atomics.load(progress, 2) === 0) Atomics.wait(progress, 2, 0, 1);
      return { written: seq, refused };
    }
    if (slow) {
      let at: number;
      while ((at = ring.reserve(length)) === 0) {
        refused++;
        Atomics.wait(pause, 0, 0, 0.05);
      }
      fill(new Uint8Array(memory.buffer), at, producer, seq, length);
      for (const until = performance.now() + 0.05; performance.now() < until;);
      ring.commit(at, length);
      Atomics.add(progress, 0, 1);
      continue;
    }
    fill(record, 0, producer, seq, length);
    while (!ring.write(record, length)) {
      refused++;
      Atomics.wait(pause, 0, 0, 0.05); // let the consumer catch up
    }
    Atomics.add(progress, 0, 1);
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
