/**
 * Mailbox throughput: enqueue + dequeue pairs per second through the WASM
 * core, the reference core, and a plain JavaScript ring array (the baseline:
 * the physical limit of a FIFO on this runtime). Every case stores and reads
 * back the same payload objects, so only the queue machinery differs.
 *
 * Run: `deno run bench/mailbox_bench.ts`, `bun bench/mailbox_bench.ts`,
 * `node npm/bench/mailbox_bench.js` (after `deno task build:npm`), or all
 * three with `npm run bench`.
 *
 * @module
 */

import { createCore } from "../src/core/create_core.ts";
import { MAX_BOUND, Overflow, Priority } from "../src/core/core.ts";
import { type BenchCase, measure, table } from "./_harness.ts";

interface Message {
  n: number;
}

const MESSAGES: Message[] = Array.from({ length: 1024 }, (_, n) => ({ n }));

/** A growable power-of-two ring of payloads: what a hand-written JS mailbox would be. */
class JsRing {
  #buffer: (Message | undefined)[] = new Array(16).fill(undefined);
  #mask = 15;
  #head = 0;
  #length = 0;

  push(message: Message): void {
    if (this.#length > this.#mask) this.#grow();
    this.#buffer[(this.#head + this.#length) & this.#mask] = message;
    this.#length++;
  }

  shift(): Message | undefined {
    if (this.#length === 0) return undefined;
    const message = this.#buffer[this.#head];
    this.#buffer[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    return message;
  }

  #grow(): void {
    const next: (Message | undefined)[] = new Array((this.#mask + 1) * 2).fill(undefined);
    for (let i = 0; i < this.#length; i++) next[i] = this.#buffer[(this.#head + i) & this.#mask];
    this.#buffer = next;
    this.#head = 0;
    this.#mask = next.length - 1;
  }
}

/** Each op: one enqueue and one dequeue, in bursts of `burst` over `actors` mailboxes. */
function jsRingCase(actors: number, burst: number): BenchCase {
  const rings = Array.from({ length: actors }, () => new JsRing());
  return {
    name: "plain JS ring",
    run(ops) {
      let sum = 0;
      for (let done = 0; done < ops; done += burst) {
        for (let i = 0; i < burst; i++) rings[i % actors].push(MESSAGES[i & 1023]);
        for (let a = 0; a < actors; a++) {
          const ring = rings[a];
          for (let m = ring.shift(); m !== undefined; m = ring.shift()) sum += m.n;
        }
      }
      return sum;
    },
  };
}

/**
 * The core cases. Each implementation gets its own copy of the loop: one call
 * site shared by both cores would turn polymorphic and slow both down, which
 * a runtime (one core per system) never sees.
 */
function wasmCase(actors: number, burst: number): BenchCase {
  const { core, ids, payloads } = setup("wasm", actors, burst);
  return {
    name: "wasm core",
    run(ops) {
      let sum = 0;
      for (let done = 0; done < ops; done += burst) {
        for (let i = 0; i < burst; i++) {
          const slot = core.enqueue(ids[i % actors]);
          if (slot < 0) throw new Error(`enqueue failed: ${slot}`);
          payloads[slot] = MESSAGES[i & 1023];
        }
        for (let a = 0; a < actors; a++) {
          const id = ids[a];
          for (let slot = core.dequeue(id); slot >= 0; slot = core.dequeue(id)) {
            sum += payloads[slot]!.n;
            payloads[slot] = undefined;
          }
        }
      }
      return sum;
    },
  };
}

function referenceCase(actors: number, burst: number): BenchCase {
  const { core, ids, payloads } = setup("reference", actors, burst);
  return {
    name: "reference core",
    run(ops) {
      let sum = 0;
      for (let done = 0; done < ops; done += burst) {
        for (let i = 0; i < burst; i++) {
          const slot = core.enqueue(ids[i % actors]);
          if (slot < 0) throw new Error(`enqueue failed: ${slot}`);
          payloads[slot] = MESSAGES[i & 1023];
        }
        for (let a = 0; a < actors; a++) {
          const id = ids[a];
          for (let slot = core.dequeue(id); slot >= 0; slot = core.dequeue(id)) {
            sum += payloads[slot]!.n;
            payloads[slot] = undefined;
          }
        }
      }
      return sum;
    },
  };
}

function setup(implementation: "wasm" | "reference", actors: number, burst: number) {
  const core = createCore({ implementation });
  const ids = Array.from(
    { length: actors },
    () => core.spawn(16, MAX_BOUND, Overflow.Reject, Priority.Normal),
  );
  // Pre-sized and filled, as a runtime keeps its payload table: a holey,
  // growing array would measure V8's element transitions, not the core.
  const payloads: (Message | undefined)[] = new Array(burst * 2).fill(undefined);
  return { core, ids, payloads };
}

const workloads = [
  { title: "Mailbox: 1 actor, bursts of 256", actors: 1, burst: 256 },
  { title: "Mailbox: 1000 actors, bursts of 4096", actors: 1000, burst: 4096 },
];

for (const { title, actors, burst } of workloads) {
  const results = measure([
    jsRingCase(actors, burst),
    wasmCase(actors, burst),
    referenceCase(actors, burst),
  ]);
  console.log(table(`${title} (enqueue + dequeue pairs)`, results, "plain JS ring"));
  console.log("");
}
