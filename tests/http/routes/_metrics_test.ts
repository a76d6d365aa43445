/**
 * /metrics: Prometheus text (parsed by parse-prometheus-text-format) with
 * the default beamlet series after some calls, or the metrics given.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
// @ts-ignore: the package publishes no types (tsc's noImplicitAny refuses it; Deno allows it)
import parse from "parse-prometheus-text-format";
import { counter, Metrics, PROMETHEUS_CONTENT_TYPE } from "../../../src/metrics/mod.ts";
import { System } from "../../../src/system.ts";
import { echo, fixture } from "../_fixtures.ts";

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; count?: string }[];
}

describe("GET /metrics", () => {
  it("exposes the default beamlet metrics as Prometheus text", async () => {
    const f = fixture();
    try {
      const pid = (await f.system.start(echo, undefined, { name: 'say "hi"\n' }))!;
      for (let i = 0; i < 5; i++) await f.system.call(pid, i);
      f.system.cast(pid, 1);
      await f.system.runUntilIdle();
      const response = await f.get("/metrics");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), PROMETHEUS_CONTENT_TYPE);
      const text = await response.text();
      const families = parse(text) as Family[];
      const byName = new Map(families.map((family) => [family.name, family]));
      const calls = byName.get("beamlet_call_stop_duration_seconds");
      assert.ok(calls, [...byName.keys()].join(", "));
      assert.equal(calls.type, "HISTOGRAM");
      // The parser groups only unlabeled histograms: read the labeled samples as untyped lines.
      const untyped = text.split("\n").filter((line) => !line.startsWith("#")).join("\n");
      const count = (parse(untyped) as Family[]).find((family) =>
        family.name === "beamlet_call_stop_duration_seconds_count"
      );
      assert.deepEqual(count?.metrics, [{ value: "5", labels: { name: 'say "hi"\n' } }]);
      assert.ok(byName.has("beamlet_call_stop_queue_time_seconds"));
      assert.ok(byName.has("beamlet_cast_stop_duration_seconds"));
      const starts = byName.get("beamlet_process_start_count_total");
      assert.equal(starts?.type, "COUNTER");
      assert.equal(starts?.metrics[0].value, "1");
    } finally {
      f.close();
    }
  });

  it("exposes the metrics given instead, and leaves them attached on abort", async () => {
    const system = new System({ logger: null });
    const metrics = new Metrics(system, [counter("app.job.stop.count")]);
    const f = fixture({ metrics }, system);
    try {
      system.telemetry.execute(["app", "job", "stop"], { duration: 1 }, {});
      const families = parse(await (await f.get("/metrics")).text()) as Family[];
      assert.ok(families.some((family) => family.name === "app_job_stop_count_total"));
      assert.ok(!families.some((family) => family.name.startsWith("beamlet_call")));
      f.controller.abort();
      assert.equal(metrics.detach(), true); // still attached: the app did not own it
    } finally {
      f.close();
    }
  });
});
