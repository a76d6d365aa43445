/**
 * Shared ring throughput (src/core/shared_ring.ts): records per second for
 * 16-byte and 1 KiB records,
 *
 * - on one thread (`write` then `drain`, in batches), against a hand-written
 *   JavaScript byte ring over a plain Uint8Array (the baseline: the same
 *   copies with no atomics and no WebAssembly);
 * - from one producer Worker to the main thread, which drains and waits with
 *   `wait()`, against `postMessage` of each record from a Worker (what one
 *   would use instead).
 *
 * The file is its own Worker: loaded in one, it plays the producer. Numbers
 * only; the machine has 2 shared cores, so read the ratios within one run.
 *
 * Run: `deno run --allow-read bench/ring_bench.ts`, `bun bench/ring_bench.ts`,
 * `node npm/bench/ring_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { createCoreMemory } from "../src/core/core_memory.ts";
import { SharedRing } from "../src/core/shared_ring.ts";
import { WasmCore } from "../src/core/wasm_core.ts";
import { type BenchCase, type BenchResult, measure, median, table } from "./_harness.ts";

const SIZES = [16, 1024];
const BATCH = 64;

/** What the producer Worker is asked to do. */
interface Job {
  kind: "ring" | "post";
  length: number;
  count: number;
  memory?: WebAssembly.Memory;
  address?: number;
}

// ---- the producer (inside a Worker) ----

function produce(job: Job, post: (message: unknown) => void): void {
  const record = new Uint8Array(job.length).fill(7);
  if (job.kind === "post") {
    for (let i = 0; i < job.count; i++) {
      record[0] = i & 0xff;
      post(record);
    }
    return;
  }
  const ring = SharedRing.attach(new WasmCore({ memory: job.memory! }), job.address!);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < job.count; i++) {
    record[0] = i & 0xff;
    while (!ring.write(record)) Atomics.wait(pause, 0, 0, 0.02);
  }
  post("done");
}

// ---- the consumer (main thread) ----

