/**
 * The Worker side of `worker_placement_test.ts`: given a shared memory, it
 * places cores and histogram stores in it while the main thread does the
 * same, drives them, and posts back what they answered. It runs as a web
 * Worker (Deno, Bun) or a `node:worker_threads` worker (Node).
 *
 * @module
 */

import { runPlacementWorkload } from "./_placement_workload.ts";

interface Job {
  memory: WebAssembly.Memory;
  seed: number;
  gate: Int32Array;
}

function run({ memory, seed, gate }: Job): unknown {
  // Tell the main thread to start, so both place their instances at once.
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  return runPlacementWorkload(memory, seed);
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
