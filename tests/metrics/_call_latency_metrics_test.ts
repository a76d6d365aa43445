/**
 * The call latency metrics of beamletMetrics: queued, handling and round
 * trip, three distributions by server name, fed by `beamlet.call.latency`
 * and exposed to Prometheus as `beamlet_call_latency_*_seconds` histograms.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { callLatencyMetrics } from "../../src/metrics/_call_latency_metrics.ts";
import { beamletMetrics } from "../../src/metrics/beamlet_metrics.ts";
import { Metrics } from "../../src/metrics/mod.ts";
import { prometheusText } from "../../src/metrics/reporters/prometheus.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { ok, reply } from "../../src/gen_server.ts";
import { PROMTOOL_UNAVAILABLE, promtoolCheck } from "./reporters/_promtool.ts";

const NAMES = [
  "beamlet.call.latency.queued",
  "beamlet.call.latency.handling",
  "beamlet.call.latency.round_trip",
];

describe("call latency metrics", () => {
  it("are three millisecond distributions by name, in beamletMetrics", () => {
    const definitions = callLatencyMetrics();
    assert.deepEqual(definitions.map((d) => d.name), NAMES);
    for (const d of definitions) {
      assert.equal(d.type, "distribution");
      assert.equal(d.unit, "millisecond");
      assert.deepEqual(d.tags, ["name"]);
      assert.ok((d.description ?? "").length > 20, d.name);
    }
    const all = beamletMetrics().map((d) => d.name);
    for (const name of NAMES) assert.ok(all.includes(name), name);
  });

  it("record a call's three times, by server name, as Prometheus histograms", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, beamletMetrics());
    const pid = await t.start(
      {
        init: () => ok(0),
        handleCall: (ms: number, _from, n: number) => {
          t.clock.advance(ms);
          return reply(ms, n);
        },
      },
      undefined,
      { name: "slow" },
    );
    const first = t.system.call(pid, 2);
    const second = t.system.call(pid, 2);
    await t.runUntilIdle();
    await Promise.all([first, second]);
    const series = (name: string) => {
      const metric = metrics.snapshot().find((m) => m.name === name);
      assert.ok(metric, name);
      assert.equal(metric.series.length, 1);
      assert.deepEqual(metric.series[0].tags, { name: "slow" });
      return metric.series[0] as unknown as { count: number; sum: number };
    };
    assert.deepEqual([series(NAMES[0]).count, series(NAMES[0]).sum], [2, 2]); // 0 + 2
    assert.deepEqual([series(NAMES[1]).count, series(NAMES[1]).sum], [2, 4]); // 2 + 2
    assert.deepEqual([series(NAMES[2]).count, series(NAMES[2]).sum], [2, 6]); // 2 + 4

    const text = prometheusText(metrics);
    for (
      const family of [
        "beamlet_call_latency_queued_seconds",
        "beamlet_call_latency_handling_seconds",
        "beamlet_call_latency_round_trip_seconds",
      ]
    ) {
      assert.match(text, new RegExp(`^# TYPE ${family} histogram$`, "m"), family);
      assert.match(text, new RegExp(`^${family}_count\\{name="slow"\\} 2$`, "m"), family);
      assert.match(text, new RegExp(`^${family}_bucket\\{name="slow",le="\\+Inf"\\} 2$`, "m"));
    }
    assert.match(text, /^beamlet_call_latency_round_trip_seconds_sum\{name="slow"\} 0\.006$/m);
    if (PROMTOOL_UNAVAILABLE === undefined) {
      const { status, output } = promtoolCheck(text);
      assert.equal(status, 0, output);
    }
    metrics.detach();
    t.dispose();
  });
});
