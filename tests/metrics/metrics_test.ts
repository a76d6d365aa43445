import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createHistogramStore } from "../../src/core/create_histogram_store.ts";
import {
  counter,
  distribution,
  DuplicateMetricError,
  HISTOGRAM_RELATIVE_ERROR,
  type HistogramSeries,
  lastValue,
  type MetricDefinition,
  Metrics,
  type MetricSnapshot,
  type ScalarSeries,
  sum,
  summary,
} from "../../src/metrics/mod.ts";
import { Telemetry } from "../../src/telemetry/mod.ts";

const STOP = ["beamlet", "call", "stop"];

function setup(definitions: MetricDefinition[], options = {}) {
  const telemetry = new Telemetry();
  const metrics = new Metrics(telemetry, definitions, options);
  return { telemetry, metrics };
}

function metric(metrics: Metrics, name: string): MetricSnapshot {
  const found = metrics.snapshot().find((m) => m.name === name);
  assert.ok(found, `metric ${name}`);
  return found;
}

function scalars(metrics: Metrics, name: string): ScalarSeries[] {
  return metric(metrics, name).series as ScalarSeries[];
}

function histograms(metrics: Metrics, name: string): HistogramSeries[] {
  return metric(metrics, name).series as HistogramSeries[];
}

function near(actual: number, expected: number): void {
  assert.ok(
    Math.abs(actual - expected) <= Math.abs(expected) * HISTOGRAM_RELATIVE_ERROR + 1e-12,
    `${actual} ≈ ${expected}`,
  );
}

describe("Metrics aggregation by type", () => {
  it("counter counts events (not reading the measurement), starting at zero", () => {
    const { telemetry, metrics } = setup([counter("beamlet.call.stop.count")]);
    assert.deepEqual(scalars(metrics, "beamlet.call.stop.count"), [{ tags: {}, value: 0 }]);
    telemetry.execute(STOP, { duration: 1 });
    telemetry.execute(STOP, {});
    telemetry.execute(["beamlet", "call", "start"], {});
    assert.deepEqual(scalars(metrics, "beamlet.call.stop.count"), [{ tags: {}, value: 2 }]);
    assert.equal(metrics.stats().skipped, 0);
  });

  it("sum adds the measurement; lastValue keeps the latest (none before the first event)", () => {
    const { telemetry, metrics } = setup([
      sum("app.upload.stop.bytes"),
      lastValue("app.upload.stop.queue"),
    ]);
    assert.deepEqual(scalars(metrics, "app.upload.stop.queue"), []);
    telemetry.execute(["app", "upload", "stop"], { bytes: 10, queue: 3 });
    telemetry.execute(["app", "upload", "stop"], { bytes: 2.5, queue: -1 });
    assert.deepEqual(scalars(metrics, "app.upload.stop.bytes"), [{ tags: {}, value: 12.5 }]);
    assert.deepEqual(scalars(metrics, "app.upload.stop.queue"), [{ tags: {}, value: -1 }]);
  });

  it("summary exposes count, sum, min, max and quantiles within the histogram error", () => {
    const { telemetry, metrics } = setup([summary("beamlet.call.stop.duration")]);
    for (let i = 1; i <= 1000; i++) telemetry.execute(STOP, { duration: i });
    const [series] = histograms(metrics, "beamlet.call.stop.duration");
    assert.equal(series.count, 1000);
    assert.equal(series.sum, 500500);
    assert.equal(series.min, 1);
    assert.equal(series.max, 1000);
    assert.deepEqual(series.quantiles.map((q) => q.quantile), [0.5, 0.9, 0.99]);
    near(series.quantiles[0].value, 500);
    near(series.quantiles[1].value, 900);
    near(series.quantiles[2].value, 990);
    assert.deepEqual(series.buckets, []);
  });

  it("distribution exposes cumulative counts at its buckets", () => {
    const { telemetry, metrics } = setup([
      distribution("beamlet.call.stop.duration", {
        reporterOptions: { buckets: [10, 100, 1000], quantiles: [0.5] },
      }),
    ]);
    for (const d of [1, 5, 50, 60, 500, 5000]) telemetry.execute(STOP, { duration: d });
    const [series] = histograms(metrics, "beamlet.call.stop.duration");
    assert.equal(series.count, 6);
    assert.deepEqual(series.buckets, [
      { le: 10, count: 2 },
      { le: 100, count: 4 },
      { le: 1000, count: 5 },
    ]);
    assert.equal(series.quantiles.length, 1);
    near(series.quantiles[0].value, 50);
  });

  it("an untouched summary exposes an empty series (count 0, NaN quantiles)", () => {
    const { metrics } = setup([summary("a.b.c")]);
    const [series] = histograms(metrics, "a.b.c");
    assert.equal(series.count, 0);
    assert.ok(Number.isNaN(series.min));
    assert.ok(series.quantiles.every((q) => Number.isNaN(q.value)));
  });

  it("several metrics on one event share one telemetry handler", () => {
    const { telemetry, metrics } = setup([
      counter("beamlet.call.stop.count"),
      sum("beamlet.call.stop.duration"),
      counter("beamlet.cast.count"),
    ]);
    const handlers = telemetry.listHandlers();
    assert.deepEqual(handlers.map((h) => h.event.join(".")), ["beamlet.call.stop", "beamlet.cast"]);
    assert.ok(handlers.every((h) => h.id === metrics.handlerId));
    assert.equal(typeof metrics.handlerId, "symbol");
    telemetry.execute(STOP, { duration: 4 });
    telemetry.execute(["beamlet", "cast"], {});
    assert.equal(scalars(metrics, "beamlet.call.stop.count")[0].value, 1);
    assert.equal(scalars(metrics, "beamlet.call.stop.duration")[0].value, 4);
    assert.equal(scalars(metrics, "beamlet.cast.count")[0].value, 1);
  });

  it("aggregates span stop events, whose event arrays are built afresh each time", async () => {
    const { telemetry, metrics } = setup([counter("app.job.stop.count", { tags: ["job"] })]);
    telemetry.span(["app", "job"], { job: "a" }, () => 1);
    await telemetry.span(["app", "job"], { job: "a" }, () => Promise.resolve(2));
    assert.deepEqual(scalars(metrics, "app.job.stop.count"), [{ tags: { job: "a" }, value: 2 }]);
  });
});

