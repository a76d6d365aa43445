import { describe, it } from "node:test";
import assert from "node:assert/strict";
// @ts-ignore: the package publishes no types (tsc's noImplicitAny refuses it; Deno allows it)
import parse from "parse-prometheus-text-format";
import {
  counter,
  distribution,
  lastValue,
  type MetricDefinition,
  Metrics,
  PROMETHEUS_CONTENT_TYPE,
  type PrometheusOptions,
  prometheusText,
  sum,
  summary,
} from "../../../src/metrics/mod.ts";
import { Telemetry } from "../../../src/telemetry/mod.ts";
import { PROMTOOL_UNAVAILABLE, promtoolCheck } from "./_promtool.ts";

interface Family {
  name: string;
  help: string;
  type: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

function families(text: string): Map<string, Family> {
  const parsed = parse(text) as Family[];
  const byName = new Map<string, Family>();
  for (const family of parsed) {
    assert.ok(!byName.has(family.name), `family ${family.name} appears once`);
    byName.set(family.name, family);
  }
  return byName;
}

function family(text: string, name: string): Family {
  const found = families(text).get(name);
  assert.ok(found, `family ${name} in:\n${text}`);
  return found;
}

/**
 * Every sample line, by sample name, as the parser reads untyped lines (its
 * histogram and summary grouping only handles unlabeled series).
 */
function samples(text: string): Map<string, { value: string; labels?: Record<string, string> }[]> {
  const untyped = text.split("\n").filter((line) => !line.startsWith("#")).join("\n");
  const byName = new Map<string, { value: string; labels?: Record<string, string> }[]>();
  for (const { name, metrics } of parse(untyped) as Family[]) {
    byName.set(name, [...(byName.get(name) ?? []), ...metrics as never[]]);
  }
  return byName;
}

function exposition(
  definitions: MetricDefinition[],
  run: (telemetry: Telemetry) => void,
  options?: PrometheusOptions,
): string {
  const telemetry = new Telemetry();
  using metrics = new Metrics(telemetry, definitions);
  run(telemetry);
  return prometheusText(metrics, options);
}

const NASTY = ['say "hi"', "back\\slash", "new\nline", "tab\there", "ünïcödé ✓", "", "}{,="];

/** Every metric type, units, tags with hostile values, an overflow, an empty summary. */
function richExposition(): string {
  return exposition([
    counter("beamlet.call.stop.count", {
      tags: ["server"],
      description: 'Calls "done"\nper server \\ all',
    }),
    distribution("beamlet.call.stop.duration", {
      unit: "millisecond",
      tags: ["server"],
      maxSeries: 3,
    }),
    summary("beamlet.call.stop.queue_time", { unit: { from: "millisecond", to: "second" } }),
    summary("beamlet.idle.wait"),
    sum("app.upload.bytes", { unit: "kilobyte", tags: ["route"] }),
    sum("app.upload.items", { reporterOptions: { prometheusType: "counter" } }),
    lastValue("vm.memory.total", { unit: "megabyte" }),
    lastValue("vm.run_queue.length", { description: "" }),
  ], (telemetry) => {
    for (let i = 0; i < 200; i++) {
      telemetry.execute(
        ["beamlet", "call", "stop"],
        { duration: (i % 37) * 0.7, queue_time: i % 11 },
        { server: NASTY[i % NASTY.length] },
      );
    }
    telemetry.execute(["app", "upload"], { bytes: 1.5, items: 3 }, { route: '/x?a="1"' });
    telemetry.execute(["vm", "memory"], { total: 3 });
    telemetry.execute(["vm", "run_queue"], { length: -2 });
  });
}

describe("prometheusText", () => {
  it("has the 0.0.4 content type", () => {
    assert.equal(PROMETHEUS_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
  });

  it("writes the exact text of a counter and a histogram", () => {
    const text = exposition([
      counter("beamlet.cast.count", { tags: ["server"], description: "Casts" }),
      distribution("beamlet.call.stop.duration", {
        unit: "millisecond",
        reporterOptions: { buckets: [1, 5] },
      }),
    ], (telemetry) => {
      telemetry.execute(["beamlet", "cast"], {}, { server: 'a"b' });
      telemetry.execute(["beamlet", "call", "stop"], { duration: 0.5 });
      telemetry.execute(["beamlet", "call", "stop"], { duration: 4 });
      telemetry.execute(["beamlet", "call", "stop"], { duration: 40 });
    }, { selfMetrics: false });
    assert.equal(
      text,
      [
        "# HELP beamlet_cast_count_total Casts",
        "# TYPE beamlet_cast_count_total counter",
        'beamlet_cast_count_total{server="a\\"b"} 1',
        "# HELP beamlet_call_stop_duration_seconds distribution of duration of event beamlet.call.stop",
        "# TYPE beamlet_call_stop_duration_seconds histogram",
        'beamlet_call_stop_duration_seconds_bucket{le="0.001"} 1',
        'beamlet_call_stop_duration_seconds_bucket{le="0.005"} 2',
        'beamlet_call_stop_duration_seconds_bucket{le="+Inf"} 3',
        "beamlet_call_stop_duration_seconds_sum 0.0445",
        "beamlet_call_stop_duration_seconds_count 3",
        "",
      ].join("\n"),
    );
    assert.deepEqual(family(text, "beamlet_call_stop_duration_seconds").metrics, [
      { buckets: { "0.001": "1", "0.005": "2", "+Inf": "3" }, sum: "0.0445", count: "3" },
    ]);
  });

  it("is read back by a Prometheus text parser: types, help, escaped labels, values", () => {
    const text = richExposition();
    const parsed = families(text);
    assert.deepEqual(
      [...parsed.values()].map((f) => [f.name, f.type]),
      [
        ["beamlet_call_stop_count_total", "COUNTER"],
        ["beamlet_call_stop_duration_seconds", "HISTOGRAM"],
        ["beamlet_call_stop_queue_time_seconds", "SUMMARY"],
        ["beamlet_idle_wait", "SUMMARY"],
        ["app_upload_bytes", "GAUGE"],
        ["app_upload_items_total", "COUNTER"],
        ["vm_memory_total_bytes", "GAUGE"],
        ["vm_run_queue_length", "GAUGE"],
        ["beamlet_metrics_skipped_samples_total", "COUNTER"],
        ["beamlet_metrics_series_overflow_total", "COUNTER"],
      ],
    );
    const calls = parsed.get("beamlet_call_stop_count_total")!;
    assert.equal(calls.help, 'Calls "done"\nper server \\ all');
    assert.deepEqual(
      calls.metrics.map((m) => m.labels!.server).sort(),
      [...NASTY].sort(),
      "label values survive escaping",
    );
    const total = calls.metrics.reduce((n, m) => n + Number(m.value), 0);
    assert.equal(total, 200);

    const lines = samples(text);
    const buckets = lines.get("beamlet_call_stop_duration_seconds_bucket")!;
    const counts = lines.get("beamlet_call_stop_duration_seconds_count")!;
    assert.deepEqual(counts.map((m) => m.labels!.server), [
      NASTY[0],
      NASTY[1],
      NASTY[2],
      "__other__",
    ]);
    for (const { labels, value: count } of counts) {
      const series = buckets
        .filter((b) => b.labels!.server === labels!.server)
        .map((b) => [b.labels!.le === "+Inf" ? Infinity : Number(b.labels!.le), Number(b.value)]);
      assert.equal(series.length, 17);
      assert.deepEqual(series.slice(0, 3).map(([le]) => le), [0.0001, 0.00025, 0.0005]);
      assert.deepEqual(series.at(-1), [Infinity, Number(count)]);
      for (let i = 1; i < series.length; i++) {
        assert.ok(series[i][0] > series[i - 1][0], "le increases");
        assert.ok(series[i][1] >= series[i - 1][1], "counts are cumulative");
      }
    }
    const latencySum = lines.get("beamlet_call_stop_duration_seconds_sum")!;
    const expectedSum = Array.from({ length: 200 }, (_, i) => (i % 37) * 0.7 / 1000)
      .reduce((a, b) => a + b);
    const exposedSum = latencySum.reduce((n, m) => n + Number(m.value), 0);
    assert.ok(Math.abs(exposedSum - expectedSum) < 1e-9, `${exposedSum} ≈ ${expectedSum}`);

    const queue = parsed.get("beamlet_call_stop_queue_time_seconds")!.metrics[0];
    assert.equal(queue.count, "200");
    assert.deepEqual(Object.keys(queue.quantiles!), ["0.5", "0.9", "0.99"]);
    assert.ok(Math.abs(Number(queue.quantiles!["0.5"]) - 0.005) <= 0.005 / 64);

    const idle = parsed.get("beamlet_idle_wait")!.metrics[0];
    assert.equal(idle.count, "0");
    assert.equal(idle.quantiles!["0.5"], "NaN");

    const bytes = parsed.get("app_upload_bytes")!.metrics[0];
    assert.deepEqual(bytes, { value: "1536", labels: { route: '/x?a="1"' } });
    assert.equal(parsed.get("vm_memory_total_bytes")!.metrics[0].value, String(3 * 1024 * 1024));
    assert.equal(parsed.get("vm_run_queue_length")!.metrics[0].value, "-2");
    assert.equal(
      parsed.get("vm_run_queue_length")!.help,
      "lastValue of length of event vm.run_queue",
    );

    const overflow = parsed.get("beamlet_metrics_series_overflow_total")!;
    assert.deepEqual(
      overflow.metrics.map((m) => [m.labels!.metric, m.value]),
      [
        ["beamlet.call.stop.count", "0"],
        ["beamlet.call.stop.duration", String(200 - 3 * Math.ceil(200 / NASTY.length))],
        ["app.upload.bytes", "0"],
      ],
    );
  });

  it("passes promtool check metrics (parse and lint)", { skip: PROMTOOL_UNAVAILABLE }, () => {
    for (const text of [richExposition(), richExposition().replaceAll("beamlet_", "x_")]) {
      const { status, output } = promtoolCheck(text);
      assert.equal(status, 0, `promtool check metrics failed:\n${output}\n--- input:\n${text}`);
    }
  });

  it("makes names valid and suffixes them once", () => {
    const text = exposition(
      [
        counter("my-app.req:served.count"),
        counter("9lives.hits_total"),
        distribution("http.request.duration_seconds", { unit: "second" }),
        sum("net.sent_bytes", { unit: "byte" }),
        lastValue("app.speed", { unit: "microsecond" }),
      ],
      () => {},
      { selfMetrics: false, namespace: "shop-1" },
    );
    assert.deepEqual([...families(text).keys()], [
      "shop_1_my_app_req_served_count_total",
      "shop_1_9lives_hits_total",
      "shop_1_http_request_duration_seconds",
      "shop_1_net_sent_bytes",
    ]);
    const bare = exposition([counter("9lives.hits_total")], () => {}, { selfMetrics: false });
    assert.deepEqual([...families(bare).keys()], ["_9lives_hits_total"]);
  });

  it("leaves out metrics without series, and everything for an empty source", () => {
    const text = exposition(
      [lastValue("vm.memory.total"), counter("a.b", { tags: ["t"] })],
      () => {},
    );
    assert.deepEqual([...families(text).keys()], [
      "beamlet_metrics_skipped_samples_total",
      "beamlet_metrics_series_overflow_total",
    ]);
    assert.equal(prometheusText({ snapshot: () => [] }), "");
    assert.equal(
      exposition([lastValue("vm.memory.total")], () => {}, { selfMetrics: false }),
      "",
    );
  });

  it("skips a metric whose exposition name is taken, with a comment, staying valid", () => {
    const text = exposition(
      [
        counter("app.job.count"),
        counter("app_job.count"),
        lastValue("app.job.count_total"),
      ],
      (telemetry) => telemetry.execute(["app", "job"], { count_total: 1 }),
      {
        selfMetrics: false,
      },
    );
    assert.deepEqual([...families(text).keys()], ["app_job_count_total"]);
    assert.match(
      text,
      /^# beamlet: skipped metric "app_job\.count": exposition name app_job_count_total is taken$/m,
    );
    assert.match(text, /^# beamlet: skipped metric "app\.job\.count_total"/m);
    if (PROMTOOL_UNAVAILABLE === undefined) assert.equal(promtoolCheck(text).status, 0);
  });

  it("counts skipped samples per metric", () => {
    const text = exposition([sum("app.upload.bytes"), counter("app.upload.count")], (telemetry) => {
      telemetry.execute(["app", "upload"], {});
      telemetry.execute(["app", "upload"], { bytes: 1 });
    });
    const skipped = family(text, "beamlet_metrics_skipped_samples_total");
    assert.deepEqual(skipped.metrics.map((m) => [m.labels!.metric, m.value]), [
      ["app.upload.bytes", "1"],
      ["app.upload.count", "0"],
    ]);
  });
});
