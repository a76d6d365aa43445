/**
 * The Metrics page's data: GET /metrics/definitions lists every definition
 * of the app's Metrics (the user's and the built-ins) with its Prometheus
 * name; GET /metrics/values?name= answers one metric's series (scalars as
 * value, histograms as count/sum/p50/p95/p99/max), at most 500 series with
 * a truncated flag; 400 without a name, 404 JSON for an unknown one; GET
 * /metrics stays the Prometheus text.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { beamletMetrics } from "../../../src/metrics/beamlet_metrics.ts";
import {
  counter,
  distribution,
  lastValue,
  Metrics,
  PROMETHEUS_CONTENT_TYPE,
  sum,
  summary,
} from "../../../src/metrics/mod.ts";
import { System } from "../../../src/system.ts";
import { echo, fixture, json } from "../_fixtures.ts";

interface Definition {
  name: string;
  type: string;
  unit: string | null;
  description: string | null;
  tags: string[];
  prometheusName: string;
}

interface Values {
  name: string;
  type: string;
  unit: string | null;
  time: number;
  series: Record<string, unknown>[];
  totalSeries: number;
  truncated: boolean;
}

function userMetrics(system: System): Metrics {
  return new Metrics(system, [
    ...beamletMetrics(),
    counter("shop.order.stop.count", { tags: ["region"], description: "orders placed" }),
    sum("shop.order.stop.amount", { tags: ["region"] }),
    lastValue("shop.cart.size", { event: ["shop", "cart"], measurement: "size", unit: "byte" }),
    summary("shop.order.stop.duration", { unit: "millisecond" }),
    distribution("shop.payment.stop.duration", { unit: "millisecond", tags: ["provider"] }),
  ]);
}

describe("GET /metrics/definitions", () => {
  it("lists the user's metrics and the built-ins, with types, units and Prometheus names", async () => {
    const system = new System({ logger: null });
    const metrics = userMetrics(system);
    const f = fixture({ metrics }, system);
    try {
      const response = await f.get("/metrics/definitions");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const { items } = await json<{ items: Definition[] }>(response);
      assert.equal(items.length, metrics.definitions.length);
      const byName = new Map(items.map((item) => [item.name, item]));
      assert.deepEqual(byName.get("shop.order.stop.count"), {
        name: "shop.order.stop.count",
        type: "counter",
        unit: null,
        description: "orders placed",
        tags: ["region"],
        prometheusName: "shop_order_stop_count_total",
      });
      assert.equal(byName.get("shop.cart.size")?.type, "last_value");
      assert.equal(byName.get("shop.cart.size")?.prometheusName, "shop_cart_size_bytes");
      assert.equal(byName.get("shop.order.stop.duration")?.type, "summary");
      const payment = byName.get("shop.payment.stop.duration");
      assert.equal(payment?.type, "distribution");
      assert.equal(payment?.unit, "millisecond");
      assert.equal(payment?.prometheusName, "shop_payment_stop_duration_seconds");
      const calls = byName.get("beamlet.call.stop.duration");
      assert.equal(calls?.prometheusName, "beamlet_call_stop_duration_seconds");
      // Every Prometheus name is one /metrics really exposes (once it has series).
      await f.system.call((await f.system.start(echo))!, 1);
      f.system.telemetry.execute(["shop", "order", "stop"], { amount: 3, duration: 2 }, {
        region: "eu",
      });
      f.system.telemetry.execute(["shop", "cart"], { size: 10 }, {});
      f.system.telemetry.execute(["shop", "payment", "stop"], { duration: 5 }, { provider: "x" });
      const text = await (await f.get("/metrics")).text();
      for (
        const name of [
          "shop_order_stop_count_total",
          "shop_order_stop_amount",
          "shop_cart_size_bytes",
        ]
      ) {
        assert.ok(text.includes(`# TYPE ${name} `), name);
      }
    } finally {
      f.close();
      metrics.detach();
    }
  });

  it("lists the default beamletMetrics() when the app made its own", async () => {
    const f = fixture();
    try {
      const { items } = await json<{ items: Definition[] }>(await f.get("/metrics/definitions"));
      assert.deepEqual(items.map((item) => item.name), beamletMetrics().map((d) => d.name));
    } finally {
      f.close();
    }
  });
});

describe("GET /metrics/values", () => {
  it("answers a counter's cumulative series by tags", async () => {
    const system = new System({ logger: null });
    const metrics = userMetrics(system);
    const f = fixture({ metrics }, system);
    try {
      for (const region of ["eu", "eu", "us"]) {
        system.telemetry.execute(["shop", "order", "stop"], { amount: 2, duration: 1 }, { region });
      }
      const response = await f.get("/metrics/values?name=shop.order.stop.count");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const body = await json<Values>(response);
      assert.equal(typeof body.time, "number");
      assert.deepEqual({ ...body, time: 0 }, {
        name: "shop.order.stop.count",
        type: "counter",
        unit: null,
        time: 0,
        series: [{ tags: { region: "eu" }, value: 2 }, { tags: { region: "us" }, value: 1 }],
        totalSeries: 2,
        truncated: false,
      });
      const amounts = await json<Values>(
        await f.get("/metrics/values?name=shop.order.stop.amount"),
      );
      assert.deepEqual(amounts.series, [{ tags: { region: "eu" }, value: 4 }, {
        tags: { region: "us" },
        value: 2,
      }]);
    } finally {
      f.close();
      metrics.detach();
    }
  });

  it("answers distributions and summaries as count, sum, p50, p95, p99 and max, in their unit", async () => {
    const system = new System({ logger: null });
    const metrics = userMetrics(system);
    const f = fixture({ metrics }, system);
    try {
      for (let i = 1; i <= 100; i++) {
        system.telemetry.execute(["shop", "payment", "stop"], { duration: i }, {
          provider: "card",
        });
      }
      const body = await json<Values>(
        await f.get(`/metrics/values?name=${encodeURIComponent("shop.payment.stop.duration")}`),
      );
      assert.equal(body.type, "distribution");
      assert.equal(body.unit, "millisecond");
      assert.equal(body.series.length, 1);
      const [series] = body.series as {
        tags: Record<string, string>;
        count: number;
        sum: number;
        p50: number;
        p95: number;
        p99: number;
        max: number;
      }[];
      assert.deepEqual(series.tags, { provider: "card" });
      assert.equal(series.count, 100);
      assert.equal(series.sum, 5050);
      assert.ok(Math.abs(series.p50 - 50) <= 1, String(series.p50));
      assert.ok(Math.abs(series.p95 - 95) <= 1.5, String(series.p95));
      assert.ok(Math.abs(series.p99 - 99) <= 1.5, String(series.p99));
      assert.equal(series.max, 100);
      // An empty untagged summary: quantiles null, never NaN.
      const empty = await json<Values>(
        await f.get("/metrics/values?name=shop.order.stop.duration"),
      );
      assert.deepEqual(empty.series, [{
        tags: {},
        count: 0,
        sum: 0,
        p50: null,
        p95: null,
        p99: null,
        max: null,
      }]);
      const last = await json<Values>(await f.get("/metrics/values?name=shop.cart.size"));
      assert.equal(last.type, "last_value");
      assert.deepEqual(last.series, []);
    } finally {
      f.close();
      metrics.detach();
    }
  });

  it("answers at most 500 series, and says it cut them", async () => {
    const system = new System({ logger: null });
    const metrics = new Metrics(system, [counter("app.hit.count", { tags: ["key"] })]);
    const f = fixture({ metrics }, system);
    try {
      for (let i = 0; i < 600; i++) system.telemetry.execute(["app", "hit"], {}, { key: `k${i}` });
      const body = await json<Values>(await f.get("/metrics/values?name=app.hit.count"));
      assert.equal(body.series.length, 500);
      assert.equal(body.totalSeries, 600);
      assert.equal(body.truncated, true);
    } finally {
      f.close();
      metrics.detach();
    }
  });

  it("answers 400 without a name, 404 JSON for an unknown one, and 401 without auth", async () => {
    const f = fixture();
    try {
      for (const path of ["/metrics/values", "/metrics/values?name=", "/metrics/values?other=1"]) {
        const response = await f.get(path);
        assert.equal(response.status, 400, path);
        assert.deepEqual(await json(response), { error: "missing metric name (?name=)" });
      }
      const long = await f.get(`/metrics/values?name=${"x".repeat(600)}`);
      assert.equal(long.status, 400);
      const unknown = await f.get(
        `/metrics/values?name=${encodeURIComponent('no.such<"metric">')}`,
      );
      assert.equal(unknown.status, 404);
      assert.deepEqual(await json(unknown), { error: 'unknown metric "no.such<\\"metric\\">"' });
      for (
        const path of ["/metrics/values?name=beamlet.call.stop.duration", "/metrics/definitions"]
      ) {
        assert.equal((await f.app.request(path)).status, 401, path);
      }
      // The Prometheus route is untouched.
      const prometheus = await f.get("/metrics");
      assert.equal(prometheus.headers.get("content-type"), PROMETHEUS_CONTENT_TYPE);
      assert.equal((await f.get("/metrics/")).status, 404);
    } finally {
      f.close();
    }
  });
});