describe("Metrics tags and filters", () => {
  it("keeps one series per tag combination, in creation order", () => {
    const { telemetry, metrics } = setup([counter("beamlet.call.stop.count", {
      tags: ["server", "kind"],
    })]);
    telemetry.execute(STOP, {}, { server: "a", kind: "call", other: 1 });
    telemetry.execute(STOP, {}, { server: "b", kind: "call" });
    telemetry.execute(STOP, {}, { server: "a", kind: "call" });
    // Length-prefixed keys: ("ab","c") and ("a","bc") are different series.
    telemetry.execute(STOP, {}, { server: "ab", kind: "c" });
    telemetry.execute(STOP, {}, { server: "a", kind: "bc" });
    assert.deepEqual(scalars(metrics, "beamlet.call.stop.count"), [
      { tags: { server: "a", kind: "call" }, value: 2 },
      { tags: { server: "b", kind: "call" }, value: 1 },
      { tags: { server: "ab", kind: "c" }, value: 1 },
      { tags: { server: "a", kind: "bc" }, value: 1 },
    ]);
  });

  it("stringifies primitive tag values (null as empty) and bounds their length", () => {
    const { telemetry, metrics } = setup(
      [counter("e.count", { tags: ["v"] })],
      { maxTagValueLength: 4 },
    );
    for (const v of [7, true, null, 10n, "abcdefgh", "abc\u{1F600}", "ab\u{1F600}cd"]) {
      telemetry.execute(["e"], {}, { v });
    }
    assert.deepEqual(scalars(metrics, "e.count").map((s) => s.tags.v), [
      "7",
      "true",
      "",
      "10",
      "abcd",
      "abc", // the cut would split the surrogate pair of U+1F600: it drops it whole
      "ab\u{1F600}",
    ]);
  });

  it("truncates tag values at 128 characters by default", () => {
    const { telemetry, metrics } = setup([counter("e.count", { tags: ["v"] })]);
    telemetry.execute(["e"], {}, { v: "x".repeat(10_000) });
    telemetry.execute(["e"], {}, { v: "x".repeat(200) });
    assert.deepEqual(scalars(metrics, "e.count"), [{ tags: { v: "x".repeat(128) }, value: 2 }]);
  });

  it("keeps quotes, newlines and backslashes in tag values as they are", () => {
    const { telemetry, metrics } = setup([counter("e.count", { tags: ["v"] })]);
    telemetry.execute(["e"], {}, { v: 'a "b"\n\\c' });
    assert.equal(scalars(metrics, "e.count")[0].tags.v, 'a "b"\n\\c');
  });

  it("reads tags from tagValues(metadata) when given", () => {
    const { telemetry, metrics } = setup([counter("beamlet.call.stop.count", {
      tags: ["server"],
      tagValues: (meta) => ({ server: String(meta.name ?? "anonymous") }),
    })]);
    telemetry.execute(STOP, {}, { name: "cache" });
    telemetry.execute(STOP, {}, {});
    assert.deepEqual(scalars(metrics, "beamlet.call.stop.count"), [
      { tags: { server: "cache" }, value: 1 },
      { tags: { server: "anonymous" }, value: 1 },
    ]);
  });

  it("aggregates only samples keepIf keeps and dropIf does not drop (not counted as skipped)", () => {
    const seen: unknown[][] = [];
    const { telemetry, metrics } = setup([sum("app.job.stop.size", {
      keepIf: (meta, m) => {
        seen.push([meta.queue, m.size]);
        return meta.queue === "fast";
      },
      dropIf: (meta) => meta.error === true,
    })]);
    telemetry.execute(["app", "job", "stop"], { size: 1 }, { queue: "fast" });
    telemetry.execute(["app", "job", "stop"], { size: 10 }, { queue: "slow" });
    telemetry.execute(["app", "job", "stop"], { size: 100 }, { queue: "fast", error: true });
    assert.equal(scalars(metrics, "app.job.stop.size")[0].value, 1);
    assert.deepEqual(seen, [["fast", 1], ["slow", 10], ["fast", 100]]);
    assert.equal(metrics.stats().skipped, 0);
  });
});

