/**
 * What observability costs on the hot path: cast throughput (casts to one
 * server whose handleCast adds to its state, then one call to read it, as in
 * gen_server_bench.ts) with
 *
 * - the kernel from before the runtime had built-in events (commit
 *   `BASE_COMMIT`, extracted with `git archive` into `.bench/`): telemetry
 *   off, the baseline. Deno and Bun only (they run its TypeScript); where it
 *   cannot be loaded, "nothing attached" is the baseline;
 * - nothing attached: every probe is one boolean check;
 * - a `Metrics` reporter on every callback event: a counter of every
 *   `beamlet.<kind>.start`, and a counter and a millisecond distribution
 *   (log-linear histogram in the WASM core) of every `beamlet.<kind>.stop`,
 *   tagged by kind (only `Metrics` listens, so the kernel feeds it in
 *   batches: exact counts, amortised durations; `docs/callback_metrics.md`);
 * - tracing through a no-op `MessageTracer` (the kernel's own cost);
 * - tracing through OpenTelemetry: the real SDK, every message sampled,
 *   spans ended into a processor that drops them.
 *
 * Run: `deno run -A bench/telemetry_bench.ts`, `bun bench/telemetry_bench.ts`,
 * `node npm/bench/telemetry_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BasicTracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { CALLBACK_KINDS } from "../telemetry.ts";
import { counter, distribution, Metrics } from "../metrics.ts";
import type { MessageTracer } from "../tracing.ts";
import { noreply, ok, reply, System, type SystemOptions } from "../mod.ts";
import { openTelemetryTracer } from "../otel.ts";
import { type AsyncBenchCase, measureAsync, table } from "./_harness.ts";

/** The last commit before the built-in events went into the kernel. */
const BASE_COMMIT = "ea8c949";

const add = (n: number, sum: number) => sum + n;

type SystemClass = new (options?: SystemOptions) => System;

/** A cast-throughput case on a fresh system of `SystemClass`. */
async function castCase(
  name: string,
  Sys: SystemClass,
  options: SystemOptions,
  setup: (system: System) => void = () => {},
): Promise<AsyncBenchCase> {
  const system = new Sys({ logger: null, ...options });
  setup(system);
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

/** The pre-instrumentation kernel's System, or undefined where it cannot be loaded. */
async function baselineSystem(): Promise<SystemClass | undefined> {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const dir = `${root}.bench/base-${BASE_COMMIT}/`;
  try {
    if (!existsSync(`${dir}mod.ts`)) {
      execFileSync("sh", [
        "-c",
        `mkdir -p "${dir}" && git -C "${root}" archive ${BASE_COMMIT} mod.ts src wasm | tar -x -C "${dir}"`,
      ], { stdio: "ignore" });
    }
    const mod = await import(`${dir}mod.ts`) as { System: SystemClass };
    return mod.System;
  } catch {
    return undefined; // Node (cannot run .ts), or no git checkout
  }
}

const noopTracer: MessageTracer = {
  send: () => 1,
  callEnd: () => {},
  handleStart: () => 1,
  run: (_scope, fn, ...args) => fn(...args),
  handleEnd: () => {},
};

const dropSpans: SpanProcessor = {
  onStart: () => {},
  onEnd: () => {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const everyCallback = CALLBACK_KINDS.flatMap((kind) => [
  counter(`beamlet.${kind}.start.count`, { description: `${kind} callbacks begun` }),
  counter(`beamlet.${kind}.stop.count`, { tags: ["kind"] }),
  distribution(`beamlet.${kind}.stop.duration`, { unit: "millisecond", tags: ["kind"] }),
]);

const Base = await baselineSystem();
const offName = `telemetry off (kernel ${BASE_COMMIT})`;

// Table 1 runs before any instrumented system exists: the instrumented
// paths (timed callbacks, tracing) would otherwise share the JIT's type
// feedback with the plain path and slow it down for reasons unrelated to
// the probes' own cost.
if (Base) {
  console.log(
    table(
      "Telemetry with nothing attached: casts to one GenServer",
      // Two systems of each, interleaved: the spread between twins shows the noise.
      await measureAsync([
        await castCase(offName, Base, {}),
        await castCase("nothing attached", System, {}),
        await castCase(`${offName}, twin`, Base, {}),
        await castCase("nothing attached, twin", System, {}),
      ], { samples: 15 }),
      offName,
    ),
  );
  console.log("");
}

const cases: AsyncBenchCase[] = [];
if (Base) cases.push(await castCase(offName, Base, {}));
cases.push(await castCase("nothing attached", System, {}));
cases.push(
  await castCase("Metrics on every callback event", System, {}, (system) => {
    new Metrics(system, everyCallback);
  }),
);
cases.push(await castCase("tracing: no-op MessageTracer", System, { tracer: noopTracer }));
const provider = new BasicTracerProvider({ spanProcessors: [dropSpans] });
cases.push(
  await castCase("tracing: OpenTelemetry SDK, all sampled", System, {
    tracer: openTelemetryTracer({ tracerProvider: provider }),
  }),
);

console.log(
  table(
    "Telemetry attached: casts to one GenServer",
    await measureAsync(cases),
    Base ? offName : "nothing attached",
  ),
);
console.log("");
