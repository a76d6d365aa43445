// A TypeScript consumer of the installed package, type-checked by
// e2e/package_test.ts with the tsconfig `tsc --init` writes (less
// skipLibCheck, so every shipped .d.ts is checked) and no @types/node. It
// imports every entry and uses the main types; it is never run.
import {
  CallTimeoutError,
  type ChildSpec,
  defineName,
  type GenServer,
  type Logger,
  noreply,
  ok,
  type Pid,
  reply,
  Supervisor,
  System,
} from "@beamlet/beamlet";
import * as core from "@beamlet/beamlet/core";
import {
  formatState,
  procCount,
  type ProcessInfo,
  type StatePreview,
} from "@beamlet/beamlet/introspection";
import { beamletMetrics, Metrics } from "@beamlet/beamlet/metrics";
import { SystemObserver } from "@beamlet/beamlet/observe";
import { HashRing } from "@beamlet/beamlet/partition";
import { Registry } from "@beamlet/beamlet/registry";
import { SloMonitor } from "@beamlet/beamlet/slo";
import type { ChildInfo } from "@beamlet/beamlet/supervisor";
import { Task } from "@beamlet/beamlet/task";
import { Telemetry } from "@beamlet/beamlet/telemetry";
import type { MessageTracer } from "@beamlet/beamlet/tracing";
import type { RemoteResolver } from "@beamlet/beamlet/remote";
import { createTestSystem } from "@beamlet/beamlet/testing";
import { openTelemetryTracer } from "@beamlet/beamlet/otel";
import { createTelemetryApp } from "@beamlet/beamlet/hono";
import { serveRequest } from "@beamlet/beamlet/edge";
import { ANY, persistentTerm, Table, type TableInfo } from "@beamlet/beamlet/tables";
import { Batcher } from "@beamlet/beamlet/batcher";
import { defineStage, type Subscription } from "@beamlet/beamlet/stages";
import { MemoryProducer, Pipeline, type PipelineMessage } from "@beamlet/beamlet/pipeline";
import { grafanaDashboard, prometheusRules, type RuleFile, rulesYaml } from "@beamlet/beamlet/ops";
import { Hono } from "hono";

type Request = { readonly op: "get" } | { readonly op: "add"; readonly by: number };

const counter: GenServer<number, number, Request, number, "reset"> = {
  init: (start) => ok(start),
  handleCall: (request, _from, n) => {
    const next = request.op === "add" ? n + request.by : n;
    return reply(next, next);
  },
  handleCast: (_reset, _n) => noreply(0),
};

const quiet: Logger = { report: () => {} };
const system = new System({ logger: quiet });
const pid: Pid<Request, number, "reset"> = await system.start(counter, 1);
const total: number = await system.call(pid, { op: "add", by: 2 });
// @ts-expect-error: a Pid knows the requests its server takes
await system.call(pid, { op: "subtract" });
system.cast(pid, "reset");

const named = defineName<typeof counter>("counter");
const children: ChildSpec[] = [{
  id: "counter",
  start: { server: counter, arg: 0, options: { name: named } },
}];
const sup: Pid = await Supervisor.start(system, children, { strategy: "one_for_one" });
const info: ChildInfo[] = await Supervisor.whichChildren(system, sup);
const viaName: number = await system.call(named, { op: "get" }, { timeout: 1000 }).catch(
  (error: unknown) => {
    if (error instanceof CallTimeoutError) return -1;
    throw error;
  },
);

const shutdown = new AbortController();
const app = new Hono();
app.route(
  "/beamlet",
  createTelemetryApp(system, { auth: { token: "a-long-random-secret" }, signal: shutdown.signal }),
);
const health: Response = await app.request("/beamlet/health");

const processes: ProcessInfo[] = [];
const tracer: MessageTracer = openTelemetryTracer();
const resolver: RemoteResolver | undefined = undefined;
const task = Task.async(system, () => 42);
const unused = [
  core,
  procCount,
  beamletMetrics,
  Metrics,
  SystemObserver,
  new HashRing(),
  Registry,
  SloMonitor,
  Telemetry,
  createTestSystem,
  task,
  processes,
  tracer,
  resolver,
];
console.log(total, info.length, viaName, health.status, unused.length);
shutdown.abort();
await system.stopAll();

// Tables: rows typed as tuples, keys inferred from them.
export function tables(system: System, owner: Pid): TableInfo {
  const users = new Table<[string, number, string]>(system, { owner, type: "ordered_set" });
  users.insert(["ada", 36, "Lyon"]);
  const age: number | undefined = users.get("ada")?.[1];
  const lyon: readonly (readonly [string, number, string])[] = users.match([ANY, ANY, "Lyon"]);
  persistentTerm.put("consumer:age", age ?? lyon.length);
  const stored: number = persistentTerm.get<number>("consumer:age");
  users.updateCounter("ada", stored);
  return users.info();
}

export const edge: typeof serveRequest = serveRequest;

// Flow control: stages, a pipeline and a batcher, types inferred (JetStream: jetstream/).
export async function flow(system: System): Promise<number> {
  const numbers = defineStage<number, number, number>({
    type: "producer",
    init: (start) => ({ state: start }),
    handleDemand: (demand, next) => ({
      events: Array.from({ length: demand }, (_, i) => next + i),
      state: next + demand,
    }),
  });
  const producer: Pid = await system.start(numbers, 0);
  const seen: number[] = [];
  const printer = defineStage<null, never, number, Pid>({
    type: "consumer",
    init: (to) => ({ state: null, subscribeTo: [{ to, maxDemand: 10 }] }),
    handleEvents: (events, _from: Subscription, state) => {
      seen.push(...events);
      return { state };
    },
  });
  await system.start(printer, producer);
  const writes = await Batcher.start(system, {
    maxItems: 10,
    interval: 50,
    flush: (rows: { id: number }[]) => void console.log(rows.length),
  });
  const accepted: boolean = writes.add({ id: 1 });
  const source = new MemoryProducer<{ customer: string }>();
  const orders = await Pipeline.start(system, {
    name: "orders",
    producer: { stage: source.stage() },
    processors: { default: { concurrency: 2 } },
    partitionBy: (m: PipelineMessage<{ customer: string }>) => m.data.customer,
    handleMessage: (_processor, m) => m,
  });
  source.push({ customer: "ada" });
  await orders.stop();
  return seen.length + Number(accepted);
}

// Observability v2: state inspection with formatStatus, rules and a Grafana dashboard.
export async function observability(system: System): Promise<string> {
  const vault: Pid = await system.start({
    init: () => ok({ user: "ada", password: "hunter2" }),
    formatStatus: (state: { user: string; password: string }) => ({ user: state.user }),
  });
  const preview: StatePreview = formatState(system, vault);
  const rules: RuleFile = prometheusRules({ metrics: [] });
  const panels: number = grafanaDashboard().panels.length;
  return `${preview.text} ${rulesYaml(rules).length} ${panels}`;
}
