/**
 * beamlet under load, with its live dashboard.
 *
 * One system runs a supervised tree of GenServers (see `services.ts`): a
 * metrics tracker batching casts and flushing on a timer, per-customer
 * sessions sharded by a PartitionSupervisor and started on demand, slow
 * checkouts moved off the session callbacks into supervised tasks (the call
 * is answered later), a bounded order writer that refuses work when its
 * mailbox is full, and a payments worker that crashes every so often and is
 * restarted by its supervisor. A load generator drives it at a steady rate
 * with periodic bursts; two SLOs watch it; the dashboard, `/metrics`
 * (Prometheus) and `/health` are served on a local port.
 *
 * Run: `npm start`, or
 *   deno run --allow-net --allow-env --allow-read=. examples/demo/main.ts [--port=N] [--duration=S] [--rate=OPS]
 *   bun examples/demo/main.ts
 *   node npm/examples/demo/main.js   (after `npm run build:npm`)
 *
 * @module
 */

import { System } from "../../mod.ts";
import { createTelemetryApp } from "../../hono.ts";
import {
  commandLine,
  environment,
  exitProcess,
  onInterrupt,
  runtimeName,
  runtimeVersion,
} from "./_host.ts";
import { type DemoOptions, parseOptions, USAGE, UsageError } from "./_options.ts";
import { serve } from "./_serve.ts";
import { CrashLog } from "./crash_log.ts";
import { demoMetrics } from "./demo_metrics.ts";
import { LoadGenerator } from "./load_generator.ts";
import type { TrackerSummary } from "./metrics_tracker.ts";
import { startServices } from "./services.ts";
import { startAuditPipeline } from "./pipeline.ts";
import { startSlos } from "./slos.ts";
import { statusLine } from "./status_line.ts";
import { runCpuJob } from "./cpu_jobs.ts";

const STATUS_EVERY_MS = 5000;

function options(): DemoOptions {
  try {
    const parsed = parseOptions(commandLine(), environment);
    if (!parsed.help) return parsed;
    console.log(USAGE);
    return exitProcess(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return exitProcess(2);
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const demo = options();
const token = environment("BEAMLET_TOKEN") || randomToken();
if (token.length < 16) {
  console.error("BEAMLET_TOKEN must be at least 16 characters (a long random secret)");
  exitProcess(2);
}
const crashes = new CrashLog(demo.verbose);
// Two schedulers: this thread and a Worker, where the CPU job below runs.
const system = new System({
  logger: crashes,
  schedulers: 2,
  // The module every scheduler loads (`.js` once built for Node).
  modules: [
    new URL(import.meta.url.endsWith(".ts") ? "./cpu_jobs.ts" : "./cpu_jobs.js", import.meta.url),
  ],
});
await system.ready;
for (const scheduler of system.schedulers()) {
  if (scheduler.error) console.log(`scheduler ${scheduler.index}: ${scheduler.error.message}`);
}
let restarts = 0;
system.telemetry.attach("demo.restarts", ["beamlet", "supervisor", "child", "restart"], () => {
  restarts++;
});

const { sessions } = await startServices(system);
await startAuditPipeline(system); // the Pipelines view's `audit` pipeline
const slo = startSlos(system);
const metrics = demoMetrics(system);
const http = new AbortController();
// The demo serves on 127.0.0.1 only, so it turns on the state view and the
// dashboard's actions (each still needs the token and a same-origin request).
const app = createTelemetryApp(system, {
  auth: { token, name: "demo" },
  slo,
  metrics,
  inspection: { state: true },
  mutations: { kill: true, suspend: true, restart: true },
  signal: http.signal,
});
const server = await serve((request, env) => app.fetch(request, env), { port: demo.port }).catch(
  (error) => {
    const denied = error instanceof Error && /NotCapable|PermissionDenied/.test(error.name);
    console.error(
      denied
        ? "the demo serves its dashboard on 127.0.0.1: run it with " +
          "`deno run --allow-net=127.0.0.1 --allow-env=PORT,BEAMLET_TOKEN --allow-read=. examples/demo/main.ts`"
        : `cannot serve on port ${demo.port}: ${error}`,
    );
    system.shutdown();
    return exitProcess(1);
  },
);
const base = `http://${server.hostname}:${server.port}`;

console.log(`beamlet demo on ${runtimeVersion()}`);
console.log(`dashboard: ${base}/dashboard?token=${token}`);
console.log(`metrics:   ${base}/metrics (Authorization: Bearer ${token})`);
console.log(`health:    ${base}/health`);
console.log(
  `load: ${demo.rate} ops/s, bursts ×5 for 4 s every 20 s (the first at 8 s); ` +
    (demo.duration === undefined ? "Ctrl-C to stop" : `stopping after ${demo.duration} s`),
);

const load = new LoadGenerator(system, sessions, { rate: demo.rate });
load.start();
// A CPU-heavy job on the other scheduler: the timers and HTTP here keep their pace.
runCpuJob(system).then(
  (job) =>
    console.log(
      `cpu job: ${job.primes} primes in ${
        job.jobMs.toFixed(0)
      } ms on another scheduler (Task.cpu); ` +
        `a 5 ms timer here fired ${
          job.timerLateMs.toFixed(1)
        } ms late (${job.schedulers} schedulers)`,
    ),
  (error) => console.log(`cpu job failed: ${error}`),
);

const startedAt = performance.now();
let lastBusy = system.schedulerStats().busyMs;
let lastAt = startedAt;
let statusTimer = system.setTimer(STATUS_EVERY_MS, printStatus);

function printStatus(): void {
  const now = performance.now();
  const busy = system.schedulerStats().busyMs;
  const utilization = Math.min(1, (busy - lastBusy) / Math.max(1, now - lastAt));
  lastBusy = busy;
  lastAt = now;
  const bursting = load.bursting;
  system.call<TrackerSummary>("tracker", { summary: STATUS_EVERY_MS / 1000 }).then((summary) => {
    console.log(statusLine({
      elapsedS: (now - startedAt) / 1000,
      summary,
      bursting,
      restarts,
      sessions: sessions.count(),
      utilization,
      slos: slo.status(),
    }));
    if (crashes.last !== undefined && !demo.verbose) {
      console.log(`       last crash: ${crashes.last}`);
    }
  }, (error) => console.log(`status: tracker unavailable (${error})`));
  statusTimer = system.setTimer(STATUS_EVERY_MS, printStatus);
}

let stopping = false;
async function shutdown(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`stopping (${why})...`);
  load.stop();
  system.cancelTimer(statusTimer);
  const totals = await system.call<TrackerSummary>("tracker", { summary: 60 }, { timeout: 1000 })
    .then((s) => s.total, () => undefined);
  http.abort();
  await server.close();
  slo.stop();
  metrics.detach();
  system.shutdown();
  if (totals !== undefined) {
    console.log(
      `done: ${totals.ops} operations, ${totals.refused} refused, ${totals.failed} failed, ` +
        `${restarts} restarts, ${crashes.count} crashes (${runtimeName()})`,
    );
  }
  exitProcess(0);
}

onInterrupt((signal) => void shutdown(signal));
if (demo.duration !== undefined) {
  setTimeout(() => void shutdown(`--duration=${demo.duration}`), demo.duration * 1000);
}
