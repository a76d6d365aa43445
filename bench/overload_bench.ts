/**
 * Overload: ten times a mailbox's capacity sent at once to a server whose
 * bounded mailbox rejects the excess, over and over (each round: the burst,
 * then the accepted messages handled).
 *
 * - Rejections per second (the round's time, accepting and handling the
 *   bound's worth included, over the messages refused): casts refused
 *   (`"overloaded"`), and calls refused (each rejected with an
 *   `OverloadedError`), against a hand-written bounded array queue that
 *   refuses when full, drained by a loop calling the same handler.
 * - Peak heap while the burst sits in the queue: `heapUsed` after one burst
 *   of fresh message objects minus before it, for the baseline, the bounded
 *   mailbox, and an unbounded mailbox (what the bound saves). The mailbox
 *   rings live in WebAssembly memory (4 bytes a slot), outside the heap; the
 *   payloads they keep are inside. Medians of a few rounds, each measured
 *   between two full collections.
 *
 * Run: `deno run --v8-flags=--expose-gc bench/overload_bench.ts`,
 * `bun bench/overload_bench.ts`, `node --expose-gc npm/bench/overload_bench.js`
 * (after `npm run build:npm`); without an exposed `gc` the heap figures
 * include garbage not yet collected.
 *
 * @module
 */

import { noreply, ok, type Pid, reply, System } from "../mod.ts";
import { type AsyncBenchCase, measureAsync, median, runtimeName, table } from "./_harness.ts";

/** The mailbox bound, and the burst sent to it each round. */
const CAPACITY = 1000;
const BURST = 10 * CAPACITY;
const REFUSED_PER_ROUND = BURST - CAPACITY;

/** Larger, for the memory rounds: big enough for the heap to tell. */
const MEMORY_CAPACITY = 20_000;

interface Message {
  n: number;
}

const add = (message: Message, sum: number) => sum + message.n;

