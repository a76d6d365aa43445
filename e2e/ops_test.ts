/**
 * The shipped rules and dashboards against a real `/metrics`: the demo
 * runs, and every metric name read by every expression of
 * `ops/prometheus/beamlet_rules.yml` and every query of
 * `ops/grafana/beamlet.json` and `ops/grafana/demo.json` is a series of its
 * scrape (a family, or a histogram's `_bucket` / `_sum` / `_count`), or —
 * for metrics the demo's run has not fed yet (mailbox drops, shedding, ...)
 * — the name `prometheusText` gives a metric the app defines (each is
 * listed by `beamlet_metrics_skipped_samples_total{metric}`). The SLO
 * series the burn-rate rules read must be there, for both outcomes. Then a
 * real Prometheus loads the committed rules, scrapes the demo every second,
 * and evaluates every group healthily: the recorded SLO error ratios and
 * p99 latencies come out as series.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { referencedMetrics } from "../ops.ts";
import { type Demo, startDemo } from "./_demo.ts";
import { repoPath } from "./_repo.ts";
import { freePort, waitFor } from "./_wait.ts";
import { type Child, startChild } from "./_child.ts";
import { skipUnless } from "./_requirement.ts";

const PROMETHEUS = "/usr/bin/prometheus";

/** The `expr` values of a rule file written by `rulesYaml` (quoted, or a literal block). */
function ruleExpressions(yaml: string): string[] {
  const lines = yaml.split("\n");
  const exprs: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)(?:- )?expr: (.*)$/.exec(lines[i]);
    if (match === null) continue;
    const value = match[2];
    if (value === "|-") {
      const block: string[] = [];
      const indent = match[1].length + (lines[i].trimStart().startsWith("- ") ? 2 : 0);
      while (i + 1 < lines.length && (lines[i + 1] === "" || lines[i + 1].search(/\S/) > indent)) {
        block.push(lines[++i].trim());
      }
      exprs.push(block.join("\n"));
    } else if (value.startsWith("'")) {
      exprs.push(value.slice(1, -1).replaceAll("''", "'"));
    } else {
      exprs.push(JSON.parse(value));
    }
  }
  return exprs;
}

/** Families of a scrape, and the series names each holds. */
function scraped(text: string): { series: Set<string>; defined: Set<string> } {
  const series = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, family, type] = match;
    series.add(family);
    if (type === "histogram") series.add(family + "_bucket");
    if (type === "histogram" || type === "summary") {
      series.add(family + "_sum");
      series.add(family + "_count");
    }
  }
  const defined = new Set<string>();
  for (
    const match of text.matchAll(/^beamlet_metrics_skipped_samples_total\{metric="([^"]+)"\}/gm)
  ) {
    defined.add(match[1].replace(/[^a-zA-Z0-9_]/g, "_"));
  }
  return { series, defined };
}

/** Whether `name` is what prometheusText names a defined (dotted, sanitized) metric. */
function namesDefined(name: string, defined: ReadonlySet<string>): boolean {
  for (const base of defined) {
    if (!name.startsWith(base)) continue;
    if (/^(_seconds|_bytes)?(_total|_bucket|_sum|_count)?$/.test(name.slice(base.length))) {
      return true;
    }
  }
  return false;
}