/** A plain single-thread byte ring: the same record format (a length word, 8-aligned), no atomics. */
class JsByteRing {
  readonly bytes: Uint8Array;
  readonly #words: Int32Array;
  readonly #mask: number;
  #head = 0;
  #tail = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.#words = new Int32Array(this.bytes.buffer);
    this.#mask = capacity - 1;
  }

  write(record: Uint8Array): boolean {
    const size = (record.length + 8 + 7) & ~7;
    let offset = this.#tail & this.#mask;
    const toEnd = this.bytes.length - offset;
    const need = size <= toEnd ? size : toEnd + size;
    if (need > this.bytes.length - (this.#tail - this.#head)) return false;
    if (need !== size) {
      this.#words[offset >> 2] = -toEnd; // a pad
      offset = 0;
    }
    this.bytes.set(record, offset + 8);
    this.#words[offset >> 2] = record.length;
    this.#tail += need;
    return true;
  }

  drain(onRecord: (bytes: Uint8Array, start: number, length: number) => void): number {
    let count = 0;
    while (this.#head !== this.#tail) {
      const offset = this.#head & this.#mask;
      const word = this.#words[offset >> 2];
      if (word < 0) {
        this.#head -= word;
        continue;
      }
      onRecord(this.bytes, offset + 8, word);
      this.#head += (word + 8 + 7) & ~7;
      count++;
    }
    return count;
  }
}

let checksum = 0;
const consume = (bytes: Uint8Array, start: number, length: number) => {
  checksum = (checksum + bytes[start] + bytes[start + length - 1]) | 0;
};

function singleThread(length: number): BenchResult[] {
  const record = new Uint8Array(length).fill(3);
  const memory = createCoreMemory({ shared: true, maximumPages: 1024 });
  const ring = SharedRing.create(new WasmCore({ memory }), 1 << 20);
  const plain = new JsByteRing(1 << 20);
  const cases: BenchCase[] = [
    {
      name: "js byte ring",
      run(ops) {
        for (let done = 0; done < ops; done += BATCH) {
          for (let i = 0; i < BATCH; i++) plain.write(record);
          plain.drain(consume);
        }
        return checksum;
      },
    },
    {
      name: "SharedRing",
      run(ops) {
        for (let done = 0; done < ops; done += BATCH) {
          for (let i = 0; i < BATCH; i++) ring.write(record);
          ring.drain(consume);
        }
        return checksum;
      },
    },
  ];
  return measure(cases, { samples: 7 });
}

interface Producer {
  post(job: Job): void;
  onMessage(handler: (message: unknown) => void): void;
  terminate(): void;
}

async function startProducer(): Promise<Producer> {
  const url = new URL(import.meta.url);
  if (typeof Worker !== "undefined") {
    const worker = new Worker(url.href, { type: "module" });
    return {
      post: (job) => worker.postMessage(job),
      onMessage: (handler) => worker.onmessage = (event) => handler(event.data),
      terminate: () => worker.terminate(),
    };
  }
  const { Worker: NodeWorker } = await import("node:worker_threads");
  const worker = new NodeWorker(url);
  return {
    post: (job) => worker.postMessage(job),
    onMessage: (handler) => {
      worker.removeAllListeners("message");
      worker.on("message", handler);
    },
    terminate: () => void worker.terminate(),
  };
}

/** Records per second from a Worker to this thread, through the ring or postMessage. */
async function crossThread(producer: Producer, kind: Job["kind"], length: number) {
  const count = length <= 16 ? 400_000 : 100_000;
  const memory = createCoreMemory({ shared: true, maximumPages: 1024 });
  const ring = SharedRing.create(new WasmCore({ memory }), 1 << 20);
  let received = 0;
  const start = performance.now();
  if (kind === "post") {
    await new Promise<void>((resolve) => {
      producer.onMessage((message) => {
        const bytes = message as Uint8Array;
        consume(bytes, 0, bytes.length);
        if (++received === count) resolve();
      });
      producer.post({ kind, length, count });
    });
  } else {
    producer.onMessage(() => {});
    producer.post({ kind, length, count, memory, address: ring.address });
    while (received < count) {
      received += ring.drain(consume);
      if (received < count) await ring.wait(100);
    }
  }
  return count / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  for (const length of SIZES) {
    console.log(
      table(
        `SharedRing, one thread, ${length}-byte records`,
        singleThread(length),
        "js byte ring",
      ),
    );
  }
  const producer = await startProducer();
  try {
    for (const length of SIZES) {
      const rates: Record<Job["kind"], number[]> = { post: [], ring: [] };
      for (let round = 0; round < 5; round++) {
        for (const kind of ["post", "ring"] as const) {
          rates[kind].push(await crossThread(producer, kind, length));
        }
      }
      const results: BenchResult[] = (["post", "ring"] as const).map((kind) => ({
        name: kind === "post" ? "postMessage per record" : "SharedRing + wait()",
        medianOpsPerSecond: median(rates[kind]),
        min: Math.min(...rates[kind]),
        max: Math.max(...rates[kind]),
      }));
      console.log(
        table(
          `Worker → main thread, ${length}-byte records`,
          results,
          "postMessage per record",
        ),
      );
    }
  } finally {
    producer.terminate();
  }
}

const scope = globalThis as unknown as {
  WorkerGlobalScope?: abstract new () => unknown;
  postMessage?: (message: unknown) => void;
  onmessage?: ((event: MessageEvent<Job>) => void) | null;
};
const threads = await import("node:worker_threads");
// Deno's web Workers have a WorkerGlobalScope; Bun's say they are not the main thread.
const inWebWorker = typeof Worker !== "undefined" &&
  ((scope.WorkerGlobalScope !== undefined && globalThis instanceof scope.WorkerGlobalScope) ||
    !threads.isMainThread);

if (inWebWorker) {
  scope.onmessage = (event) => produce(event.data, (message) => scope.postMessage!(message));
} else if (!threads.isMainThread) {
  threads.parentPort!.on("message", (job: Job) => {
    produce(job, (message) => threads.parentPort!.postMessage(message));
  });
} else {
  await main();
}
