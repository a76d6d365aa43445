import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  counter,
  distribution,
  formatStatsdLine,
  lastValue,
  sum,
  summary,
} from "../../../src/metrics/mod.ts";

describe("formatStatsdLine", () => {
  it("writes each metric type in the standard and DogStatsD dialects", () => {
    const cases = [
      [counter("app.hit.count"), 1, "app.hit.count:1|c", "app.hit.count:1|c"],
      [sum("app.upload.bytes"), 512, "app.upload.bytes:512|c", "app.upload.bytes:512|c"],
      [lastValue("vm.memory.total"), 7.5, "vm.memory.total:7.5|g", "vm.memory.total:7.5|g"],
      [summary("app.req.duration"), 12, "app.req.duration:12|ms", "app.req.duration:12|h"],
      [distribution("app.req.latency"), 3, "app.req.latency:3|ms", "app.req.latency:3|d"],
    ] as const;
    for (const [metric, value, standard, datadog] of cases) {
      assert.equal(formatStatsdLine(metric, value, []), standard);
      assert.equal(formatStatsdLine(metric, value, [], { format: "standard" }), standard);
      assert.equal(formatStatsdLine(metric, value, [], { format: "datadog" }), datadog);
    }
  });

  it("appends tag values to the name (standard) or writes |#tag:value (DogStatsD)", () => {
    const metric = counter("http.request.count", { tags: ["method", "status"] });
    assert.equal(formatStatsdLine(metric, 1, ["GET", "200"]), "http.request.count.GET.200:1|c");
    assert.equal(
      formatStatsdLine(metric, 1, ["GET", "200"], { format: "datadog" }),
      "http.request.count:1|c|#method:GET,status:200",
    );
    assert.equal(formatStatsdLine(metric, 1, ["", "200"]), "http.request.count.nil.200:1|c");
  });

  it("adds the prefix and DogStatsD global tags", () => {
    const metric = counter("http.request.count", { tags: ["method"] });
    const options = { prefix: "shop", globalTags: { env: "prod" } };
    assert.equal(formatStatsdLine(metric, 1, ["GET"], options), "shop.http.request.count.GET:1|c");
    assert.equal(
      formatStatsdLine(metric, 1, ["GET"], { ...options, format: "datadog" }),
      "shop.http.request.count:1|c|#method:GET,env:prod",
    );
    assert.equal(
      formatStatsdLine(counter("a.b"), 1, [], { format: "datadog", globalTags: { env: "prod" } }),
      "a.b:1|c|#env:prod",
    );
  });

  it("replaces the characters StatsD reserves in names and tag values", () => {
    const metric = counter("app:x|y.count", { tags: ["t"] });
    const hostile = "a:b|c@d#e,f g\nh";
    assert.equal(formatStatsdLine(metric, 1, [hostile]), "app_x_y.count.a_b_c_d_e_f_g_h:1|c");
    assert.equal(
      formatStatsdLine(metric, 1, [hostile], { format: "datadog", globalTags: { "k|1": "v,2" } }),
      "app_x_y.count:1|c|#t:a_b_c_d_e_f_g_h,k_1:v_2",
    );
  });

  it("sets a negative standard gauge through zero, as plain StatsD reads a sign as a change", () => {
    const metric = lastValue("vm.balance");
    assert.equal(formatStatsdLine(metric, -5), "vm.balance:0|g\nvm.balance:-5|g");
    assert.equal(formatStatsdLine(metric, -5, [], { format: "datadog" }), "vm.balance:-5|g");
    assert.equal(formatStatsdLine(sum("a.b"), -5), "a.b:-5|c");
  });

  it("never writes exponent notation", () => {
    const metric = lastValue("a.b");
    assert.equal(formatStatsdLine(metric, 1e-7), "a.b:0.0000001|g");
    assert.equal(formatStatsdLine(metric, 1.5e-9), "a.b:0.0000000015|g");
    assert.equal(formatStatsdLine(metric, 1e21), "a.b:1000000000000000000000|g");
    assert.equal(formatStatsdLine(metric, 1e-30), "a.b:0|g");
    assert.equal(formatStatsdLine(metric, 0.25), "a.b:0.25|g");
  });
});
