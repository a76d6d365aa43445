/** healthStatus: "degraded" while an SLO is breached, "ok" otherwise or without SLOs. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { healthStatus } from "../../src/observe/health_status.ts";
import { SloMonitor } from "../../src/slo/slo_monitor.ts";
import { System } from "../../src/system.ts";

describe("healthStatus", () => {
  it("says degraded while an SLO is breached, ok otherwise", () => {
    const system = new System({ logger: null });
    const monitor = new SloMonitor(system, {
      slos: [{
        name: "p50",
        kind: "latency",
        event: ["app", "job", "stop"],
        quantile: 0.5,
        threshold: 10,
        window: 60_000,
        minSamples: 1,
      }],
    });
    try {
      assert.equal(healthStatus(undefined), "ok");
      assert.equal(healthStatus(monitor), "ok");
      for (let i = 0; i < 10; i++) {
        system.telemetry.execute(["app", "job", "stop"], { duration: 500 }, {});
      }
      monitor.evaluate();
      assert.equal(healthStatus(monitor), "degraded");
    } finally {
      monitor.stop();
      system.shutdown();
    }
  });
});
