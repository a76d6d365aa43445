/**
 * Many schedulers (`SystemOptions.schedulers`), each figure against its
 * baseline measured in the same run, in interleaved rounds (medians):
 *
 * 1. Scaling: 1000 processes placed round-robin, each doing ~10 µs of CPU
 *    work per message (a loop calibrated once, not a clock spin); each
 *    process is told by one call to cast itself its share, and calls that
 *    return counts say when all is handled. Messages handled per second at
 *    1 (the baseline), 2 and 4 schedulers (4 oversubscribes a 2-core host).
 *    Beside it, the host's own ceiling in the same rounds: the same work
 *    done by one bare thread, and by two at once (this thread and a bare
 *    Worker, no beamlet), since on shared cores two threads rarely get
 *    two whole cores.
 * 2. Casts from outside code on scheduler 0 to a counting process on
 *    scheduler 1, until a call says it counted them all; vs the same
 *    process on scheduler 0; vs a bare Worker counting what one
 *    `postMessage` per message posts it (the baseline).
 * 3. Sequential call round trips, p50 / p99: to a process on scheduler 1
 *    vs on scheduler 0 (the baseline).
 * 4. A 200 ms CPU job through `Task.cpu` while a 5 ms `setTimeout` is
 *    armed on the main thread: the timer's lateness; vs the same job run
 *    inline with `Task.async` (the baseline, ~200 ms late).
 *
 * The codec's own cost is `bench/codec_bench.ts`. The host's load average
 * is printed before and after (other work on the cores skews every figure).
 * Numbers only; never assertions.
 *
 * Run: `deno run -A bench/schedulers_bench.ts`, `bun bench/schedulers_bench.ts`,
 * `npm run build:npm && node npm/bench/schedulers_bench.js`.
 *
 * @module
 */

import { type Pid, System, Task } from "../mod.ts";
import { type BenchResult, median, runtimeName, table } from "./_harness.ts";
import { burn, calibrateBurn, counter, spin, worker } from "./_schedulers_actors.ts";

/** Processes of the scaling case. */
const PROCESSES = 1000;
/** CPU work per message, µs. */
const WORK_MICROS = 10;
/** Messages each process casts itself per round. */
const PER_PROCESS = 40;
/** Casts per round of the cast case. */
const CASTS = 200_000;
/** Sequential calls per round of the round-trip case. */
const CALLS = 2000;
/** Rounds of the scaling case (after one warm-up round). */
const SCALING_ROUNDS = 5;
/** Rounds of the cast and call cases (after two warm-up rounds). */
const ROUNDS = 7;
/** Rounds of the timer case. */
const TIMER_ROUNDS = 5;
/** The CPU job and the timer armed while it runs, ms. */
const JOB_MS = 200;
const TIMER_MS = 5;
const LONG = { timeout: 60_000 };

/** The module every scheduler loads: the `.ts` source, or its `.js` in the npm build. */
const ACTORS = new URL(
  import.meta.url.endsWith(".ts") ? "./_schedulers_actors.ts" : "./_schedulers_actors.js",
  import.meta.url,
);

async function newSystem(schedulers: number): Promise<System> {
  const system = new System({ schedulers, modules: [ACTORS], logger: null, monitor: false });
  await system.ready;
  const running = system.schedulers().filter((s) => s.status === "running").length;
  if (running !== schedulers) {
    throw new Error(`asked for ${schedulers} schedulers, ${running} run`);
  }
  return system;
}

/** Why the schedulers that are not running stopped. */
function downReasons(system: System): string {
  return system.schedulers()
    .filter((s) => s.status !== "running")
    .map((s) => `${s.index} ${s.status}: ${s.error?.message ?? "?"}`)
    .join("; ");
}