describe("Metrics unit conversion", () => {
  it("converts measurements to the metric's unit before aggregating", () => {
    const { telemetry, metrics } = setup([
      sum("a.b.duration", { unit: { from: "millisecond", to: "second" } }),
      sum("a.b.wait", { unit: { from: "second", to: "microsecond" } }),
      lastValue("a.b.bytes", { unit: { from: "byte", to: "kilobyte" } }),
      lastValue("a.b.mem", { unit: { from: "megabyte", to: "byte" } }),
      summary("a.b.latency", { unit: { from: "nanosecond", to: "millisecond" } }),
      sum("a.b.same", { unit: "millisecond" }),
    ]);
    telemetry.execute(["a", "b"], {
      duration: 5,
      wait: 0.25,
      bytes: 2048,
      mem: 2,
      latency: 3_000_000,
      same: 7,
    });
    assert.equal(scalars(metrics, "a.b.duration")[0].value, 0.005);
    assert.equal(scalars(metrics, "a.b.wait")[0].value, 250_000);
    assert.equal(scalars(metrics, "a.b.bytes")[0].value, 2);
    assert.equal(scalars(metrics, "a.b.mem")[0].value, 2 * 1024 * 1024);
    assert.equal(histograms(metrics, "a.b.latency")[0].sum, 3);
    assert.equal(scalars(metrics, "a.b.same")[0].value, 7);
    assert.equal(metric(metrics, "a.b.duration").unit, "second");
  });
});

describe("Metrics cardinality limit", () => {
  it("folds new tag combinations past maxSeries into one __other__ series, counted", () => {
    const { telemetry, metrics } = setup([
      counter("e.count", { tags: ["user", "region"], maxSeries: 3 }),
      summary("e.duration", { tags: ["user"] }),
    ], { maxSeries: 2 });
    for (let i = 0; i < 10; i++) {
      telemetry.execute(["e"], { duration: i }, { user: `u${i}`, region: "eu" });
    }
    telemetry.execute(["e"], { duration: 1 }, { user: "u0", region: "eu" }); // known: not folded
    const counts = scalars(metrics, "e.count");
    assert.deepEqual(counts, [
      { tags: { user: "u0", region: "eu" }, value: 2 },
      { tags: { user: "u1", region: "eu" }, value: 1 },
      { tags: { user: "u2", region: "eu" }, value: 1 },
      { tags: { user: "__other__", region: "__other__" }, value: 7 },
    ]);
    assert.equal(metric(metrics, "e.count").overflowed, 7);
    const durations = histograms(metrics, "e.duration");
    assert.deepEqual(durations.map((s) => [s.tags.user, s.count]), [
      ["u0", 2],
      ["u1", 1],
      ["__other__", 8],
    ]);
    assert.equal(metric(metrics, "e.duration").overflowed, 8);
    assert.deepEqual(metrics.stats(), {
      metrics: 2,
      series: 7,
      skipped: 0,
      failedCallbacks: 0,
      overflowed: 15,
    });
  });

  it("holds at most maxSeries + 1 series however many values come (unbounded tag values)", () => {
    const { telemetry, metrics } = setup([counter("e.count", { tags: ["id"] })]);
    for (let i = 0; i < 5000; i++) telemetry.execute(["e"], {}, { id: crypto.randomUUID() });
    assert.equal(metrics.stats().series, 1001);
    assert.equal(metric(metrics, "e.count").overflowed, 4000);
  });
});

