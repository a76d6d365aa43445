import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { System } from "../../src/system.ts";
import {
  DuplicateSloError,
  InvalidSloError,
  type SloDeclaration,
  SloMonitor,
} from "../../src/slo/mod.ts";

const latency = {
  name: "p95",
  kind: "latency",
  event: ["beamlet", "call", "stop"],
  quantile: 0.95,
  threshold: 5,
  window: 300_000,
} as const;
const mailbox = {
  name: "queue",
  kind: "mailbox_age",
  target: "cache",
  threshold: 1000,
  window: 60_000,
} as const;
const errorRate = {
  name: "errors",
  kind: "error_rate",
  prefix: ["beamlet", "call"],
  objective: 0.999,
  window: 60_000,
} as const;

function refuse(
  slo: Record<string, unknown>,
  expected: { slo: string | undefined; field: string },
): void {
  const system = new System({ scheduling: "manual" });
  const before = system.tableSizes().timers;
  assert.throws(
    () => new SloMonitor(system, { slos: [slo as unknown as SloDeclaration] }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidSloError, String(error));
      assert.equal(error.name, "InvalidSloError");
      assert.equal(error.slo, expected.slo);
      assert.equal(error.field, expected.field);
      assert.match(
        error.message,
        new RegExp(`${expected.field.replace(/[[\]]/g, "\\$&")} must be`),
      );
      return true;
    },
  );
  // A refused monitor leaves nothing behind.
  assert.equal(system.telemetry.listHandlers().length, 0);
  assert.equal(system.tableSizes().timers, before);
}

describe("SLO declarations are checked at construction", () => {
  it("accepts the three kinds", () => {
    const system = new System({ scheduling: "manual" });
    const monitor = new SloMonitor(system, { slos: [latency, mailbox, errorRate] });
    assert.deepEqual(monitor.status().map((s) => s.kind), ["latency", "mailbox_age", "error_rate"]);
    monitor.stop();
  });

  it("refuses quantiles and objectives outside (0, 1)", () => {
    for (const quantile of [0, 1, 95, -0.5, NaN, "0.95"]) {
      refuse({ ...latency, quantile }, { slo: "p95", field: "quantile" });
    }
    for (const objective of [0, 1, 99]) {
      refuse({ ...mailbox, objective }, { slo: "queue", field: "objective" });
      refuse({ ...errorRate, objective }, { slo: "errors", field: "objective" });
    }
    refuse({ ...errorRate, objective: undefined }, { slo: "errors", field: "objective" });
  });

  it("refuses thresholds and windows that are not finite numbers > 0", () => {
    for (const bad of [0, -1, Infinity, NaN, "5", undefined]) {
      refuse({ ...latency, threshold: bad }, { slo: "p95", field: "threshold" });
      refuse({ ...mailbox, threshold: bad }, { slo: "queue", field: "threshold" });
      refuse({ ...latency, window: bad }, { slo: "p95", field: "window" });
    }
  });

  it("refuses malformed events, prefixes, measurements, targets and filters", () => {
    for (const event of [[], "beamlet.call.stop", ["beamlet", ""], ["beamlet", 3], undefined]) {
      refuse({ ...latency, event }, { slo: "p95", field: "event" });
      refuse({ ...errorRate, prefix: event }, { slo: "errors", field: "prefix" });
    }
    refuse({ ...latency, measurement: "" }, { slo: "p95", field: "measurement" });
    refuse({ ...latency, filter: { name: 3 } }, { slo: "p95", field: "filter" });
    refuse({ ...latency, filter: "cache" }, { slo: "p95", field: "filter" });
    for (const target of ["", 42, null, undefined, {}]) {
      refuse({ ...mailbox, target }, { slo: "queue", field: "target" });
    }
  });

  it("refuses bad names, kinds, buckets, short windows, burn rates and minSamples", () => {
    refuse({ ...latency, name: "" }, { slo: undefined, field: "slos[0].name" });
    refuse({ ...latency, name: 7 }, { slo: undefined, field: "slos[0].name" });
    refuse({ ...latency, kind: "throughput" }, { slo: "p95", field: "kind" });
    for (const buckets of [1, 2.5, 101]) {
      refuse({ ...latency, buckets }, { slo: "p95", field: "buckets" });
    }
    for (const shortWindow of [0, 300_000, 400_000, 1000]) {
      // 1000 ms is under one 30 s sub-window.
      refuse({ ...latency, shortWindow }, { slo: "p95", field: "shortWindow" });
    }
    refuse({ ...latency, burnRateThreshold: 0 }, { slo: "p95", field: "burnRateThreshold" });
    refuse({ ...latency, minSamples: 0 }, { slo: "p95", field: "minSamples" });
    refuse({ ...latency, minSamples: 1.5 }, { slo: "p95", field: "minSamples" });
  });

  it("refuses a declaration that is not an object, and slos that are not an array", () => {
    const system = new System({ scheduling: "manual" });
    assert.throws(
      () => new SloMonitor(system, { slos: [null as unknown as SloDeclaration] }),
      (error: unknown) => error instanceof InvalidSloError && error.field === "slos[0]",
    );
    assert.throws(
      () => new SloMonitor(system, { slos: "p95" as unknown as SloDeclaration[] }),
      (error: unknown) => error instanceof InvalidSloError && error.field === "slos",
    );
  });

  it("refuses duplicate names", () => {
    const system = new System({ scheduling: "manual" });
    assert.throws(
      () => new SloMonitor(system, { slos: [latency, { ...mailbox, name: "p95" }] }),
      (error: unknown) => {
        assert.ok(error instanceof DuplicateSloError);
        assert.equal(error.name, "DuplicateSloError");
        assert.equal(error.slo, "p95");
        return true;
      },
    );
    assert.equal(system.telemetry.listHandlers().length, 0);
  });

  it("refuses bad monitor options and a missing system", () => {
    const system = new System({ scheduling: "manual" });
    for (const evaluationInterval of [0, -5, Infinity, NaN]) {
      assert.throws(
        () => new SloMonitor(system, { slos: [], evaluationInterval }),
        (error: unknown) =>
          error instanceof InvalidSloError && error.field === "evaluationInterval" &&
          error.slo === undefined,
      );
    }
    for (const historySize of [0, 1.5]) {
      assert.throws(
        () => new SloMonitor(system, { slos: [], historySize }),
        (error: unknown) => error instanceof InvalidSloError && error.field === "historySize",
      );
    }
    assert.throws(
      () => new SloMonitor(undefined as unknown as System, { slos: [] }),
      TypeError,
    );
  });
});
