/**
 * The Hono telemetry adapter under load, in two scenarios.
 *
 * 1. HTTP under saturation: how long `/health` and `/metrics` take while
 *    one actor works through 1 000 000 queued casts (each a few
 *    microseconds of CPU), against the same requests with the system idle
 *    (the in-run baseline). Requests one at a time. Target: p99 within
 *    50 ms under saturation.
 * 2. A large system with a dashboard open: 100 000 idle processes (under
 *    four DynamicSupervisors), twenty busy workers fed 20 000 casts a
 *    second, ten suspended processes with growing mailboxes, one simulated
 *    open dashboard (what `dashboard/app.js` polls, at its intervals, and
 *    its `/events` stream), and concurrent clients requesting `/health`
 *    (anonymous) and `/overview` (authenticated) back to back — against the
 *    same load on a system without the idle processes (the in-run
 *    baseline). Target: p99 of `/health` and `/overview` within 20 ms.
 *
 * The server is a real socket in this process (`Deno.serve`, `Bun.serve`
 * or `@hono/node-server`, as the demo serves it); the client is a separate
 * process on the same runtime (`_http_client.ts`), so each latency is the
 * server's: parsing, routing, rendering, and waiting for the scheduler (or
 * another request) to yield to the event loop. Numbers only; never
 * assertions.
 *
 * Run: `deno run -A bench/http_bench.ts`, `bun bench/http_bench.ts`,
 * `node npm/bench/http_bench.js` (after `npm run build:npm`). Add
 * `--dashboard-only` to run the second scenario alone, `--saturation-only` the
 * first.
 *
 * @module
 */

import { spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  DynamicSupervisor,
  type GenServer,
  noreply,
  ok,
  type Pid,
  reply,
  Supervisor,
  System,
} from "../mod.ts";
import { createTelemetryApp } from "../hono.ts";
import { serve } from "../examples/demo/_serve.ts";
import { runtimeName } from "./_harness.ts";
import type { ClientCommand, DashboardResult, SequentialResult } from "./_http_client.ts";

const BACKLOG = 1_000_000;
const REQUESTS = 300;
const WARMUP = 100;
/** The saturated run stops after this long, so it ends before the backlog does. */
const SATURATED_BUDGET_MS = 3000;
const TARGET_P99_MS = 50;

/** Scenario 2: idle processes, under this many DynamicSupervisors. */
const IDLE_PROCESSES = 100_000;
const SESSION_SUPERVISORS = 4;
/** Busy workers, and the casts they are fed per load tick (every LOAD_TICK_MS of the system clock). */
const BUSY_WORKERS = 20;
const CASTS_PER_TICK = 40;
const LOAD_TICK_MS = 2;
/** Suspended processes whose mailboxes grow (the top mailboxes of the overview). */
const STUCK_PROCESSES = 10;
/** Concurrent clients requesting back to back. */
const HEALTH_CLIENTS = 8;
const OVERVIEW_CLIENTS = 2;
const DASHBOARD_WARMUP_MS = 3000;
const DASHBOARD_MEASURE_MS = 15_000;
const DASHBOARD_TARGET_P99_MS = 20;
const TOKEN = "bench-token-0123456789abcdef";
/** Multiply-adds per cast: a few microseconds of CPU. */
const WORK_ITERATIONS = 600;

let sink = 0;

/** A worker whose casts cost real CPU, and whose call answers how many it handled. */
const worker: GenServer<number, undefined, "handled", number, number> = {
  init: () => ok(0),
  handleCast: (n, handled) => {
    let x = n;
    for (let i = 0; i < WORK_ITERATIONS; i++) x = (x * 1103515245 + 12345) | 0;
    sink ^= x;
    return noreply(handled + 1);
  },
  handleCall: (_request, _from, handled) => reply(handled, handled),
};

/** The client process, on this runtime, and a way to ask it for a run. */
type Client = ReturnType<typeof startClient>;

function startClient() {
  const self = fileURLToPath(import.meta.url);
  const script = self.replace(/http_bench\.(ts|js)$/, "_http_client.$1");
  const runtime = runtimeName().split(" ")[0];
  const args = runtime === "deno" ? ["run", "--allow-net", script] : [script];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const results = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async run<R>(command: ClientCommand): Promise<R> {
      child.stdin!.write(JSON.stringify(command) + "\n");
      const next = await results.next();
      if (next.done) throw new Error("the bench client exited");
      return JSON.parse(next.value) as R;
    },
    close() {
      child.stdin!.end();
    },
  };
}