describe("Metrics bad input never reaches the emitter", () => {
  it("skips and counts missing or non-finite measurements and bad tag values", () => {
    const { telemetry, metrics } = setup([
      sum("e.size", { tags: ["k"] }),
      summary("e.ratio", { measurement: (m) => m.a / m.b }),
      lastValue("e.text", { measurement: (_m, meta) => meta.text as number }),
      distribution("e.latency"),
    ]);
    const events: [Record<string, number>, Record<string, unknown>][] = [
      [{ size: 1 }, { k: "ok" }],
      [{}, { k: "ok" }], // size missing
      [{ size: 2 }, {}], // tag missing
      [{ size: 3 }, { k: { nested: true } }], // tag not a primitive
      [{ size: 4 }, { k: () => "x" }],
      [{ size: 5 }, { k: undefined }],
      [{ size: NaN }, { k: "ok" }],
      [{ size: Infinity }, { k: "ok" }],
      [{ a: 1, b: 0 }, {}], // ratio Infinity
      [{ a: 0, b: 0 }, {}], // ratio NaN
      [{}, { text: "12" }], // a string is not a number
      [{ latency: -1 }, {}], // a histogram refuses negatives
    ];
    for (const [m, meta] of events) {
      assert.doesNotThrow(() => telemetry.execute(["e"], m, meta));
    }
    assert.deepEqual(scalars(metrics, "e.size"), [{ tags: { k: "ok" }, value: 1 }]);
    assert.equal(histograms(metrics, "e.latency")[0].count, 0);
    // 7 bad samples above, then the 4 events that carry no size at all
    assert.equal(metric(metrics, "e.size").skipped, 11);
    assert.equal(metrics.stats().skipped, metrics.snapshot().reduce((n, m) => n + m.skipped, 0));
    assert.equal(telemetry.stats().failedHandlers, 0);
    assert.equal(telemetry.stats().handlers, 1);
  });

  it("skips samples whose callbacks throw, counts them, and stays attached", () => {
    const { telemetry, metrics } = setup([
      sum("e.a", {
        measurement: () => {
          throw new Error("measurement");
        },
      }),
      counter("e.b", {
        tags: ["t"],
        tagValues: () => {
          throw new Error("tagValues");
        },
      }),
      counter("e.c", {
        keepIf: () => {
          throw new Error("keepIf");
        },
      }),
      counter("e.d", { tags: ["t"], tagValues: () => null as unknown as Record<string, unknown> }),
      counter("e.ok"),
    ]);
    telemetry.execute(["e"], {}, { t: 1 });
    telemetry.execute(["e"], {}, { t: 1 });
    assert.equal(scalars(metrics, "e.ok")[0].value, 2);
    assert.deepEqual(metrics.stats(), {
      metrics: 5,
      series: 3,
      skipped: 8,
      failedCallbacks: 6,
      overflowed: 0,
    });
    assert.equal(telemetry.stats().failedHandlers, 0);
    assert.deepEqual(telemetry.listHandlers().map((h) => h.id), [metrics.handlerId]);
  });

  it("never throws for arbitrary measurements and metadata (property)", () => {
    const { telemetry, metrics } = setup([
      counter("p.count", { tags: ["a", "b"], maxSeries: 5 }),
      sum("p.x", { tags: ["a"] }),
      distribution("p.x.d", { event: ["p"], measurement: "x", tags: ["b"] }),
      lastValue("p.y", { measurement: (m, meta) => (m.x as number) * (meta.b as number) }),
    ], { maxSeries: 5 });
    let executed = 0;
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("x", "y", "z"), fc.double()),
        fc.record({ a: fc.anything(), b: fc.anything() }, { requiredKeys: [] }),
        (measurements, metadata) => {
          telemetry.execute(["p"], measurements, metadata);
          executed++;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
    const counted = scalars(metrics, "p.count").reduce((n, s) => n + s.value, 0);
    assert.equal(counted + metric(metrics, "p.count").skipped, executed);
    assert.ok(metrics.stats().series <= 6 + 6 + 6 + 1);
    assert.equal(telemetry.stats().failedHandlers, 0);
  });
});

