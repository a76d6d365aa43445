import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noreply, ok } from "../../src/gen_server.ts";
import { counter, lastValue, Metrics, sum } from "../../src/metrics/mod.ts";
import type { ScalarSeries } from "../../src/metrics/snapshot.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";

/** A server whose casts take `ms` of virtual time. */
function server(advance: (ms: number) => void) {
  return {
    init: () => ok(0),
    handleCast: (ms: number, n: number) => {
      advance(ms);
      return noreply(n + 1);
    },
  };
}

function series(metrics: Metrics, name: string): ScalarSeries[] {
  return metrics.snapshot().find((m) => m.name === name)!.series as ScalarSeries[];
}

describe("Metrics fed callback events in batches", () => {
  it("sums and keeps the last duration in the metric's unit", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, [
      sum("beamlet.cast.stop.duration", { unit: { from: "millisecond", to: "microsecond" } }),
      lastValue("cast.last.duration", {
        event: ["beamlet", "cast", "stop"],
        unit: "millisecond",
      }),
    ]);
    const pid = await t.start(server((ms) => t.clock.set(t.clock.now() + ms)));
    for (let i = 0; i < 40; i++) t.system.cast(pid, i < 20 ? 0 : 2);
    await t.runUntilIdle();
    assert.deepEqual(series(metrics, "beamlet.cast.stop.duration"), [{ tags: {}, value: 40_000 }]);
    assert.deepEqual(series(metrics, "cast.last.duration"), [{ tags: {}, value: 2 }]);
  });

  it("counts every callback folded into the overflow series", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, [
      counter("beamlet.cast.stop.count", { tags: ["name"], maxSeries: 1 }),
    ]);
    const first = await t.start(server(() => {}), undefined, { name: "first" });
    const second = await t.start(server(() => {}), undefined, { name: "second" });
    for (let i = 0; i < 10; i++) t.system.cast(first, 0);
    await t.runUntilIdle();
    for (let i = 0; i < 10; i++) t.system.cast(second, 0);
    await t.runUntilIdle();
    assert.deepEqual(series(metrics, "beamlet.cast.stop.count"), [
      { tags: { name: "first" }, value: 10 },
      { tags: { name: "__other__" }, value: 10 },
    ]);
    assert.equal(metrics.stats().overflowed, 10);
  });

  it("skips every callback of a batch whose tagValues throws, and counts them", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, [
      counter("beamlet.cast.stop.count", {
        tags: ["shard"],
        tagValues: () => {
          throw new Error("no shard");
        },
      }),
    ]);
    const pid = await t.start(server(() => {}));
    for (let i = 0; i < 25; i++) t.system.cast(pid, 0);
    await t.runUntilIdle();
    assert.deepEqual(series(metrics, "beamlet.cast.stop.count"), []);
    assert.equal(metrics.stats().skipped, 25);
    assert.equal(metrics.stats().failedCallbacks, 25);
  });

  it("calls keepIf once per callback: such a definition gets each event", async () => {
    const t = createTestSystem();
    let calls = 0;
    const metrics = new Metrics(t.system, [
      counter("beamlet.cast.stop.count", {
        keepIf: () => {
          calls++;
          return calls % 2 === 0;
        },
      }),
    ]);
    const pid = await t.start(server(() => {}));
    for (let i = 0; i < 30; i++) t.system.cast(pid, 0);
    await t.runUntilIdle();
    assert.equal(calls, 30);
    assert.deepEqual(series(metrics, "beamlet.cast.stop.count"), [{ tags: {}, value: 15 }]);
  });

  it("delivers nothing more once detached", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, [counter("beamlet.cast.stop.count")]);
    const pid = await t.start(server(() => {}));
    for (let i = 0; i < 5; i++) t.system.cast(pid, 0);
    await t.runUntilIdle();
    assert.deepEqual(series(metrics, "beamlet.cast.stop.count"), [{ tags: {}, value: 5 }]);
    metrics.detach();
    for (let i = 0; i < 5; i++) t.system.cast(pid, 0);
    await t.runUntilIdle();
    assert.deepEqual(series(metrics, "beamlet.cast.stop.count"), []);
    assert.equal(t.system.telemetry.listHandlers(["beamlet"]).length, 0);
  });
});
