/**
 * Metrics.read: one metric by name, its series cut to maxSeries (with the
 * total), histogram quantiles as asked; undefined for an unknown name;
 * RangeError for bad options.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Telemetry } from "../../src/telemetry/telemetry.ts";
import { counter, distribution, lastValue, Metrics } from "../../src/metrics/mod.ts";

describe("Metrics.read", () => {
  it("reads one metric, cut to maxSeries, with the quantiles asked for", () => {
    const telemetry = new Telemetry();
    using metrics = new Metrics(telemetry, [
      counter("app.job.stop.count", { tags: ["queue"] }),
      distribution("app.job.stop.duration", { unit: "millisecond" }),
      lastValue("app.pool.size", { event: ["app", "pool"], measurement: "size" }),
    ]);
    for (const queue of ["a", "b", "c"]) {
      telemetry.execute(["app", "job", "stop"], { duration: 10 }, { queue });
    }
    const all = metrics.read("app.job.stop.count");
    assert.equal(all?.totalSeries, 3);
    assert.deepEqual(all?.series.map((s) => s.tags.queue), ["a", "b", "c"]);
    const cut = metrics.read("app.job.stop.count", { maxSeries: 2 });
    assert.equal(cut?.series.length, 2);
    assert.equal(cut?.totalSeries, 3);
    const durations = metrics.read("app.job.stop.duration", { quantiles: [0.5, 0.95] });
    const [series] = durations!.series;
    assert.ok("quantiles" in series);
    assert.deepEqual(series.quantiles.map((q) => q.quantile), [0.5, 0.95]);
    assert.ok(Math.abs(series.quantiles[1].value - 10) < 0.2);
    assert.equal(metrics.read("app.pool.size")?.series.length, 0); // no value yet
    assert.equal(metrics.read("app.unknown"), undefined);
    assert.throws(() => metrics.read("app.job.stop.count", { maxSeries: -1 }), RangeError);
    assert.throws(() => metrics.read("app.job.stop.count", { quantiles: [2] }), RangeError);
    // snapshot() is unchanged: the definition's quantiles.
    const snapshot = metrics.snapshot()[1].series[0];
    assert.ok("quantiles" in snapshot);
    assert.deepEqual(snapshot.quantiles.map((q) => q.quantile), [0.5, 0.9, 0.99]);
  });
});