/** The `p`-th percentile (nearest rank) of sorted `values`. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

const count = (n: number) => n.toLocaleString("en-US");

/** Scenario 1: `/health` and `/metrics`, one at a time, idle and then saturated. */
async function saturation(client: Client): Promise<string> {
  const system = new System({ logger: null });
  const shutdown = new AbortController();
  const app = createTelemetryApp(system, { auth: { token: TOKEN }, signal: shutdown.signal });
  const server = await serve((request, env) => app.fetch(request, env), { port: 0 });
  const base = `http://${server.hostname}:${server.port}`;
  const pid = await system.start(worker, undefined);

  // Idle: warm up, then the baseline.
  await client.run({ kind: "sequential", base, token: TOKEN, count: WARMUP, budgetMs: 60_000 });
  const idle = await client.run<SequentialResult>({
    kind: "sequential",
    base,
    token: TOKEN,
    count: REQUESTS,
    budgetMs: 60_000,
  });

  // Saturated: 1 000 000 casts queued at once, then the same requests while they drain.
  // The fill is one synchronous loop of user code: requests start after it, so
  // they measure the runtime under the backlog, not the loop that made it.
  const fillStart = performance.now();
  for (let i = 0; i < BACKLOG; i++) system.cast(pid, i);
  const fillMs = performance.now() - fillStart;
  const saturatedRun = client.run<SequentialResult>({
    kind: "sequential",
    base,
    token: TOKEN,
    count: REQUESTS,
    budgetMs: SATURATED_BUDGET_MS,
  });
  const queued = () => system.processInfo(pid)?.messageQueueLength ?? 0;
  const saturated = await saturatedRun;
  const queuedAtEnd = queued();
  const handled = await system.call<number>(pid, "handled", { timeout: Infinity });
  const drainMs = performance.now() - fillStart;

  shutdown.abort();
  await server.close();
  system.shutdown();

  const lines = [
    `### HTTP under saturation — ${runtimeName()}`,
    "",
    `One actor with ${count(BACKLOG)} queued casts (${ms(fillMs)} ms to enqueue, ` +
    `${count(handled)} handled in ${ms(drainMs)} ms; ${count(queuedAtEnd)} still queued when ` +
    `the saturated requests ended). A separate client process requests one at a time over ` +
    `a local socket; latency to the last byte of the body.`,
    "",
    "| route | system | requests | p50 | p99 | max | p99 vs idle |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const route of ["health", "metrics"] as const) {
    const a = stats(idle[route]);
    const b = stats(saturated[route]);
    lines.push(
      `| /${route} | idle (baseline) | ${a.count} | ${ms(a.p50)} ms | ${ms(a.p99)} ms | ` +
        `${ms(a.max)} ms | 1.00× |`,
      `| /${route} | saturated | ${b.count} | ${ms(b.p50)} ms | ${ms(b.p99)} ms | ` +
        `${ms(b.max)} ms | ${(b.p99 / a.p99).toFixed(2)}× |`,
    );
  }
  const worst = Math.max(stats(saturated.health).p99, stats(saturated.metrics).p99);
  lines.push(
    "",
    `Target p99 ≤ ${TARGET_P99_MS} ms under saturation: ${
      worst <= TARGET_P99_MS ? "met" : "missed"
    } (worst p99 ${ms(worst)} ms).` +
      (queuedAtEnd === 0 ? " Note: the backlog drained before the requests ended." : ""),
  );
  return lines.join("\n");
}

const idleServer: GenServer<null, unknown> = { init: () => ok(null) };

/** What one dashboard run measured, and how the system looked. */
interface DashboardRun extends DashboardResult {
  processes: number;
  setupMs: number;
  handled: number;
}

/** Scenario 2 with `idle` idle processes: the same load, the same clients. */
async function dashboardRun(client: Client, idle: number): Promise<DashboardRun> {
  const system = new System({ logger: null });
  const shutdown = new AbortController();
  const app = createTelemetryApp(system, { auth: { token: TOKEN }, signal: shutdown.signal });
  const server = await serve((request, env) => app.fetch(request, env), { port: 0 });
  const base = `http://${server.hostname}:${server.port}`;

  const setupStart = performance.now();
  const root = await Supervisor.start(system, [
    ...Array.from(
      { length: SESSION_SUPERVISORS },
      (_, i) => DynamicSupervisor.childSpec(`sessions-${i}`),
    ),
    ...Array.from(
      { length: BUSY_WORKERS },
      (_, i) => ({ id: `worker-${i}`, start: { server: worker } }),
    ),
  ], { name: "app" });
  const children = await Supervisor.whichChildren(system, root);
  const sessions = children.slice(0, SESSION_SUPERVISORS).map((child) => child.pid!);
  const workers = children.slice(SESSION_SUPERVISORS).map((child) => child.pid!);
  for (let i = 0; i < idle; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(idle, i + 1000); j++) {
      batch.push(DynamicSupervisor.startChild(system, sessions[j % SESSION_SUPERVISORS], {
        start: { server: idleServer },
      }));
    }
    await Promise.all(batch);
  }
  const stuck: Pid[] = [];
  for (let i = 0; i < STUCK_PROCESSES; i++) {
    const pid = await system.start(idleServer, undefined);
    system.suspend(pid);
    stuck.push(pid);
  }
  const setupMs = performance.now() - setupStart;

  let next = 0;
  let load = system.setTimer(LOAD_TICK_MS, function tick() {
    for (let i = 0; i < CASTS_PER_TICK; i++) system.cast(workers[next++ % workers.length], i);
    system.cast(stuck[next % stuck.length], next);
    load = system.setTimer(LOAD_TICK_MS, tick);
  });

  const command = {
    kind: "dashboard",
    base,
    token: TOKEN,
    healthClients: HEALTH_CLIENTS,
    overviewClients: OVERVIEW_CLIENTS,
  } as const;
  await client.run<DashboardResult>({ ...command, durationMs: DASHBOARD_WARMUP_MS });
  const measured = await client.run<DashboardResult>({
    ...command,
    durationMs: DASHBOARD_MEASURE_MS,
  });
  const processes = system.tableSizes().processes;
  system.cancelTimer(load);
  let handled = 0;
  for (const pid of workers) handled += await system.call<number>(pid, "handled");
  shutdown.abort();
  await server.close();
  system.shutdown();
  return { ...measured, processes, setupMs, handled };
}

