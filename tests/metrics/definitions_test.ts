import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  counter,
  distribution,
  InvalidBucketsError,
  InvalidMetricNameError,
  InvalidUnitError,
  lastValue,
  MetricDefinitionError,
  type MetricOptions,
  sum,
  summary,
} from "../../src/metrics/mod.ts";

describe("metric definitions", () => {
  it("derive event and measurement from a dotted name and return frozen definitions", () => {
    const metric = summary("beamlet.call.stop.duration", { tags: ["server"] });
    assert.equal(metric.type, "summary");
    assert.equal(metric.name, "beamlet.call.stop.duration");
    assert.deepEqual(metric.event, ["beamlet", "call", "stop"]);
    assert.equal(metric.measurement, "duration");
    assert.deepEqual(metric.tags, ["server"]);
    assert.deepEqual(metric.reporterOptions.quantiles, [0.5, 0.9, 0.99]);
    assert.ok(Object.isFrozen(metric));
    assert.ok(Object.isFrozen(metric.event));
    assert.ok(Object.isFrozen(metric.tags));
    assert.ok(Object.isFrozen(metric.reporterOptions));
    assert.throws(() => {
      (metric as { name: string }).name = "x";
    }, TypeError);
  });

  it("take event and measurement options over the name", () => {
    const perMessage = (m: Record<string, number>) => m.bytes / m.messages;
    const metric = sum("bytes_per_message", {
      event: ["app", "batch", "stop"],
      measurement: perMessage,
    });
    assert.deepEqual(metric.event, ["app", "batch", "stop"]);
    assert.equal(metric.measurement, perMessage);
    assert.equal(counter("requests", { event: ["http", "request"] }).measurement, "requests");
  });

  it("copy the event and tags, so later changes to the inputs do not leak in", () => {
    const event = ["app", "job"];
    const tags = ["queue"];
    const metric = counter("jobs", { event, tags });
    event.push("mutated");
    tags.push("mutated");
    assert.deepEqual(metric.event, ["app", "job"]);
    assert.deepEqual(metric.tags, ["queue"]);
  });

  it("combine keepIf and dropIf into one keep predicate", () => {
    const metric = counter("app.job.stop.count", {
      keepIf: (meta) => meta.queue === "fast",
      dropIf: (meta) => meta.error === true,
    });
    const keep = metric.keep!;
    assert.equal(keep({ queue: "fast" }, {}), true);
    assert.equal(keep({ queue: "slow" }, {}), false);
    assert.equal(keep({ queue: "fast", error: true }, {}), false);
    assert.equal(counter("a.b").keep, undefined);
    assert.equal(counter("a.b", { dropIf: () => true }).keep!({}, {}), false);
  });

  it("record the unit and the unit measurements come in", () => {
    const plain = lastValue("vm.memory.total", { unit: "byte" });
    assert.equal(plain.unit, "byte");
    assert.equal(plain.measurementUnit, "byte");
    const converted = distribution("a.b.duration", { unit: { from: "microsecond", to: "second" } });
    assert.equal(converted.unit, "second");
    assert.equal(converted.measurementUnit, "microsecond");
    const none = sum("a.b");
    assert.equal(none.unit, undefined);
    assert.equal(none.measurementUnit, undefined);
  });

  it("give distributions default buckets in their unit, as exact decimal doubles", () => {
    const ms = distribution("a.b.duration", { unit: "millisecond" }).reporterOptions.buckets!;
    assert.deepEqual(ms.slice(0, 4), [0.1, 0.25, 0.5, 1]);
    assert.equal(ms.at(-1), 10_000);
    const s = distribution("a.b.duration", { unit: { from: "millisecond", to: "second" } })
      .reporterOptions.buckets!;
    assert.deepEqual(s.slice(0, 3), [0.0001, 0.00025, 0.0005]);
    assert.equal(s.at(-1), 10);
    const kb = distribution("a.b.size", { unit: "kilobyte" }).reporterOptions.buckets!;
    assert.deepEqual(kb.slice(0, 3), [0.0625, 0.25, 1]);
    const unitless = distribution("a.b.size").reporterOptions.buckets!;
    assert.deepEqual(unitless.slice(0, 3), [1, 2.5, 5]);
    for (const buckets of [ms, s, kb, unitless]) {
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] > buckets[i - 1]);
    }
    assert.equal(summary("a.b").reporterOptions.buckets, undefined);
    assert.equal(counter("a.b").reporterOptions.quantiles, undefined);
  });

  it("keep user buckets, quantiles and unknown reporter options", () => {
    const metric = distribution("a.b", {
      reporterOptions: { buckets: [1, 2, 3], quantiles: [0.25, 1], custom: { x: 1 } },
    });
    assert.deepEqual(metric.reporterOptions.buckets, [1, 2, 3]);
    assert.deepEqual(metric.reporterOptions.quantiles, [0.25, 1]);
    assert.deepEqual(metric.reporterOptions.custom, { x: 1 });
  });
});

