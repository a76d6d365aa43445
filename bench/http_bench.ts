/**
 * HTTP under saturation: how long `/health` and `/metrics` of the Hono
 * telemetry adapter take while one actor works through 1 000 000 queued
 * casts (each a few microseconds of CPU), against the same requests to the
 * same server with the system idle (the in-run baseline). The server is a
 * real socket in this process (`Deno.serve`, `Bun.serve` or
 * `@hono/node-server`, as the demo serves it); the client is a separate
 * process on the same runtime (`_http_client.ts`) requesting one at a time,
 * so each latency is the server's: parsing, routing, rendering, and waiting
 * for the scheduler to yield to the event loop. Target: p99 within 50 ms
 * under saturation. Numbers only; never assertions.
 *
 * Run: `deno run -A bench/http_bench.ts`, `bun bench/http_bench.ts`,
 * `node npm/bench/http_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type GenServer, noreply, ok, reply, System } from "../mod.ts";
import { createTelemetryApp } from "../hono.ts";
import { serve } from "../examples/demo/_serve.ts";
import { runtimeName } from "./_harness.ts";
import type { ClientCommand, ClientResult } from "./_http_client.ts";

const BACKLOG = 1_000_000;
const REQUESTS = 300;
const WARMUP = 100;
/** The saturated run stops after this long, so it ends before the backlog does. */
const SATURATED_BUDGET_MS = 3000;
const TARGET_P99_MS = 50;
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
function startClient() {
  const self = fileURLToPath(import.meta.url);
  const script = self.replace(/http_bench\.(ts|js)$/, "_http_client.$1");
  const runtime = runtimeName().split(" ")[0];
  const args = runtime === "deno" ? ["run", "--allow-net", script] : [script];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const results = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async run(command: ClientCommand): Promise<ClientResult> {
      child.stdin!.write(JSON.stringify(command) + "\n");
      const next = await results.next();
      if (next.done) throw new Error("the bench client exited");
      return JSON.parse(next.value) as ClientResult;
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

const system = new System({ logger: null });
const shutdown = new AbortController();
const app = createTelemetryApp(system, { auth: { token: TOKEN }, signal: shutdown.signal });
const server = await serve((request, env) => app.fetch(request, env), { port: 0 });
const base = `http://${server.hostname}:${server.port}`;
const pid = await system.start(worker, undefined);
const client = startClient();

// Idle: warm up, then the baseline.
await client.run({ base, token: TOKEN, count: WARMUP, budgetMs: 60_000 });
const idle = await client.run({ base, token: TOKEN, count: REQUESTS, budgetMs: 60_000 });

// Saturated: 1 000 000 casts queued at once, then the same requests while they drain.
// The fill is one synchronous loop of user code: requests start after it, so
// they measure the runtime under the backlog, not the loop that made it.
const fillStart = performance.now();
for (let i = 0; i < BACKLOG; i++) system.cast(pid, i);
const fillMs = performance.now() - fillStart;
const saturatedRun = client.run({
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

client.close();
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
if (sink === 0x7fffffff) lines.push("");
console.log(lines.join("\n"));