describe("Metrics lifecycle", () => {
  it("refuses duplicate names, foreign definitions and bad options", () => {
    const telemetry = new Telemetry();
    assert.throws(
      () => new Metrics(telemetry, [counter("a.b"), sum("a.b")]),
      (error: unknown) => error instanceof DuplicateMetricError && error.metric === "a.b",
    );
    const forged = { ...counter("a.b") } as MetricDefinition;
    assert.throws(() => new Metrics(telemetry, [forged]), TypeError);
    assert.throws(() => new Metrics(telemetry, "a.b" as unknown as MetricDefinition[]), TypeError);
    assert.throws(() => new Metrics(telemetry, [], { maxSeries: 0 }), RangeError);
    assert.throws(() => new Metrics(telemetry, [], { maxTagValueLength: -1 }), RangeError);
    assert.equal(telemetry.stats().handlers, 0);
  });

  it("detach detaches, frees every histogram and leaves no series", () => {
    const store = createHistogramStore({ implementation: "reference" });
    const telemetry = new Telemetry();
    const metrics = new Metrics(telemetry, [
      distribution("e.d", { tags: ["k"] }),
      summary("e.s"),
      counter("e.count"),
    ], { store });
    for (const k of ["a", "b", "c"]) telemetry.execute(["e"], { d: 1, s: 1 }, { k });
    assert.equal(store.histogramCount(), 4);
    assert.equal(metrics.detach(), true);
    assert.equal(metrics.detach(), false);
    assert.equal(store.histogramCount(), 0);
    assert.equal(telemetry.stats().handlers, 0);
    telemetry.execute(["e"], { d: 1, s: 1 }, { k: "a" });
    assert.ok(metrics.snapshot().every((m) => m.series.length === 0));
    assert.equal(metrics.stats().series, 0);
  });

  it("is disposable with using", () => {
    const store = createHistogramStore({ implementation: "reference" });
    const telemetry = new Telemetry();
    {
      using metrics = new Metrics(telemetry, [summary("e.s")], { store });
      assert.equal(store.histogramCount(), 1);
      assert.equal(metrics.definitions.length, 1);
    }
    assert.equal(store.histogramCount(), 0);
    assert.equal(telemetry.stats().handlers, 0);
  });

  it("ignores an event still in flight when it is detached by an earlier handler", () => {
    const telemetry = new Telemetry();
    const holder: { metrics?: Metrics } = {};
    telemetry.attach("detacher", ["e"], () => void holder.metrics?.detach());
    holder.metrics = new Metrics(telemetry, [summary("e.s")]);
    telemetry.execute(["e"], { s: 1 });
    assert.equal(telemetry.stats().failedHandlers, 0);
    assert.equal(telemetry.stats().handlers, 1);
  });

  it("reset forgets series and counters but stays attached", () => {
    const { telemetry, metrics } = setup([
      counter("e.count"),
      counter("e.tagged", { tags: ["k"], maxSeries: 1 }),
      distribution("e.d"),
      sum("e.missing"),
    ]);
    telemetry.execute(["e"], { d: 5 }, { k: "a" });
    telemetry.execute(["e"], { d: 5 }, { k: "b" });
    metrics.reset();
    assert.deepEqual(metrics.stats(), {
      metrics: 4,
      series: 3,
      skipped: 0,
      failedCallbacks: 0,
      overflowed: 0,
    });
    assert.deepEqual(scalars(metrics, "e.count"), [{ tags: {}, value: 0 }]);
    assert.deepEqual(scalars(metrics, "e.tagged"), []);
    assert.equal(histograms(metrics, "e.d")[0].count, 0);
    telemetry.execute(["e"], { d: 5 }, { k: "c" });
    assert.deepEqual(scalars(metrics, "e.tagged"), [{ tags: { k: "c" }, value: 1 }]);
  });

  it("works with no definitions", () => {
    const { telemetry, metrics } = setup([]);
    assert.deepEqual(metrics.snapshot(), []);
    assert.equal(telemetry.stats().handlers, 0);
    assert.equal(metrics.detach(), true);
  });
});

describe("Metrics takes the system first", () => {
  it("attaches to a System's telemetry, or to a bare Telemetry; anything else is a TypeError", async () => {
    const { System } = await import("../../src/system.ts");
    const system = new System({ logger: null });
    const metrics = new Metrics(system, [counter("app.job.stop.count")]);
    system.telemetry.execute(["app", "job", "stop"], { duration: 1 });
    assert.deepEqual(metrics.snapshot()[0].series, [{ tags: {}, value: 1 }]);
    metrics.detach();
    assert.throws(
      () => new Metrics({} as unknown as Telemetry, [counter("a.b.count")]),
      (e: Error) => e instanceof TypeError && /System or a Telemetry/.test(e.message),
    );
    system.shutdown();
  });
});
