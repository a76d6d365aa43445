// A first program against the installed package, run as-is by Node and by
// Bun in a fresh project (e2e/package_test.ts): a GenServer call and cast, a
// Supervisor restarting a crashed child, the Hono adapter's /health, and a
// System on the precompiled core the package ships (wasm/scheduler.wasm), and
// an ordered_set Table (whose tree comes from the package's one dependency),
// and a pipeline with a batcher drained on stop.
// It prints one line, `RESULT <json>`, which the test reads.
import { noreply, ok, reply, Supervisor, System } from "@beamlet/beamlet";
import { createTelemetryApp } from "@beamlet/beamlet/hono";
import { persistentTerm, Table } from "@beamlet/beamlet/tables";
import { MemoryProducer, Pipeline } from "@beamlet/beamlet/pipeline";
import { formatState } from "@beamlet/beamlet/introspection";
import { prometheusRules } from "@beamlet/beamlet/ops";
import { Hono } from "hono";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const reports = [];
const system = new System({ logger: { report: (report) => reports.push(report.kind) } });

const counter = {
  init: (start) => ok(start),
  handleCall: (_request, _from, n) => reply(n, n),
  handleCast: (message, n) => {
    if (message === "crash") throw new Error("crash on purpose");
    return noreply(n + message);
  },
};

const sup = await Supervisor.start(system, [
  { id: "counter", start: { server: counter, arg: 10, options: { name: "counter" } } },
], { strategy: "one_for_one" });

const firstPid = (await Supervisor.whichChildren(system, sup))[0].pid;
const cast = system.cast("counter", 5);
const afterCast = await system.call("counter", "get");

// Crash the child, then wait (no clock involved) until its supervisor runs a new one.
system.cast("counter", "crash");
let restartedPid;
for (;;) {
  const pid = (await Supervisor.whichChildren(system, sup))[0].pid;
  if (pid !== undefined && String(pid) !== String(firstPid)) {
    restartedPid = pid;
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 1));
}
const afterRestart = await system.call("counter", "get");

const scores = new Table(system, { owner: restartedPid, type: "ordered_set", name: "scores" });
scores.insertMany([["b", 2], ["a", 1], ["c", 3]]);
persistentTerm.put("package-test:top", scores.range({ reverse: true, limit: 2 }).map(([k]) => k));
const table = { top: persistentTerm.get("package-test:top"), first: scores.first() };

const source = new MemoryProducer();
const batches = [];
const pipeline = await Pipeline.start(system, {
  name: "package-test",
  producer: { stage: source.stage() },
  processors: { default: { concurrency: 2 } },
  batchers: { default: { batchSize: 3, batchTimeout: 60_000 } },
  handleMessage: (_processor, message) => message,
  handleBatch: (_batcher, messages) => {
    batches.push(messages.length);
    return messages;
  },
});
source.push(1, 2, 3, 4, 5, 6, 7);
await pipeline.stop(); // the last, partial batch goes out on the drain
const flow = {
  acked: source.ackedCount,
  failed: source.failedCount,
  items: batches.reduce((a, b) => a + b, 0),
};

// Observability v2: a redacting formatStatus, and rules generated from the built-in metrics.
const vault = await system.start({
  init: () => ok({ user: "ada", password: "hunter2" }),
  formatStatus: (state) => ({ user: state.user, password: "[redacted]" }),
});
const preview = formatState(system, vault);
const rules = prometheusRules();
const observe = {
  formatted: preview.formatted,
  redacted: preview.text.includes("[redacted]") && !preview.text.includes("hunter2"),
  ruleGroups: rules.groups.length > 0,
};

const shutdown = new AbortController();
const app = new Hono();
app.route(
  "/beamlet",
  createTelemetryApp(system, { auth: { token: "t".repeat(32) }, signal: shutdown.signal }),
);
const health = await app.request("/beamlet/health");
const healthBody = await health.json();
const metrics = await app.request("/beamlet/metrics");

shutdown.abort();
await system.stopAll();

// The precompiled core, as a Worker imports it: resolved through the package's exports.
const wasmPath = fileURLToPath(import.meta.resolve("@beamlet/beamlet/wasm/scheduler.wasm"));
const precompiled = new System({ wasmModule: new WebAssembly.Module(readFileSync(wasmPath)) });
const precompiledCore = precompiled.schedulerStats().core;
await precompiled.shutdown();

console.log(
  "RESULT " + JSON.stringify({
    runtime: typeof Bun === "undefined" ? "node" : "bun",
    cast,
    afterCast,
    restarted: restartedPid !== undefined && String(restartedPid) !== String(firstPid),
    afterRestart,
    reports,
    health: { status: health.status, body: healthBody },
    metricsWithoutToken: metrics.status,
    precompiledCore,
    table,
    flow,
    observe,
  }),
);