describe("metric definition errors", () => {
  const nameCases: [string, unknown][] = [
    ["empty", ""],
    ["a single segment without an event option", "requests"],
    ["an empty segment", "beamlet..call"],
    ["a leading dot", ".beamlet.call"],
    ["a trailing dot", "beamlet.call."],
    ["whitespace", "beamlet.call stop.duration"],
    ["a newline", "beamlet.call\n.duration"],
    ["a control character", "beamlet.call\u0000.duration"],
    ["not a string", 42],
    ["undefined", undefined],
  ];
  for (const [what, name] of nameCases) {
    it(`refuse a name that is ${what} with InvalidMetricNameError`, () => {
      assert.throws(() => counter(name as string), (error: unknown) => {
        assert.ok(error instanceof InvalidMetricNameError);
        assert.ok(error instanceof MetricDefinitionError);
        assert.equal(error.name, "InvalidMetricNameError");
        assert.equal(error.option, "name");
        assert.match(error.message, /^metric /);
        return true;
      });
    });
  }

  it("refuse unknown units and mixed-kind conversions with InvalidUnitError", () => {
    const units: unknown[] = [
      "ms",
      "seconds",
      "native",
      "",
      42,
      null,
      { from: "millisecond" },
      { from: "millisecond", to: "hour" },
      { from: "byte", to: "second" },
      { from: "second", to: "kilobyte" },
    ];
    for (const unit of units) {
      assert.throws(
        () => distribution("a.b.c", { unit } as MetricOptions),
        (error: unknown) => {
          assert.ok(error instanceof InvalidUnitError, `unit ${JSON.stringify(unit)}`);
          assert.deepEqual(error.unit, unit);
          assert.equal(error.option, "unit");
          return true;
        },
      );
    }
  });

  it("refuse buckets that are empty, unordered, repeated or not finite with InvalidBucketsError", () => {
    const cases: unknown[] = [
      [],
      [2, 1],
      [1, 1],
      [1, NaN],
      [1, Infinity],
      [-Infinity, 1],
      ["1", "2"],
      "1,2",
      { 0: 1 },
    ];
    for (const buckets of cases) {
      assert.throws(
        () => distribution("a.b", { reporterOptions: { buckets } } as MetricOptions),
        (error: unknown) => {
          assert.ok(error instanceof InvalidBucketsError, `buckets ${String(buckets)}`);
          assert.equal(error.buckets, buckets);
          return true;
        },
      );
    }
    assert.deepEqual(
      distribution("a.b", { reporterOptions: { buckets: [-1, 0, 0.5] } }).reporterOptions.buckets,
      [-1, 0, 0.5],
    );
  });

  it("refuse other malformed options with a MetricDefinitionError naming the option", () => {
    const cases: [string, unknown][] = [
      ["tags", "server"],
      ["tags", ["ok", "not a label"]],
      ["tags", ["1st"]],
      ["tags", ["__reserved"]],
      ["tags", ["a", "a"]],
      ["tags", [42]],
      ["tagValues", "nope"],
      ["keepIf", true],
      ["dropIf", {}],
      ["measurement", 42],
      ["measurement", ""],
      ["description", 42],
      ["maxSeries", 0],
      ["maxSeries", 1.5],
      ["maxSeries", "10"],
      ["event", []],
      ["event", ["a", ""]],
      ["event", "a.b"],
      ["reporterOptions", 42],
      ["reporterOptions.quantiles", [0.9, 0.5]],
      ["reporterOptions.quantiles", [1.5]],
      ["reporterOptions.quantiles", []],
      ["reporterOptions.prometheusType", "histogram"],
      ["eventName", ["a"]],
    ];
    for (const [option, value] of cases) {
      const key = option.startsWith("reporterOptions.") ? option.slice(16) : option;
      const options = option.startsWith("reporterOptions.")
        ? { reporterOptions: { [key]: value } }
        : { [key]: value };
      assert.throws(
        () => summary("a.b.c", options as MetricOptions),
        (error: unknown) => {
          assert.ok(error instanceof MetricDefinitionError, `${option} = ${String(value)}`);
          assert.equal(error.option, option);
          assert.equal(error.metric, "a.b.c");
          return true;
        },
      );
    }
    assert.throws(() => summary("a.b", null as unknown as MetricOptions), MetricDefinitionError);
  });

  it("reserve le for distributions and quantile for summaries", () => {
    assert.throws(() => distribution("a.b", { tags: ["le"] }), /reserved/);
    assert.throws(() => summary("a.b", { tags: ["quantile"] }), /reserved/);
    assert.deepEqual(counter("a.b", { tags: ["le", "quantile"] }).tags, ["le", "quantile"]);
  });
});
