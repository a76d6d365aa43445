/**
 * grafanaDashboard: one row per name prefix, one panel per metric drawn by
 * its type (counter → rate, gauge → value, distribution → p50/p95/p99 from
 * the buckets), `datasource`, `job` and `name` variables, SLO panels on
 * top — and every query reads series the exposition of the same
 * definitions really has.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { beamletMetrics, counter, distribution, lastValue, summary } from "../../metrics.ts";
import { grafanaDashboard, type GrafanaPanel, referencedMetrics } from "../../ops.ts";
import { exposeAll, familiesOf, missing, seriesNames } from "./_exposition.ts";

function panel(panels: readonly GrafanaPanel[], title: string): GrafanaPanel {
  const found = panels.find((p) => p.title === title);
  assert.ok(found, `${title} in ${panels.map((p) => p.title).join(" | ")}`);
  return found;
}

const exprs = (p: GrafanaPanel) => (p.targets ?? []).map((t) => t.expr);

describe("grafanaDashboard", () => {
  it("draws each metric by its type, in a row per prefix", () => {
    const dashboard = grafanaDashboard({
      metrics: [
        counter("shop.order.placed.count", { tags: ["country"] }),
        lastValue("shop.cart.size", { description: "Items in carts" }),
        distribution("shop.checkout.stop.duration", { unit: "millisecond", tags: ["name"] }),
        summary("shop.batch.stop.size"),
      ],
    });
    const rows = dashboard.panels.filter((p) => p.type === "row").map((p) => p.title);
    assert.deepEqual(rows, ["shop.order", "shop.cart", "shop.checkout", "shop.batch"]);
    assert.deepEqual(exprs(panel(dashboard.panels, "shop.order.placed.count (per second)")), [
      'sum by (job, country) (rate(shop_order_placed_count_total{job=~"$job"}[$__rate_interval]))',
    ]);
    const cart = panel(dashboard.panels, "shop.cart.size");
    assert.deepEqual(exprs(cart), ['shop_cart_size{job=~"$job"}']);
    assert.equal(cart.description, "Items in carts");
    const checkout = panel(dashboard.panels, "shop.checkout.stop.duration (p50, p95, p99)");
    assert.deepEqual(
      exprs(checkout),
      [0.5, 0.95, 0.99].map((q) =>
        `histogram_quantile(${q}, sum by (job, name, le) (rate(shop_checkout_stop_duration_seconds_bucket{job=~"$job",name=~"$name"}[$__rate_interval])))`
      ),
    );
    assert.deepEqual((checkout.targets ?? []).map((t) => t.legendFormat), [
      "p50 {{name}}",
      "p95 {{name}}",
      "p99 {{name}}",
    ]);
    assert.deepEqual(checkout.fieldConfig, { defaults: { unit: "s" }, overrides: [] });
    assert.deepEqual(exprs(panel(dashboard.panels, "shop.batch.stop.size (quantiles)")), [
      'shop_batch_stop_size{job=~"$job"}',
    ]);
    // Panels sit under their row, three abreast, never overlapping.
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          assert.ok(!cells.has(`${i},${j}`), `${p.title} overlaps`);
          cells.add(`${i},${j}`);
        }
      }
    }
    assert.equal(new Set(dashboard.panels.map((p) => p.id)).size, dashboard.panels.length);
  });

  it("has datasource, job and name variables, on series that exist", () => {
    const dashboard = grafanaDashboard();
    assert.deepEqual(dashboard.templating.list.map((v) => [v.name, v.type]), [
      ["datasource", "datasource"],
      ["job", "query"],
      ["name", "query"],
    ]);
    assert.equal(dashboard.templating.list[0].query, "prometheus");
    assert.equal(
      dashboard.templating.list[1].definition,
      "label_values(beamlet_process_start_count_total, job)",
    );
    assert.equal(
      dashboard.templating.list[2].definition,
      "label_values(beamlet_call_stop_duration_seconds_count, name)",
    );
    for (const p of dashboard.panels) {
      if (p.type === "row") continue;
      assert.deepEqual(p.datasource, { type: "prometheus", uid: "${datasource}" });
    }
  });

  it("queries only series the exposition of the same definitions really has", () => {
    const definitions = beamletMetrics();
    const slos = [{ name: "p95", kind: "latency" as const, objective: 0.95 }];
    for (const namespace of [undefined, "shop"]) {
      const dashboard = grafanaDashboard({ metrics: definitions, slos, namespace });
      const exposed = seriesNames(familiesOf(exposeAll(definitions, namespace)));
      const referenced = referencedMetrics(dashboard);
      assert.ok(referenced.length >= definitions.length, referenced.join(", "));
      assert.deepEqual(missing(referenced, exposed), []);
    }
  });

  it("puts the SLOs' bad share and burn rates in a first row", () => {
    const dashboard = grafanaDashboard({
      slos: [{ name: "q", kind: "mailbox_age", target: "orders", threshold: 1, window: 1000 }],
    });
    assert.equal(dashboard.panels[0].title, "SLOs");
    const burn = panel(
      dashboard.panels,
      "SLO burn rate (1 = budget spent exactly over its period)",
    );
    assert.equal(burn.targets?.length, 1);
    assert.match(exprs(burn)[0], /slo="q"/);
    assert.match(exprs(burn)[0], /\) \/ 0\.01$/);
  });

  it("refuses bad options", () => {
    assert.throws(() => grafanaDashboard(null as never), TypeError);
    assert.throws(() => grafanaDashboard({ uid: "no spaces" }), TypeError);
    assert.throws(() => grafanaDashboard({ title: "" }), TypeError);
    assert.throws(() => grafanaDashboard({ rowDepth: 0 }), RangeError);
    assert.throws(() => grafanaDashboard({ metrics: {} as never }), TypeError);
  });
});
