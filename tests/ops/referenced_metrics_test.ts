/**
 * referencedMetrics: the metric names a PromQL expression, a rule file or
 * a dashboard reads — not functions, keywords, labels, matcher values,
 * ranges or durations.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { referencedMetrics } from "../../ops.ts";

describe("referencedMetrics", () => {
  it("finds the metric names of an expression", () => {
    assert.deepEqual(
      referencedMetrics(
        'histogram_quantile(0.99, sum by (job, le) (rate(a_bucket{name=~"$name", x="b_total"}[5m])))' +
          " > on (job) group_left (name) b offset 5m and ignoring(le) c:rule:rate5m unless d" +
          ' or label_replace(e, "dst", "$1", "src", "(.*)") * 1e3',
      ),
      ["a_bucket", "b", "c:rule:rate5m", "d", "e"],
    );
    assert.deepEqual(referencedMetrics("sum without (instance) (rate(x[$__rate_interval]))"), [
      "x",
    ]);
  });

  it("leaves out what a rule file records itself", () => {
    const names = referencedMetrics({
      groups: [{
        name: "g",
        rules: [
          { record: "job:x:rate5m", expr: "sum by (job) (rate(x_total[5m]))" },
          { alert: "A", expr: "job:x:rate5m > 1 and y:other > 0" },
        ],
      }],
    });
    assert.deepEqual(names, ["x_total", "y:other"]);
  });

  it("reads a dashboard's panels, rows and variable queries", () => {
    const names = referencedMetrics({
      panels: [
        { type: "row", panels: [{ targets: [{ expr: "rate(a_total[1m])" }] }] },
        { targets: [{ expr: "b" }, { refId: "B" }] },
      ],
      templating: {
        list: [
          { type: "query", query: { query: "label_values(c_count, name)" } },
          { type: "query", query: "label_values(job)" },
          { type: "datasource", query: "prometheus" },
        ],
      },
    });
    assert.deepEqual(names, ["a_total", "b", "c_count"]);
  });

  it("refuses anything else", () => {
    assert.throws(() => referencedMetrics(3 as never), TypeError);
  });
});