describe("ops rules and dashboards against the demo's /metrics", () => {
  let demo: Demo | undefined;
  let prometheus: Child | undefined;
  let dir = "";

  before(async () => {
    demo = await startDemo(120);
  });

  after(async () => {
    await prometheus?.stop();
    await demo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function scrape(): Promise<string> {
    const response = await fetch(`${demo!.base}/metrics`, {
      headers: { authorization: `Bearer ${demo!.token}` },
    });
    assert.equal(response.status, 200);
    return await response.text();
  }

  it("every metric a rule or a dashboard query reads is exposed", async () => {
    const rules = ruleExpressions(
      readFileSync(repoPath("ops/prometheus/beamlet_rules.yml"), "utf8"),
    );
    assert.ok(rules.length >= 20, `${rules.length} rule expressions`);
    const referenced = new Map<string, string>(); // name → where
    const recorded = new Set<string>();
    for (
      const match of readFileSync(repoPath("ops/prometheus/beamlet_rules.yml"), "utf8")
        .matchAll(/^\s*- record: '?([^'\n]+)'?$/gm)
    ) recorded.add(match[1]);
    for (const expr of rules) {
      for (const name of referencedMetrics(expr)) referenced.set(name, "beamlet_rules.yml");
    }
    for (const file of ["beamlet.json", "demo.json"]) {
      const dashboard = JSON.parse(readFileSync(repoPath("ops/grafana", file), "utf8"));
      for (const name of referencedMetrics(dashboard)) referenced.set(name, file);
    }
    for (const name of referenced.keys()) {
      if (name.includes(":")) assert.ok(recorded.has(name), `${name} is recorded by no rule`);
    }
    const wanted = [...referenced.keys()].filter((name) => !name.includes(":"));

    // The demo feeds most metrics within seconds (its first burst is at 8 s); wait for them.
    let last = { series: new Set<string>(), defined: new Set<string>() };
    await waitFor("the SLO samples and the usual series", async () => {
      last = scraped(await scrape());
      return ["beamlet_slo_samples_count_total", "beamlet_call_stop_duration_seconds_bucket"]
          .every((name) => last.series.has(name)) &&
          wanted.filter((n) => !last.series.has(n)).length <= 12
        ? true
        : undefined;
    }, { timeoutMs: 45_000, everyMs: 1000 }).catch(() => undefined);
    const absent = wanted.filter((name) => !last.series.has(name));
    const unknown = absent.filter((name) => !namesDefined(name, last.defined));
    assert.deepEqual(
      unknown.map((name) => `${name} (${referenced.get(name)})`),
      [],
      "names read by the rules or dashboards that /metrics neither exposes nor defines",
    );
    if (absent.length > 0) console.log(`defined, no sample yet in this run: ${absent.join(", ")}`);
    assert.ok(
      absent.length * 3 <= wanted.length,
      `most names must be live in the scrape; absent: ${absent.join(", ")}`,
    );
  });

  it("exposes the SLO samples the burn-rate rules read, for both outcomes", async () => {
    const text = await scrape();
    for (const outcome of ["good", "bad"]) {
      assert.match(
        text,
        new RegExp(
          `^beamlet_slo_samples_count_total\\{slo="session-call-p95",outcome="${outcome}"\\} \\d+$`,
          "m",
        ),
      );
    }
  });

  it("a real Prometheus evaluates every rule group healthily", {
    skip: skipUnless("prometheus", PROMETHEUS),
  }, async () => {
    dir = mkdtempSync(join(tmpdir(), "beamlet-e2e-ops-"));
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "  evaluation_interval: 1s",
      "rule_files:",
      `  - ${repoPath("ops/prometheus/beamlet_rules.yml")}`,
      "scrape_configs:",
      "  - job_name: demo",
      "    authorization:",
      "      type: Bearer",
      `      credentials: ${demo!.token}`,
      "    static_configs:",
      `      - targets: ["127.0.0.1:${demo!.port}"]`,
      "",
    ].join("\n");
    writeFileSync(join(dir, "prometheus.yml"), config);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    prometheus = startChild(PROMETHEUS, [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ]);
    const api = async (path: string) => {
      const response = await fetch(base + path);
      const body = await response.json() as { status: string; data: unknown };
      assert.equal(body.status, "success", JSON.stringify(body));
      return body.data;
    };
    interface Rule {
      name: string;
      health: string;
      lastError?: string;
      lastEvaluation: string;
    }
    type Groups = { groups: { name: string; rules: Rule[] }[] };
    const groups = await waitFor("every rule evaluated", async () => {
      const data = await api("/api/v1/rules") as Groups;
      const rules = data.groups.flatMap((g) => g.rules);
      return rules.length > 0 && rules.every((r) => !r.lastEvaluation.startsWith("0001"))
        ? data
        : undefined;
    }, { timeoutMs: 30_000, everyMs: 500 }).catch((error) => {
      throw new Error(`${error.message}\nprometheus output:\n${prometheus!.output()}`);
    });
    assert.deepEqual(groups.groups.map((g) => g.name).sort(), [
      "beamlet.alerts",
      "beamlet.recording",
      "beamlet.slo.alerts",
      "beamlet.slo.recording",
    ]);
    for (const rule of groups.groups.flatMap((g) => g.rules)) {
      assert.equal(rule.health, "ok", `${rule.name}: ${rule.lastError}`);
    }
    // The recorded series come out of the demo's real samples.
    type Vector = { metric: Record<string, string>; value: [number, string] }[];
    const query = async (promql: string) =>
      ((await api(`/api/v1/query?query=${encodeURIComponent(promql)}`)) as { result: Vector })
        .result;
    const ratios = await waitFor("the SLO error ratios", async () => {
      const result = await query('job_slo:beamlet_slo_errors:ratio_rate5m{job="demo"}');
      return result.length === 2 ? result : undefined;
    }, { timeoutMs: 30_000, everyMs: 1000 });
    assert.deepEqual(ratios.map((r) => r.metric.slo).sort(), [
      "orders-mailbox-age",
      "session-call-p95",
    ]);
    for (const { value } of ratios) {
      const ratio = Number(value[1]);
      assert.ok(Number.isNaN(ratio) || (ratio >= 0 && ratio <= 1), `ratio ${value[1]}`);
    }
    const p99 = await waitFor("p99 call latencies by name", async () => {
      const result = await query("job_instance_name:beamlet_call_handling_seconds:p99_rate5m");
      return result.length > 0 ? result : undefined;
    }, { timeoutMs: 30_000, everyMs: 1000 });
    assert.ok(p99.every((r) => r.metric.job === "demo" && typeof r.metric.name === "string"));
  });
});
