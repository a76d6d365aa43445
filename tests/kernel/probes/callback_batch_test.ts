import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noreply, ok, reply } from "../../../src/gen_server.ts";
import { BEAMLET_EVENTS, CALLBACK_KINDS } from "../../../src/telemetry/beamlet_events.ts";
import { counter, distribution, Metrics, summary } from "../../../src/metrics/mod.ts";
import type { HistogramSeries, ScalarSeries } from "../../../src/metrics/snapshot.ts";
import { createTestSystem } from "../../../src/testing/test_system.ts";

type Msg = { slow: number } | "ok" | "crash";

/** Counters of every callback event and a duration distribution of every stop, by kind. */
const EVERY_CALLBACK = CALLBACK_KINDS.flatMap((kind) => [
  counter(`beamlet.${kind}.start.count`),
  counter(`beamlet.${kind}.stop.count`, { tags: ["kind"] }),
  distribution(`beamlet.${kind}.stop.duration`, { unit: "millisecond", tags: ["kind"] }),
]);

/** A server whose handlers take virtual time by advancing the test clock. */
function server(advance: (ms: number) => void) {
  return {
    init: () => ok(0),
    handleCall: (msg: Msg, _from: unknown, n: number) => {
      if (msg === "crash") throw new Error("boom");
      if (typeof msg === "object") advance(msg.slow);
      return reply(n, n + 1);
    },
    handleCast: (msg: Msg, n: number) => {
      if (typeof msg === "object") advance(msg.slow);
      return noreply(n + 1);
    },
    handleInfo: (_msg: unknown, n: number) => noreply(n),
  };
}

function value(metrics: Metrics, name: string): number {
  const metric = metrics.snapshot().find((m) => m.name === name)!;
  return (metric.series as ScalarSeries[]).reduce((sum, s) => sum + s.value, 0);
}

function histogram(metrics: Metrics, name: string): HistogramSeries {
  const metric = metrics.snapshot().find((m) => m.name === name)!;
  assert.equal(metric.series.length, 1);
  return metric.series[0] as HistogramSeries;
}

