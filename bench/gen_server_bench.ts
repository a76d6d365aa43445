/**
 * GenServer workloads against hand-written JavaScript doing the same work:
 *
 * - cast throughput: casts to one server whose handleCast adds to its state,
 *   then one call to read it; baseline: a JS array queue drained by a loop
 *   calling the same handler function.
 * - call round-trip: sequential awaited calls to an idle server; baseline: an
 *   awaited Promise around the same handler.
 * - call from a process with 500 000 queued messages: the reply does not go
 *   through the caller's mailbox, so it costs what a call from an idle process
 *   costs (OTP's call_with_huge_message_queue).
 *
 * Run: `deno run bench/gen_server_bench.ts`, `bun bench/gen_server_bench.ts`,
 * `node npm/bench/gen_server_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { type Context, noreply, ok, reply, System } from "../mod.ts";
import { type AsyncBenchCase, measureAsync, table } from "./_harness.ts";

const add = (n: number, sum: number) => sum + n;

async function castCases(): Promise<AsyncBenchCase[]> {
  const system = new System({ logger: null });
  const pid = await system.start({
    init: () => ok(0),
    handleCast: (n: number, sum: number) => noreply(add(n, sum)),
    handleCall: (_request: "sum", _from, sum: number) => reply(sum, sum),
  });
  return [
    {
      name: "plain JS queue + handler",
      async run(ops) {
        const queue: number[] = [];
        let state = 0;
        for (let i = 0; i < ops; i++) queue.push(i & 7);
        for (let i = 0; i < queue.length; i++) state = add(queue[i], state);
        return await Promise.resolve(state);
      },
    },
    {
      name: "beamlet cast",
      async run(ops) {
        for (let i = 0; i < ops; i++) system.cast(pid, i & 7);
        return await system.call<number>(pid, "sum");
      },
    },
  ];
}

async function callCases(): Promise<AsyncBenchCase[]> {
  const system = new System({ logger: null });
  const echo = (request: number, _from: unknown, state: number) => reply(request + 1, state);
  const pid = await system.start({ init: () => ok(0), handleCall: echo });

  // A client process that stays inside one async handleCall, taking jobs from
  // a JS channel (not its mailbox): each job is "call the server n times".
  // The huge client's mailbox is filled with 500 000 casts while it serves,
  // and they stay queued for the whole benchmark.
  async function startClient(queued: number) {
    const jobs: { n: number; done: (sum: number) => void }[] = [];
    let wake: (() => void) | undefined;
    const nextJob = async () => {
      while (jobs.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return jobs.shift()!;
    };
    const client = await system.start({
      init: () => ok(0),
      handleCall: async (_serve: "serve", _from: unknown, state: number, ctx: Context) => {
        for (;;) {
          const job = await nextJob();
          if (job.n < 0) return reply(0, state);
          let sum = 0;
          for (let i = 0; i < job.n; i++) sum += await ctx.call<number>(pid, i);
          job.done(sum);
        }
      },
      handleCast: (_n: number, state: number) => noreply(state),
    });
    const serving = system.call(client, "serve", { timeout: Infinity });
    await Promise.resolve();
    for (let i = 0; i < queued; i++) system.cast(client, i);
    return {
      run: (n: number) =>
        new Promise<number>((done) => {
          jobs.push({ n, done });
          wake?.();
        }),
      queueLength: () => system.processInfo(client)!.messageQueueLength,
      finish: () => {
        jobs.push({ n: -1, done: () => {} });
        wake?.();
        return serving;
      },
    };
  }
  const idleClient = await startClient(0);
  const hugeClient = await startClient(500_000);
  return [
    {
      name: "plain JS awaited handler",
      async run(ops) {
        let sum = 0;
        for (let i = 0; i < ops; i++) sum += await Promise.resolve(echo(i, undefined, 0).reply);
        return sum;
      },
    },
    {
      name: "beamlet call (from outside)",
      async run(ops) {
        let sum = 0;
        for (let i = 0; i < ops; i++) sum += await system.call<number>(pid, i);
        return sum;
      },
    },
    {
      name: "beamlet call (from an idle process)",
      run: (ops) => idleClient.run(ops),
    },
    {
      name: "beamlet call (from a process with 500k queued)",
      async run(ops) {
        const sum = await hugeClient.run(ops);
        if (hugeClient.queueLength() < 500_000) throw new Error("the huge mailbox drained");
        return sum;
      },
    },
  ];
}

console.log(
  table(
    "Cast throughput (messages)",
    await measureAsync(await castCases()),
    "plain JS queue + handler",
  ),
);
console.log("");
console.log(
  table(
    "Call round-trip (calls)",
    await measureAsync(await callCases()),
    "plain JS awaited handler",
  ),
);
console.log("");