function result(name: string, rates: number[]): BenchResult {
  return {
    name,
    medianOpsPerSecond: median(rates),
    min: Math.min(...rates),
    max: Math.max(...rates),
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

// ---------------------------------------------------------------- 1. scaling

interface ScalingCase {
  readonly name: string;
  readonly system: System;
  readonly pids: Pid[];
  readonly rates: number[];
}

async function scalingCase(schedulers: number, iterations: number): Promise<ScalingCase> {
  const system = await newSystem(schedulers);
  const pids: Pid[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    pids.push(await system.start(worker, iterations, { placement: "round-robin" }));
  }
  // A scheduler that went down after `ready` is skipped by round-robin: say so in the row.
  const ran = new Set(pids.map((pid) => pid.scheduler)).size;
  const name = `${schedulers} scheduler${schedulers > 1 ? "s" : ""}${
    ran === schedulers ? "" : ` (${ran} ran: ${downReasons(system)})`
  }`;
  return { name, system, pids, rates: [] };
}

/** One round: every process casts itself its share; messages handled per second. */
async function scalingRound(c: ScalingCase): Promise<number> {
  const count = async () => {
    const counts = await Promise.all(
      c.pids.map((pid) => c.system.call<number>(pid, "count", LONG)),
    );
    return counts.reduce((a, b) => a + b, 0);
  };
  const before = await count();
  const start = performance.now();
  await Promise.all(c.pids.map((pid) => c.system.call(pid, { go: PER_PROCESS }, LONG)));
  const after = await count();
  const seconds = (performance.now() - start) / 1000;
  if (after - before !== PROCESSES * PER_PROCESS) {
    throw new Error(`${c.name}: ${after - before} handled, ${PROCESSES * PER_PROCESS} sent`);
  }
  return (after - before) / seconds;
}

async function scaling(
  bare: BareWorker,
): Promise<{ results: BenchResult[]; ceiling: BenchResult[]; iterations: number }> {
  const iterations = calibrateBurn(WORK_MICROS);
  const cases: ScalingCase[] = [];
  const alone: number[] = [];
  const together: number[] = [];
  try {
    for (const schedulers of [1, 2, 4]) cases.push(await scalingCase(schedulers, iterations));
    for (const c of cases) await scalingRound(c); // warm-up
    await ceilingRound(bare, iterations);
    for (let round = 0; round < SCALING_ROUNDS; round++) {
      for (const c of cases) c.rates.push(await scalingRound(c));
      const [one, two] = await ceilingRound(bare, iterations);
      alone.push(one);
      together.push(two);
    }
  } finally {
    for (const c of cases) c.system.shutdown();
  }
  return {
    results: cases.map((c) => result(c.name, c.rates)),
    ceiling: [
      result("1 bare thread, no runtime", alone),
      result("2 bare threads at once, no runtime", together),
    ],
    iterations,
  };
}

// ---------------------------------------------------------------- bare Worker

/**
 * A bare Worker (no beamlet): counts the messages posted to it and answers
 * `"count"` with the total; `{ burn, times }` runs {@linkcode burn} `times`
 * times and answers with its result.
 */
interface BareWorker {
  post(message: unknown): void;
  /** Posts `message` and resolves with the Worker's answer. */
  ask(message: unknown): Promise<number>;
  terminate(): void;
}

const BARE_HANDLER = `${burn.toString()}
let n = 0;
const handle = (m, answer) => {
  if (m === "count") answer(n);
  else if (typeof m === "object") {
    let x = 0;
    for (let i = 0; i < m.times; i++) x = burn(m.burn, x);
    answer(x);
  } else n++;
};`;
const BARE_WEB = `${BARE_HANDLER}
self.onmessage = (e) => handle(e.data, (v) => self.postMessage(v));`;
const BARE_NODE = `const { parentPort } = require("node:worker_threads");
${BARE_HANDLER}
parentPort.on("message", (m) => handle(m, (v) => parentPort.postMessage(v)));`;

async function bareWorker(): Promise<BareWorker> {
  const g = globalThis as { process?: { versions?: { node?: string } }; Bun?: unknown };
  const node = typeof g.process?.versions?.node === "string" &&
    typeof (globalThis as { Deno?: unknown }).Deno === "undefined" && g.Bun === undefined;
  let waiting: ((n: number) => void) | undefined;
  const answered = (n: number) => {
    const w = waiting;
    waiting = undefined;
    w?.(n);
  };
  const ask = (post: (m: unknown) => void) => (message: unknown) =>
    new Promise<number>((resolve) => {
      waiting = resolve;
      post(message);
    });
  if (node) {
    const threads = await import("node:worker_threads");
    const w = new threads.Worker(BARE_NODE, { eval: true });
    w.on("message", (n: number) => answered(n));
    const post = (m: unknown) => w.postMessage(m);
    return { post, ask: ask(post), terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([BARE_WEB], { type: "application/javascript" }));
  const w = new Worker(url, { type: "module" });
  w.onmessage = (event: MessageEvent<number>) => answered(event.data);
  const post = (m: unknown) => w.postMessage(m);
  return { post, ask: ask(post), terminate: () => w.terminate() };
}

/**
 * The host's own ceiling, without beamlet: the same work per message done
 * by one bare thread alone, and by two at once (this thread and a bare
 * Worker); messages of work per second.
 */
async function ceilingRound(bare: BareWorker, iterations: number): Promise<[number, number]> {
  const times = PROCESSES * PER_PROCESS / 2;
  let x = 0;
  let start = performance.now();
  for (let i = 0; i < times; i++) x = burn(iterations, x);
  const alone = times / ((performance.now() - start) / 1000);
  start = performance.now();
  const other = bare.ask({ burn: iterations, times });
  for (let i = 0; i < times; i++) x = burn(iterations, x);
  x ^= await other;
  const together = (2 * times) / ((performance.now() - start) / 1000);
  if (x === 0x7fffffff) console.log("");
  return [alone, together];
}

// ---------------------------------------------------------------- 2. casts

/** Casts N small messages from this thread, then one call: casts per second. */
async function castRound(system: System, pid: Pid): Promise<number> {
  const before = await system.call<number>(pid, "count", LONG);
  const start = performance.now();
  let refused = 0;
  for (let i = 0; i < CASTS; i++) if (system.cast(pid, 1) !== "ok") refused++;
  const after = await system.call<number>(pid, "count", LONG);
  const seconds = (performance.now() - start) / 1000;
  if (refused > 0 || after - before !== CASTS) {
    throw new Error(`casts to ${pid}: ${after - before} counted, ${refused} refused of ${CASTS}`);
  }
  return CASTS / seconds;
}

async function postRound(bare: BareWorker): Promise<number> {
  const before = await bare.ask("count");
  const start = performance.now();
  for (let i = 0; i < CASTS; i++) bare.post(1);
  const after = await bare.ask("count");
  const seconds = (performance.now() - start) / 1000;
  if (after - before !== CASTS) throw new Error(`postMessage: ${after - before} of ${CASTS}`);
  return CASTS / seconds;
}

async function casts(system: System, bare: BareWorker): Promise<BenchResult[]> {
  const remote = await system.start(counter, undefined, { placement: { scheduler: 1 } });
  const local = await system.start(counter, undefined, { placement: { scheduler: 0 } });
  const rates = { remote: [] as number[], local: [] as number[], post: [] as number[] };
  for (let warm = 0; warm < 2; warm++) {
    await castRound(system, remote);
    await castRound(system, local);
    await postRound(bare);
  }
  for (let round = 0; round < ROUNDS; round++) {
    rates.post.push(await postRound(bare));
    rates.remote.push(await castRound(system, remote));
    rates.local.push(await castRound(system, local));
  }
  return [
    result("postMessage to a bare Worker", rates.post),
    result("cast 0 → 1 (another scheduler)", rates.remote),
    result("cast 0 → 0 (same scheduler)", rates.local),
  ];
}

// ---------------------------------------------------------------- 3. calls

/** Sequential calls: their round trips, ms, sorted. */
async function callRound(system: System, pid: Pid): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    await system.call(pid, "count");
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

interface Latency {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
}

async function calls(system: System): Promise<Latency[]> {
  const remote = await system.start(counter, undefined, { placement: { scheduler: 1 } });
  const local = await system.start(counter, undefined, { placement: { scheduler: 0 } });
  const rounds = { remote: [] as number[][], local: [] as number[][] };
  for (let warm = 0; warm < 2; warm++) {
    await callRound(system, remote);
    await callRound(system, local);
  }
  for (let round = 0; round < ROUNDS; round++) {
    rounds.local.push(await callRound(system, local));
    rounds.remote.push(await callRound(system, remote));
  }
  const of = (name: string, runs: number[][]): Latency => ({
    name,
    p50: median(runs.map((r) => quantile(r, 0.5))),
    p99: median(runs.map((r) => quantile(r, 0.99))),
  });
  return [
    of("call 0 → 0 (same scheduler)", rounds.local),
    of("call 0 → 1 (another scheduler)", rounds.remote),
  ];
}

// ---------------------------------------------------------------- 4. Task.cpu

/** Arms a TIMER_MS timer, runs `job`, and says how late the timer fired, ms. */
async function lateness(job: () => Promise<unknown>): Promise<number> {
  const armed = performance.now();
  const fired = new Promise<number>((resolve) =>
    setTimeout(() => resolve(performance.now()), TIMER_MS)
  );
  await job();
  return (await fired) - armed - TIMER_MS;
}

async function timers(system: System): Promise<Latency[]> {
  const offloaded = () => Task.cpu(system, spin, JOB_MS);
  const inline = async () => Task.await(await Task.async(system, () => spin.run(JOB_MS)), 10_000);
  await lateness(offloaded);
  const late = { offloaded: [] as number[], inline: [] as number[] };
  for (let round = 0; round < TIMER_ROUNDS; round++) {
    late.inline.push(await lateness(inline));
    late.offloaded.push(await lateness(offloaded));
  }
  const of = (name: string, values: number[]): Latency => ({
    name,
    p50: median(values),
    p99: Math.max(...values),
  });
  return [
    of(`Task.async inline, ${JOB_MS} ms job`, late.inline),
    of(`Task.cpu on scheduler 1, ${JOB_MS} ms job`, late.offloaded),
  ];
}

// ---------------------------------------------------------------- main

/** The host's 1-minute load average (what else ran on the shared cores), where it says. */
async function loadAverage(): Promise<string> {
  try {
    const os = await import("node:os");
    return os.loadavg()[0].toFixed(2);
  } catch {
    return "?";
  }
}

const started = performance.now();
const loadBefore = await loadAverage();
const bare = await bareWorker();
let scaled: BenchResult[];
let ceiling: BenchResult[];
let iterations: number;
let castResults: BenchResult[];
let callResults: Latency[];
let timerResults: Latency[];
try {
  ({ results: scaled, ceiling, iterations } = await scaling(bare));
  const system = await newSystem(2);
  try {
    // The timer first: the garbage the cast and call rounds leave is not its to collect.
    timerResults = await timers(system);
    callResults = await calls(system);
    castResults = await casts(system, bare);
  } finally {
    system.shutdown();
  }
} finally {
  bare.terminate();
}

const loadAfter = await loadAverage();
const ms = (x: number) => x.toFixed(3);
const lines = [
  `Many schedulers — ${runtimeName()}; medians of ${SCALING_ROUNDS} rounds (scaling), ` +
  `${ROUNDS} (casts, calls), ${TIMER_ROUNDS} (timer), after warm-up; ` +
  `ratios within this run`,
  "",
  table(
    `1. Scaling: ${PROCESSES} processes, ~${WORK_MICROS} µs per message ` +
      `(${iterations} loop steps), messages handled/s`,
    scaled,
    scaled[0].name,
  ),
  "",
  `(one scheduler spends ${(1e6 / scaled[0].medianOpsPerSecond).toFixed(1)} µs a message: ` +
  `the work and the runtime's overhead)`,
  "",
  table("1b. The host's ceiling: the same work, no runtime", ceiling, ceiling[0].name),
  "",
  table(
    `2. ${CASTS / 1000}k small casts from scheduler 0, until counted`,
    castResults,
    castResults[0].name,
  ),
  "",
  `### 3. Sequential call round trip (${CALLS} calls a round) — ${runtimeName()}`,
  "",
  "| case | p50 ms | p99 ms | p50 vs baseline |",
  "| --- | ---: | ---: | ---: |",
  ...callResults.map((r, i) =>
    `| ${r.name}${i === 0 ? " (baseline)" : ""} | ${ms(r.p50)} | ${ms(r.p99)} | ${
      (r.p50 / callResults[0].p50).toFixed(2)
    }× |`
  ),
  "",
  `### 4. A ${TIMER_MS} ms timer armed during a ${JOB_MS} ms CPU job — ${runtimeName()}`,
  "",
  `| case | lateness median ms | worst of ${TIMER_ROUNDS} ms |`,
  "| --- | ---: | ---: |",
  ...timerResults.map((r, i) =>
    `| ${r.name}${i === 0 ? " (baseline)" : ""} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`
  ),
  "",
  `(${((performance.now() - started) / 1000).toFixed(1)} s; host load average ${loadBefore} ` +
  `before, ${loadAfter} after)`,
];
console.log(lines.join("\n"));