/** Scenario 2: a baseline without the idle processes, then with them. */
async function dashboard(client: Client): Promise<string> {
  const baseline = await dashboardRun(client, 0);
  const large = await dashboardRun(client, IDLE_PROCESSES);
  const lines = [
    `### ${count(IDLE_PROCESSES)} processes with a dashboard open — ${runtimeName()}`,
    "",
    `${count(IDLE_PROCESSES)} idle processes under ${SESSION_SUPERVISORS} DynamicSupervisors ` +
    `(started in ${ms(large.setupMs)} ms), ${BUSY_WORKERS} busy workers fed ` +
    `up to ${count((CASTS_PER_TICK * 1000) / LOAD_TICK_MS)} casts/s, ` +
    `${STUCK_PROCESSES} suspended processes with growing mailboxes; one simulated dashboard ` +
    `(\`/overview\` every 1 s, \`/processes\` every 2 s, \`/tree\` every 10 s, an \`/events\` ` +
    `stream); ${HEALTH_CLIENTS} anonymous \`/health\` clients and ${OVERVIEW_CLIENTS} ` +
    `\`/overview\` clients requesting back to back from a separate process for ` +
    `${DASHBOARD_MEASURE_MS / 1000} s (after ${DASHBOARD_WARMUP_MS / 1000} s of warm-up). ` +
    `Baseline: the same load and clients without the idle processes.`,
    "",
    "| route | system | requests | p50 | p99 | max |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  const row = (route: string, system: string, values: number[]) => {
    const s = stats(values);
    lines.push(
      `| ${route} | ${system} | ${count(s.count)} | ${ms(s.p50)} ms | ${ms(s.p99)} ms | ` +
        `${ms(s.max)} ms |`,
    );
  };
  const runs = [
    [baseline, `${count(baseline.processes)} processes (baseline)`],
    [large, `${count(large.processes)} processes`],
  ] as const;
  for (const [route, key] of [["/health", "health"], ["/overview", "overview"]] as const) {
    for (const [run, label] of runs) row(route, label, run[key]);
  }
  for (const [run, label] of runs.slice(1)) row("dashboard polls", label, run.dashboard);
  const worst = (run: DashboardRun) => Math.max(stats(run.health).p99, stats(run.overview).p99);
  const verdict = (run: DashboardRun) =>
    `${worst(run) <= DASHBOARD_TARGET_P99_MS ? "met" : "missed"} (worst p99 ${ms(worst(run))} ms)`;
  const errors = runs.reduce((sum, [run]) => sum + run.errors, 0);
  const rate = (run: DashboardRun) =>
    count(Math.round(run.handled / ((DASHBOARD_WARMUP_MS + DASHBOARD_MEASURE_MS) / 1000)));
  lines.push(
    "",
    `Casts the busy workers handled per second: ${
      runs.map(([run, label]) => `${rate(run)} (${label})`).join(", ")
    }.`,
    "",
    `Target p99 ≤ ${DASHBOARD_TARGET_P99_MS} ms for /health and /overview: ${verdict(large)}.` +
      (errors > 0 ? ` ${errors} requests failed.` : ""),
  );
  return lines.join("\n");
}

const dashboardOnly = process.argv.includes("--dashboard-only");
const saturationOnly = process.argv.includes("--saturation-only");
const client = startClient();
const report: string[] = [];
if (!dashboardOnly) report.push(await saturation(client));
if (!saturationOnly) report.push(await dashboard(client));
client.close();
if (sink === 0x7fffffff) report.push("");
console.log(report.join("\n\n"));
