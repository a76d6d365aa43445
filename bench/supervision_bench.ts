/**
 * Supervision workloads against hand-written JavaScript doing the same work:
 *
 * - supervised start: `DynamicSupervisor.startChild` of a trivial GenServer
 *   (linked to the supervisor), against a plain unsupervised `system.start`
 *   of the same server and a JS floor (an object, a Map entry, a resolved
 *   Promise). Each sample starts its children and then terminates them all,
 *   so memory stays flat: the first table times the whole start + terminate
 *   cycle, the second the start phase alone (same samples).
 * - restart latency: a permanent child of a one_for_one Supervisor crashes
 *   (a cast that throws); one restart is the time from the crash cast until
 *   the new pid has answered a call. Baseline: what a restart costs at
 *   least — a plain `system.start` of the same server plus one call (the
 *   process is then killed, unawaited). Intensity is 1e9 so the budget never
 *   trips; the period is 100 ms so the supervisor's list of recent restarts
 *   stays short (with OTP's default 3 / 5 s it never exceeds 4 entries).
 * - asyncStream throughput, maxConcurrency 100, streams of 10 000 items of
 *   `async (x) => x * 2`, ordered and unordered; baseline: a JS pool of 100
 *   async workers over the same items (Promises, no processes).
 *
 * Run: `deno run bench/supervision_bench.ts`, `bun bench/supervision_bench.ts`,
 * `node npm/bench/supervision_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { asyncStream } from "../task.ts";
import {
  type Context,
  DynamicSupervisor,
  noreply,
  ok,
  type Pid,
  reply,
  Supervisor,
  System,
} from "../mod.ts";
import {
  type AsyncBenchCase,
  type BenchResult,
  measureAsync,
  median,
  runtimeName,
  table,
} from "./_harness.ts";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const SAMPLES = 9;

/** A trivial GenServer: state is a number, calls echo it. */
const trivial = {
  init: (n: number) => ok(n),
  handleCall: (_request: "ping", _from: unknown, n: number) => reply(n, n),
};

// ---------------------------------------------------------------------------
// 1. Supervised start

interface StartCase extends AsyncBenchCase {
  /** Start-phase rate (ops/s) of every run, warm-up included. */
  startRates: number[];
}

async function startCases(system: System): Promise<StartCase[]> {
  const sup = await DynamicSupervisor.start(system, { intensity: 1_000_000_000, period: 100 });
  const spec = { start: { server: trivial, arg: 1 }, restart: "temporary" as const };

  const jsTable = new Map<number, { id: number; state: number }>();
  let nextId = 0;
  const jsStart = (state: number) => {
    const handle = { id: nextId++, state };
    jsTable.set(handle.id, handle);
    return Promise.resolve(handle);
  };

  const cases: StartCase[] = [
    {
      name: "plain JS object + Map entry + Promise",
      startRates: [],
      async run(ops) {
        const t0 = performance.now();
        const handles = [];
        for (let i = 0; i < ops; i++) handles.push(await jsStart(i));
        this.startRates.push(ops / ((performance.now() - t0) / 1000));
        let sum = 0;
        for (const h of handles) {
          sum += h.id;
          jsTable.delete(h.id);
        }
        return sum;
      },
    },
    {
      name: "beamlet system.start (unsupervised)",
      startRates: [],
      async run(ops) {
        const t0 = performance.now();
        const pids: Pid[] = [];
        for (let i = 0; i < ops; i++) pids.push(await system.start(trivial, i));
        this.startRates.push(ops / ((performance.now() - t0) / 1000));
        await Promise.all(pids.map((pid) => system.stop(pid)));
        return pids.length;
      },
    },
    {
      name: "beamlet DynamicSupervisor.startChild",
      startRates: [],
      async run(ops) {
        const t0 = performance.now();
        const pids: Pid[] = [];
        for (let i = 0; i < ops; i++) {
          pids.push((await DynamicSupervisor.startChild(system, sup, spec))!);
        }
        this.startRates.push(ops / ((performance.now() - t0) / 1000));
        await Promise.all(pids.map((pid) => DynamicSupervisor.terminateChild(system, sup, pid)));
        return pids.length;
      },
    },
  ];
  return cases;
}

function startPhaseResults(cases: StartCase[]): BenchResult[] {
  return cases.map((c) => {
    const rates = c.startRates.slice(-SAMPLES); // the measured samples, not the warm-up
    return {
      name: c.name,
      medianOpsPerSecond: median(rates),
      min: Math.min(...rates),
      max: Math.max(...rates),
    };
  });
}

// ---------------------------------------------------------------------------
// 2. Restart latency

interface LatencyCase extends AsyncBenchCase {
  /** Latencies (ms), one array per run, warm-up runs included. */
  latencies: number[][];
}

