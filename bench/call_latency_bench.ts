/**
 * What `beamlet.call.latency` costs: call round-trip (sequential awaited
 * calls from outside to an idle server) and cast throughput (as in
 * gen_server_bench.ts) on systems that differ only in what listens to it,
 * in the same run, in alternating rounds:
 *
 * - nothing attached (twice: the spread between the twins shows the noise);
 * - a no-op handler (the kernel's cost: three clock readings and one
 *   dispatch per call);
 * - the observer's split latency (`SystemObserver`: three histograms and
 *   the per-server summaries);
 * - `beamletMetrics()` without and with its three `beamlet.call.latency.*`
 *   distributions (what the telemetry app's `/metrics` attaches).
 *
 * Run: `deno run bench/call_latency_bench.ts`, `bun bench/call_latency_bench.ts`,
 * `node npm/bench/call_latency_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { noreply, ok, reply, System } from "../mod.ts";
import { CALL_LATENCY } from "../src/telemetry/catalog/call_latency_events.ts";
import { CallLatency } from "../src/observe/_call_latency.ts";
import { beamletMetrics, Metrics } from "../src/metrics/mod.ts";
import { type AsyncBenchCase, measureAsync, table } from "./_harness.ts";

const MODES = {
  none: "nothing attached",
  twin: "nothing attached (twin)",
  noop: "a no-op handler",
  observer: "SystemObserver's split latency",
  metricsWithout: "beamletMetrics() without call.latency.*",
  metrics: "beamletMetrics()",
} as const;
type Mode = keyof typeof MODES;

const add = (n: number, sum: number) => sum + n;

async function setUp(mode: Mode) {
  const system = new System({ logger: null });
  const telemetry = system.telemetry;
  if (mode === "noop") telemetry.attach("noop", CALL_LATENCY, () => {});
  if (mode === "observer") new CallLatency(telemetry, () => system.now());
  if (mode === "metrics") new Metrics(telemetry, beamletMetrics());
  if (mode === "metricsWithout") {
    const definitions = beamletMetrics().filter((d) => !d.name.startsWith("beamlet.call.latency"));
    new Metrics(telemetry, definitions);
  }
  const echo = await system.start({
    init: () => ok(0),
    handleCall: (request: number, _from, state: number) => reply(request + 1, state),
  });
  const summer = await system.start({
    init: () => ok(0),
    handleCast: (n: number, sum: number) => noreply(add(n, sum)),
    handleCall: (_request: "sum", _from, sum: number) => reply(sum, sum),
  });
  return { system, echo, summer };
}

const modes = Object.keys(MODES) as Mode[];
const systems = await Promise.all(modes.map(setUp));
const calls: AsyncBenchCase[] = modes.map((mode, i) => ({
  name: `call, ${MODES[mode]}`,
  async run(ops) {
    const { system, echo } = systems[i];
    let sum = 0;
    for (let k = 0; k < ops; k++) sum += await system.call<number>(echo, k);
    return sum;
  },
}));
const casts: AsyncBenchCase[] = modes.map((mode, i) => ({
  name: `cast, ${MODES[mode]}`,
  async run(ops) {
    const { system, summer } = systems[i];
    for (let k = 0; k < ops; k++) system.cast(summer, k & 7);
    return await system.call<number>(summer, "sum");
  },
}));
const options = { samples: 15 };
console.log(table("Call round-trip (calls)", await measureAsync(calls, options), calls[0].name));
console.log("");
console.log(table("Cast throughput (messages)", await measureAsync(casts, options), casts[0].name));
for (const { system } of systems) await system.shutdown();