describe("callback events in batches (only Metrics listening)", () => {
  it("counts every callback exactly, in counters and in the distribution's count", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, EVERY_CALLBACK);
    const pid = await t.start(server(() => {}));
    const other = await t.start(server(() => {}));
    for (let i = 0; i < 1000; i++) {
      t.system.cast(pid, "ok");
      if (i % 7 === 0) t.system.send(pid, "ok");
      if (i % 10 === 0) t.system.cast(other, "ok");
    }
    const answer = t.system.call(pid, "ok");
    await t.runUntilIdle();
    assert.equal(await answer, 1000);
    assert.equal(value(metrics, "beamlet.cast.start.count"), 1100);
    assert.equal(value(metrics, "beamlet.cast.stop.count"), 1100);
    assert.equal(histogram(metrics, "beamlet.cast.stop.duration").count, 1100);
    assert.equal(value(metrics, "beamlet.info.start.count"), 143);
    assert.equal(value(metrics, "beamlet.info.stop.count"), 143);
    assert.equal(value(metrics, "beamlet.call.start.count"), 1);
    assert.equal(histogram(metrics, "beamlet.call.stop.duration").count, 1);
    assert.equal(value(metrics, "beamlet.init.stop.count"), 2);
    assert.deepEqual(
      metrics.snapshot().find((m) => m.name === "beamlet.cast.stop.count")!.series,
      [{ tags: { kind: "cast" }, value: 1100 }],
    );
    assert.equal(metrics.stats().skipped, 0);
  });

  it("measures a slow callback among fast ones, and the durations add up", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, [
      distribution("beamlet.cast.stop.duration", {
        unit: "millisecond",
        reporterOptions: { buckets: [1, 2.5, 10] },
      }),
    ]);
    const pid = await t.start(server((ms) => t.clock.set(t.clock.now() + ms)));
    for (let i = 0; i < 200; i++) t.system.cast(pid, i === 150 ? { slow: 5 } : "ok");
    await t.runUntilIdle();
    for (let i = 0; i < 3; i++) t.system.cast(pid, { slow: 2 });
    await t.runUntilIdle();
    const casts = histogram(metrics, "beamlet.cast.stop.duration");
    assert.equal(casts.count, 203);
    assert.equal(casts.max, 5);
    assert.equal(casts.sum, 11);
    assert.equal(casts.min, 0);
    // The first slow one among fast ones gets its batch's time beyond theirs;
    // from then on each slow one is measured on its own.
    assert.deepEqual(casts.buckets.map((b) => b.count), [199, 202, 203]);
  });

  it("times a callback that returns a Promise until it settles", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, EVERY_CALLBACK);
    const pid = await t.start({
      init: () => ok(0),
      handleCall: async (_m: unknown, _f: unknown, n: number) => {
        await Promise.resolve();
        t.clock.set(t.clock.now() + 25);
        return reply(n, n);
      },
    });
    const answer = t.system.call(pid, "x");
    await t.runUntilIdle();
    assert.equal(await answer, 0);
    assert.equal(value(metrics, "beamlet.call.start.count"), 1);
    const calls = histogram(metrics, "beamlet.call.stop.duration");
    assert.equal(calls.count, 1);
    assert.equal(calls.sum, 25);
  });

  it("counts a callback that throws once, in exception and not in stop", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, [
      ...EVERY_CALLBACK,
      summary("beamlet.call.exception.duration"),
    ]);
    const pid = await t.start(server(() => {}));
    t.system.cast(pid, "ok");
    const answer = t.system.call(pid, "crash");
    await t.runUntilIdle();
    await assert.rejects(answer);
    assert.equal(value(metrics, "beamlet.cast.stop.count"), 1);
    assert.equal(value(metrics, "beamlet.call.start.count"), 1);
    assert.equal(value(metrics, "beamlet.call.stop.count"), 0);
    assert.equal(histogram(metrics, "beamlet.call.exception.duration").count, 1);
  });

  it("a handler attached besides Metrics still receives each event", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, EVERY_CALLBACK);
    const pid = await t.start(server(() => {}));
    for (let i = 0; i < 50; i++) t.system.cast(pid, "ok");
    await t.runUntilIdle();
    const seen: number[] = [];
    t.system.telemetry.attach("each", BEAMLET_EVENTS.callback("cast", "stop"), (_e, m) => {
      seen.push(m.duration);
    });
    for (let i = 0; i < 50; i++) t.system.cast(pid, i === 10 ? { slow: 3 } : "ok");
    await t.runUntilIdle();
    assert.equal(seen.length, 50);
    assert.equal(value(metrics, "beamlet.cast.start.count"), 100);
    assert.equal(value(metrics, "beamlet.cast.stop.count"), 100);
    t.system.telemetry.detach("each");
    for (let i = 0; i < 50; i++) t.system.cast(pid, "ok");
    await t.runUntilIdle();
    assert.equal(seen.length, 50);
    assert.equal(value(metrics, "beamlet.cast.stop.count"), 150);
    assert.equal(histogram(metrics, "beamlet.cast.stop.duration").count, 150);
  });

  it("batches one kind while another is told one by one, each timed on its own", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, EVERY_CALLBACK);
    const pid = await t.start({
      init: () => ok(0),
      handleCast: (ms: number, n: number) => {
        t.clock.set(t.clock.now() + ms);
        return noreply(n + 1);
      },
      handleInfo: (ms: number, n: number) => {
        t.clock.set(t.clock.now() + ms);
        return noreply(n + 1);
      },
    });
    const casts: number[] = [];
    t.system.telemetry.attach("each", BEAMLET_EVENTS.callback("cast", "stop"), (_e, m) => {
      casts.push(m.duration);
    });
    t.system.cast(pid, 3);
    t.system.send(pid, 2);
    t.system.cast(pid, 5);
    t.system.send(pid, 4);
    await t.runUntilIdle();
    assert.deepEqual(casts, [3, 5]);
    assert.equal(value(metrics, "beamlet.cast.stop.count"), 2);
    assert.equal(value(metrics, "beamlet.info.start.count"), 2);
    const infos = histogram(metrics, "beamlet.info.stop.duration");
    assert.equal(infos.count, 2);
    assert.equal(infos.sum, 6);
    assert.equal(infos.max, 4);
  });

  it("tags by the process's name at the time of each callback", async () => {
    const t = createTestSystem();
    const metrics = new Metrics(t.system, [counter("beamlet.cast.stop.count", { tags: ["name"] })]);
    const pid = await t.start(server(() => {}), undefined, { name: "first" });
    for (let i = 0; i < 10; i++) t.system.cast(pid, "ok");
    await t.runUntilIdle();
    const other = await t.start(server(() => {}), undefined, { name: "second" });
    for (let i = 0; i < 5; i++) t.system.cast(other, "ok");
    await t.runUntilIdle();
    const series = metrics.snapshot()[0].series as ScalarSeries[];
    assert.deepEqual(
      series.map((s) => [s.tags.name, s.value]).sort(),
      [["first", 10], ["second", 5]],
    );
  });
});
