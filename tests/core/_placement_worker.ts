/**
 * The Worker side of `worker_placement_test.ts`: given a shared memory, it
 * places cores and histogram stores in it while the main thread does the
 * same, drives them, and posts back what they answered.
 *
 * @module
 */

import { runPlacementWorkload } from "./_placement_workload.ts";

declare const self: {
  onmessage:
    | ((
      event: MessageEvent<{ memory: WebAssembly.Memory; seed: number; gate: Int32Array }>,
    ) => void)
    | null;
  postMessage(message: unknown): void;
  close(): void;
};

self.onmessage = (event) => {
  const { memory, seed, gate } = event.data;
  // Tell the main thread to start, so both place their instances at once.
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  self.postMessage(runPlacementWorkload(memory, seed));
  self.close();
};
