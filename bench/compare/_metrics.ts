/**
 * Workload 10, metrics attached: cast throughput (casts from outside to one
 * server whose handleCast adds to its state, then one call to read it) with a
 * `Metrics` reporter on every callback event — a counter of every
 * `beamlet.<kind>.start`, a counter and a millisecond distribution of every
 * `beamlet.<kind>.stop` (as bench/telemetry_bench.ts attaches them) — against
 * the same system with nothing attached. Runs last: the instrumented path
 * would otherwise share the JIT's type feedback with the other workloads.
 *
 * @module
 */

import { noreply, ok, reply, System } from "../../mod.ts";
import { counter, distribution, Metrics } from "../../metrics.ts";
import { CALLBACK_KINDS } from "../../telemetry.ts";
import { measureAsync } from "../_harness.ts";
import { type Row, type Settings, statOf } from "./_row.ts";

const everyCallback = CALLBACK_KINDS.flatMap((kind) => [
  counter(`beamlet.${kind}.start.count`, { description: `${kind} callbacks begun` }),
  counter(`beamlet.${kind}.stop.count`, { tags: ["kind"] }),
  distribution(`beamlet.${kind}.stop.duration`, { unit: "millisecond", tags: ["kind"] }),
]);

async function castRun(attach: boolean) {
  const system = new System({ logger: null });
  if (attach) new Metrics(system, everyCallback);
  const pid = await system.start({
    init: () => ok(0),
    handleCast: (n: number, sum: number) => noreply(sum + n),
    handleCall: (_request: "sum", _from: unknown, sum: number) => reply(sum, sum),
  });
  return async (ops: number) => {
    for (let i = 0; i < ops; i++) system.cast(pid, i & 7);
    return await system.call<number>(pid, "sum");
  };
}

/** Cast throughput with metrics on every callback event, against nothing attached. */
export async function metricsRow(s: Settings): Promise<Row> {
  const [off, on] = await measureAsync([
    { name: "nothing attached", run: await castRun(false) },
    { name: "Metrics on every callback event", run: await castRun(true) },
  ], s);
  return {
    id: "metrics",
    workload: "cast with Metrics on every callback event",
    unit: "ops/s",
    beamlet: statOf(on),
    baseline: statOf(off),
    baselineName: "beamlet with nothing attached",
  };
}