async function restartCases(system: System): Promise<LatencyCase[]> {
  // The child tells the bench its pid from init: a restarted child is known at once.
  let started: ((pid: Pid) => void) | undefined;
  const crashy = {
    init: (n: number, ctx: Context) => {
      started?.(ctx.self);
      return ok(n);
    },
    handleCall: (_request: "ping", _from: unknown, n: number) => reply(n, n),
    handleCast: (request: "crash", n: number) => {
      if (request === "crash") throw new Error("crash");
      return noreply(n);
    },
  };
  let current!: Pid;
  started = (pid) => (current = pid);
  await Supervisor.start(
    system,
    [{
      id: "crashy",
      start: { server: crashy, arg: 7 },
      restart: "permanent",
      shutdown: "brutal_kill",
    }],
    { strategy: "one_for_one", intensity: 1_000_000_000, period: 100 },
  );

  return [
    {
      name: "plain system.start + call (restart floor)",
      latencies: [],
      async run(ops) {
        const latencies: number[] = [];
        this.latencies.push(latencies);
        let sum = 0;
        for (let i = 0; i < ops; i++) {
          const t0 = performance.now();
          const pid = await system.start(trivial, 7);
          sum += await system.call<number>(pid, "ping");
          latencies.push(performance.now() - t0);
          system.exit(pid, "kill");
        }
        return sum;
      },
    },
    {
      name: "beamlet one_for_one restart (crash cast → new pid answers)",
      latencies: [],
      async run(ops) {
        const latencies: number[] = [];
        this.latencies.push(latencies);
        let sum = 0;
        for (let i = 0; i < ops; i++) {
          const t0 = performance.now();
          const old = current;
          const restarted = new Promise<Pid>((resolve) => {
            started = (pid) => {
              current = pid;
              resolve(pid);
            };
          });
          system.cast(old, "crash");
          const pid = await restarted;
          sum += await system.call<number>(pid, "ping");
          latencies.push(performance.now() - t0);
        }
        started = (pid) => (current = pid);
        return sum;
      },
    },
  ];
}

function latencyTable(title: string, cases: LatencyCase[], baseline: string): string {
  const base = cases.find((c) => c.name === baseline)!;
  // The last SAMPLES runs are the measured samples (the earlier ones are the warm-up).
  const measured = (c: LatencyCase) => c.latencies.slice(-SAMPLES).flat();
  const baseMedian = median(measured(base));
  const lines = [
    `### ${title} — ${runtimeName()}`,
    "",
    "| case | median | p99 | samples | vs baseline |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  for (const c of cases) {
    const values = measured(c);
    const m = median(values);
    lines.push(
      `| ${c.name}${c === base ? " (baseline)" : ""} | ${(m * 1000).toFixed(1)} µs | ${
        (percentile(values, 0.99) * 1000).toFixed(1)
      } µs | ${values.length} | ${(m / baseMedian).toFixed(2)}× |`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------
// 3. asyncStream throughput

const STREAM_ITEMS = 10_000;
const CONCURRENCY = 100;
// The workload of the issue, verbatim: trivial async work.
// deno-lint-ignore require-await
const double = async (x: number) => x * 2;

/** `ops` items, in streams of at most 10 000. */
async function inStreams(
  ops: number,
  stream: (items: number[]) => Promise<number>,
): Promise<number> {
  let sum = 0;
  for (let done = 0; done < ops; done += STREAM_ITEMS) {
    const items = Array.from({ length: Math.min(STREAM_ITEMS, ops - done) }, (_, i) => i);
    sum += await stream(items);
  }
  return sum;
}

/** The JS baseline: 100 async workers pulling from one index, results in input order. */
async function jsPool(items: number[], ordered: boolean): Promise<number> {
  const results: number[] = ordered ? new Array(items.length) : [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const value = await double(items[i]);
      if (ordered) results[i] = value;
      else results.push(value);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  let sum = 0;
  for (const value of results) sum += value;
  return sum;
}

function streamCases(system: System): AsyncBenchCase[] {
  const beamlet = async (items: number[], ordered: boolean) => {
    let sum = 0;
    for await (
      const result of asyncStream(system, items, double, { maxConcurrency: CONCURRENCY, ordered })
    ) {
      if ("ok" in result) sum += result.ok;
    }
    return sum;
  };
  return [
    {
      name: "plain JS pool of 100 async workers",
      run: (ops) => inStreams(ops, (items) => jsPool(items, true)),
    },
    {
      name: "beamlet asyncStream, ordered",
      run: (ops) => inStreams(ops, (items) => beamlet(items, true)),
    },
    {
      name: "beamlet asyncStream, unordered",
      run: (ops) => inStreams(ops, (items) => beamlet(items, false)),
    },
  ];
}

// ---------------------------------------------------------------------------

const system = new System({ logger: null });
try {
  const starts = await startCases(system);
  const startResults = await measureAsync(starts, { samples: SAMPLES });
  console.log(
    table(
      "Supervised start, start + terminate cycle (children)",
      startResults,
      "plain JS object + Map entry + Promise",
    ),
  );
  console.log("");
  console.log(
    table(
      "Supervised start, start phase only (children)",
      startPhaseResults(starts),
      "plain JS object + Map entry + Promise",
    ),
  );
  console.log("");

  const restarts = await restartCases(system);
  const restartResults = await measureAsync(restarts, { samples: SAMPLES });
  console.log(
    table(
      "Restart after a crash, one_for_one (restarts)",
      restartResults,
      "plain system.start + call (restart floor)",
    ),
  );
  console.log("");
  console.log(
    latencyTable(
      "Restart latency, one_for_one (per restart)",
      restarts,
      "plain system.start + call (restart floor)",
    ),
  );
  console.log("");

  console.log(
    table(
      `asyncStream, maxConcurrency ${CONCURRENCY}, streams of ${STREAM_ITEMS} items (items)`,
      await measureAsync(streamCases(system)),
      "plain JS pool of 100 async workers",
    ),
  );
  console.log("");
} finally {
  system.shutdown();
}