/** A bounded FIFO of messages that refuses when full: what a hand-written rejecting mailbox would be. */
class BoundedQueue {
  readonly #items: (Message | undefined)[];
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    this.#items = new Array(capacity).fill(undefined);
  }

  /** False when full (the message is refused). */
  offer(message: Message): boolean {
    const items = this.#items;
    if (this.#length === items.length) return false;
    items[(this.#head + this.#length) % items.length] = message;
    this.#length++;
    return true;
  }

  poll(): Message | undefined {
    if (this.#length === 0) return undefined;
    const items = this.#items;
    const message = items[this.#head];
    items[this.#head] = undefined;
    this.#head = (this.#head + 1) % items.length;
    this.#length--;
    return message;
  }
}

/** A summing server with a bounded, rejecting mailbox (or an unbounded one). */
async function startServer(system: System, bound: number): Promise<Pid> {
  const started = system.start(
    {
      init: () => ok(0),
      handleCast: (message: Message, sum: number) => noreply(add(message, sum)),
      handleCall: (message: Message, _from, sum: number) => reply(sum, add(message, sum)),
    },
    undefined,
    { mailbox: { bound, overflow: "reject" } },
  );
  await system.runUntilIdle(); // manual scheduling runs the init only now
  return await started;
}

/**
 * Rounds of `ops` refusals in all: each sends the bound's worth (accepted)
 * and then up to nine times more (refused), the last round only the rest.
 */
async function inRounds(ops: number, round: (sent: number) => Promise<void>): Promise<void> {
  for (let left = ops; left > 0; left -= REFUSED_PER_ROUND) {
    await round(CAPACITY + Math.min(left, REFUSED_PER_ROUND));
  }
}

const MESSAGES: Message[] = Array.from({ length: 1024 }, (_, n) => ({ n }));

async function rejectionCases(): Promise<AsyncBenchCase[]> {
  const system = new System({ logger: null });
  const pid = await startServer(system, CAPACITY);
  const queue = new BoundedQueue(CAPACITY);
  let state = 0;
  return [
    {
      name: "bounded JS array queue",
      async run(ops) {
        let refused = 0;
        await inRounds(ops, async (sent) => {
          for (let i = 0; i < sent; i++) if (!queue.offer(MESSAGES[i & 1023])) refused++;
          for (let m = queue.poll(); m !== undefined; m = queue.poll()) state = add(m, state);
          await Promise.resolve();
        });
        return refused;
      },
    },
    {
      name: "beamlet cast (refused: overloaded)",
      async run(ops) {
        let refused = 0;
        await inRounds(ops, async (sent) => {
          for (let i = 0; i < sent; i++) {
            if (system.cast(pid, MESSAGES[i & 1023]) === "overloaded") refused++;
          }
          await system.runUntilIdle();
        });
        return refused;
      },
    },
    {
      name: "beamlet call (refused: OverloadedError)",
      async run(ops) {
        let refused = 0;
        const count = () => void refused++;
        await inRounds(ops, async (sent) => {
          const calls: Promise<unknown>[] = [];
          for (let i = 0; i < sent; i++) {
            calls.push(system.call(pid, MESSAGES[i & 1023], { timeout: Infinity }).catch(count));
          }
          await system.runUntilIdle();
          await Promise.all(calls);
        });
        return refused;
      },
    },
  ];
}

/** A full collection, where the runtime offers one (`--expose-gc`, `Bun.gc`). */
function collector(): (() => void) | undefined {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (typeof g.gc === "function") return g.gc;
  const bun = g.Bun;
  if (bun !== undefined) return () => bun.gc(true);
  return undefined;
}

const collect = collector();

/** The heap in use now (after a full collection, when the runtime offers one). */
function heapUsed(): number {
  const g = globalThis as {
    Deno?: { memoryUsage(): { heapUsed: number } };
    process?: { memoryUsage(): { heapUsed: number } };
  };
  collect?.();
  if (g.Deno) return g.Deno.memoryUsage().heapUsed;
  return g.process?.memoryUsage().heapUsed ?? NaN;
}

interface MemoryCase {
  name: string;
  /** Sends one burst of fresh messages; returns how many were kept. */
  burst(): number;
  /** Handles what was kept. */
  drain(): Promise<void>;
}

async function memoryCases(system: System): Promise<MemoryCase[]> {
  const bounded = await startServer(system, MEMORY_CAPACITY);
  const unbounded = await startServer(system, Infinity);
  const queue = new BoundedQueue(MEMORY_CAPACITY);
  let state = 0;
  const burstTo = (pid: Pid) => () => {
    let kept = 0;
    for (let n = 0; n < 10 * MEMORY_CAPACITY; n++) if (system.cast(pid, { n }) === "ok") kept++;
    return kept;
  };
  return [
    {
      name: "bounded JS array queue",
      burst() {
        let kept = 0;
        for (let n = 0; n < 10 * MEMORY_CAPACITY; n++) if (queue.offer({ n })) kept++;
        return kept;
      },
      drain() {
        for (let m = queue.poll(); m !== undefined; m = queue.poll()) state = add(m, state);
        return Promise.resolve();
      },
    },
    {
      name: "beamlet, bounded (reject)",
      burst: burstTo(bounded),
      drain: () => system.runUntilIdle(),
    },
    { name: "beamlet, unbounded", burst: burstTo(unbounded), drain: () => system.runUntilIdle() },
  ];
}

/** Median heap growth of one burst, per case, over `rounds` interleaved rounds. */
async function measureMemory(rounds = 7): Promise<string> {
  // Manual scheduling: nothing is handled while the burst is sent and measured.
  const system = new System({ logger: null, scheduling: "manual" });
  const cases = await memoryCases(system);
  const growth: number[][] = cases.map(() => []);
  const kept: number[] = cases.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const before = heapUsed();
      kept[i] = cases[i].burst();
      growth[i].push(heapUsed() - before);
      await cases[i].drain();
    }
  }
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  const base = median(growth[0]);
  const lines = [
    `### Peak heap: ${
      10 * MEMORY_CAPACITY
    } messages sent at once, bound ${MEMORY_CAPACITY} — ${runtimeName()}`,
    "",
    "| case | kept | heap growth (median) | min – max | vs baseline |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  cases.forEach((c, i) => {
    const g = median(growth[i]);
    lines.push(
      `| ${c.name}${i === 0 ? " (baseline)" : ""} | ${kept[i]} | ${mib(g)} | ${
        mib(Math.min(...growth[i]))
      } – ${mib(Math.max(...growth[i]))} | ${(g / base).toFixed(2)}× |`,
    );
  });
  if (collect === undefined) {
    lines.push(
      "",
      "(no gc exposed — run with `--v8-flags=--expose-gc` (Deno) or `--expose-gc` (Node): these figures include uncollected garbage)",
    );
  }
  system.shutdown();
  return lines.join("\n");
}

console.log(
  table(
    `Rejections when sending 10× capacity (${BURST} to a bound of ${CAPACITY}, rejections)`,
    await measureAsync(await rejectionCases()),
    "bounded JS array queue",
  ),
);
console.log("");
console.log(await measureMemory());
console.log("");
