/**
 * What the system monitor costs (long-callback detection, busy time per
 * process, the event-loop probe): the same workloads on a system with the
 * monitor at its defaults (span attribution), one with
 * `monitor: { attribution: "run" }` (a clock reading at the end of every
 * process run) and one with `monitor: false`, in the same run, in
 * alternating rounds (and a twin of the first two, so the spread between
 * twins shows the noise):
 *
 * - cast throughput: casts to one server whose handleCast adds to its state,
 *   then one call to read it (as in gen_server_bench.ts);
 * - call round-trip from outside: sequential awaited calls to an idle server;
 * - call round-trip from a process: a client process awaiting calls to the
 *   server inside one handler (one message per scheduler run);
 * - ping-pong: two processes casting one token back and forth, 1000 hops per
 *   op (one message per process run: the worst case for the "run"
 *   attribution's reading at the end of each run).
 *
 * Target (issue 16): at most 3% on cast and call throughput with defaults.
 *
 * Run: `deno run bench/monitor_bench.ts`, `bun bench/monitor_bench.ts`,
 * `node npm/bench/monitor_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { type Context, noreply, ok, type Pid, reply, System, type SystemOptions } from "../mod.ts";
import { type AsyncBenchCase, measureAsync, table } from "./_harness.ts";

const add = (n: number, sum: number) => sum + n;
const ON: SystemOptions = { logger: null };
const OFF: SystemOptions = { logger: null, monitor: false };
const RUN: SystemOptions = { logger: null, monitor: { attribution: "run" } };

async function castCase(name: string, options: SystemOptions): Promise<AsyncBenchCase> {
  const system = new System(options);
  const pid = await system.start({
    init: () => ok(0),
    handleCast: (n: number, sum: number) => noreply(add(n, sum)),
    handleCall: (_request: "sum", _from, sum: number) => reply(sum, sum),
  });
  return {
    name,
    async run(ops) {
      for (let i = 0; i < ops; i++) system.cast(pid, i & 7);
      return await system.call<number>(pid, "sum");
    },
  };
}

async function callCase(name: string, options: SystemOptions): Promise<AsyncBenchCase> {
  const system = new System(options);
  const pid = await system.start({
    init: () => ok(0),
    handleCall: (request: number, _from, state: number) => reply(request + 1, state),
  });
  return {
    name,
    async run(ops) {
      let sum = 0;
      for (let i = 0; i < ops; i++) sum += await system.call<number>(pid, i);
      return sum;
    },
  };
}

/** A client process that makes `n` calls to a server per job, inside one async handleCall. */
async function processCallCase(name: string, options: SystemOptions): Promise<AsyncBenchCase> {
  const system = new System(options);
  const server = await system.start({
    init: () => ok(0),
    handleCall: (request: number, _from, state: number) => reply(request + 1, state),
  });
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
        for (let i = 0; i < job.n; i++) sum += await ctx.call<number>(server, i);
        job.done(sum);
      }
    },
  });
  void system.call(client, "serve", { timeout: Infinity }).catch(() => {});
  return {
    name,
    run: (n) =>
      new Promise<number>((done) => {
        jobs.push({ n, done });
        wake?.();
      }),
  };
}

/** Two processes casting a token back and forth: `ops` thousand-hop rallies. */
async function pingPongCase(name: string, options: SystemOptions): Promise<AsyncBenchCase> {
  const system = new System(options);
  let finish: ((hops: number) => void) | undefined;
  type Token = { hops: number; peer: Pid };
  const player = {
    init: () => ok(0),
    handleCast: (token: Token, n: number, ctx: Context) => {
      if (token.hops === 0) finish!(n + 1);
      else ctx.cast(token.peer, { hops: token.hops - 1, peer: ctx.self });
      return noreply(n + 1);
    },
  };
  const a = await system.start(player);
  const b = await system.start(player);
  return {
    name,
    async run(ops) {
      let total = 0;
      for (let i = 0; i < Math.max(1, Math.round(ops / 1000)); i++) {
        total += await new Promise<number>((resolve) => {
          finish = resolve;
          system.cast(a, { hops: 1000, peer: b });
        });
      }
      return total;
    },
  };
}

const SAMPLES = { samples: 21 };

async function compare(
  title: string,
  make: (name: string, options: SystemOptions) => Promise<AsyncBenchCase>,
): Promise<void> {
  const off = "monitor: false";
  console.log(
    table(
      title,
      await measureAsync([
        await make(off, OFF),
        await make("monitor on (defaults: span)", ON),
        await make('attribution: "run"', RUN),
        await make(`${off}, twin`, OFF),
        await make("monitor on (defaults: span), twin", ON),
      ], SAMPLES),
      off,
    ),
  );
  console.log("");
}

await compare("System monitor: cast throughput (messages)", castCase);
await compare("System monitor: call round-trip from outside (calls)", callCase);
await compare("System monitor: call round-trip from a process (calls)", processCallCase);
await compare("System monitor: ping-pong between two processes (ops = hops)", pingPongCase);
// The probes' timers are unref'd: the host exits here.
