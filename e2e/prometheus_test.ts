/**
 * Prometheus scrapes the demo: a real `prometheus` with a Bearer token
 * scrapes the demo's `/metrics` every second, and beamlet's series show up
 * in its query API under the job and instance of the scrape config — the
 * demo's `rate_limits` table among them, its reads and writes as counters
 * that `rate()` reads, and its `audit` pipeline (acks and failures as
 * counters, batch sizes as a histogram, each stage's demand and throughput).
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Child, startChild } from "./_child.ts";
import { type Demo, startDemo } from "./_demo.ts";
import { skipUnless } from "./_requirement.ts";
import { freePort, waitFor } from "./_wait.ts";

const PROMETHEUS = "/usr/bin/prometheus";
const skip = skipUnless("prometheus", PROMETHEUS);

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe("Prometheus scraping the demo", { skip }, () => {
  let demo: Demo | undefined;
  let prometheus: Child | undefined;
  let promBase = "";
  let dir = "";

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "beamlet-e2e-prom-"));
    demo = await startDemo();
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "scrape_configs:",
      "  - job_name: beamlet",
      "    metrics_path: /metrics",
      "    authorization:",
      "      type: Bearer",
      `      credentials: ${demo.token}`,
      "    static_configs:",
      `      - targets: ["127.0.0.1:${demo.port}"]`,
      "",
    ].join("\n");
    const configFile = join(dir, "prometheus.yml");
    writeFileSync(configFile, config);
    const port = await freePort();
    promBase = `http://127.0.0.1:${port}`;
    prometheus = startChild(PROMETHEUS, [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ]);
  });

  after(async () => {
    await prometheus?.stop();
    await demo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<Sample[]> {
    const response = await fetch(`${promBase}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = await response.json() as { status: string; data: { result: Sample[] } };
    assert.equal(body.status, "success", JSON.stringify(body));
    return body.data.result;
  }

  it("scrapes beamlet's series with the job and instance of the config", async () => {
    const instance = `127.0.0.1:${demo!.port}`;
    const up = await waitFor("up{job=beamlet} == 1", async () => {
      const result = await query('up{job="beamlet"}');
      return result.length === 1 && result[0].value[1] === "1" ? result[0] : undefined;
    }, { timeoutMs: 30_000, everyMs: 500 }).catch((error) => {
      throw new Error(`${error.message}\nprometheus output:\n${prometheus!.output()}`);
    });
    assert.equal(up.metric.instance, instance);

    const targets = await (await fetch(`${promBase}/api/v1/targets`)).json() as {
      data: {
        activeTargets: { health: string; lastError: string; labels: Record<string, string> }[];
      };
    };
    const target = targets.data.activeTargets.find((t) => t.labels.job === "beamlet");
    assert.ok(target, "the beamlet target is active");
    assert.equal(target.health, "up");
    assert.equal(target.lastError, "");

    const started = await waitFor("beamlet_process_start_count_total", async () => {
      const result = await query('beamlet_process_start_count_total{job="beamlet"}');
      return result.length > 0 ? result : undefined;
    }, { timeoutMs: 15_000 });
    for (const sample of started) {
      assert.equal(sample.metric.job, "beamlet");
      assert.equal(sample.metric.instance, instance);
      assert.ok(Number(sample.value[1]) > 0, `processes started: ${sample.value[1]}`);
    }

    // A histogram with the adapter's default tag, and an SLO-free gauge.
    const calls = await waitFor("beamlet call durations", async () => {
      const result = await query(
        'sum by (job, instance) (beamlet_call_stop_duration_seconds_count{job="beamlet"})',
      );
      return result.length > 0 && Number(result[0].value[1]) > 0 ? result : undefined;
    }, { timeoutMs: 15_000 });
    assert.equal(calls[0].metric.instance, instance);
    const names = await query('count by (__name__) ({job="beamlet", __name__=~"beamlet_.+"})');
    const metricNames = names.map((sample) => sample.metric.__name__);
    for (
      const expected of [
        "beamlet_scheduler_slice_utilization",
        "beamlet_system_table_size_processes",
      ]
    ) {
      assert.ok(metricNames.includes(expected), `${expected} in ${metricNames.join(", ")}`);
    }
  });

  it("scrapes the demo's rate_limits table: gauges, and counters rate() reads", async () => {
    const table = 'table="rate_limits", job="beamlet"';
    const size = await waitFor("beamlet_table_stats_size", async () => {
      const result = await query(`beamlet_table_stats_size{${table}}`);
      return result.length === 1 ? result[0] : undefined;
    }, { timeoutMs: 30_000 });
    assert.ok(Number(size.value[1]) >= 0);
    const memory = await query(`beamlet_table_stats_memory_bytes{${table}}`);
    assert.equal(memory.length, 1);
    // Counters: the limiter writes on every order, the load generator reads before each.
    for (const counter of ["reads", "writes"]) {
      const rate = await waitFor(`rate(beamlet_table_stats_${counter}_total)`, async () => {
        const result = await query(`rate(beamlet_table_stats_${counter}_total{${table}}[5s])`);
        return result.length === 1 && Number(result[0].value[1]) > 0 ? result[0] : undefined;
      }, { timeoutMs: 30_000 });
      assert.equal(rate.metric.table, "rate_limits");
    }
    const metadata = await (await fetch(
      `${promBase}/api/v1/metadata?metric=beamlet_table_stats_reads_total`,
    )).json() as { data: Record<string, { type: string }[]> };
    assert.equal(metadata.data.beamlet_table_stats_reads_total?.[0]?.type, "counter");
  });

  it("scrapes the demo's audit pipeline: acks, batch sizes and its stages", async () => {
    const pipeline = 'pipeline="audit", job="beamlet"';
    const acked = await waitFor("rate(beamlet_pipeline_acked_total)", async () => {
      const result = await query(`rate(beamlet_pipeline_acked_total{${pipeline}}[5s])`);
      return result.length === 1 && Number(result[0].value[1]) > 0 ? result[0] : undefined;
    }, { timeoutMs: 30_000 });
    assert.equal(acked.metric.pipeline, "audit");
    // One record in 50 is failed by its processor.
    await waitFor("beamlet_pipeline_failed_total", async () => {
      const result = await query(`beamlet_pipeline_failed_total{${pipeline}}`);
      return result.length === 1 && Number(result[0].value[1]) > 0 ? result : undefined;
    }, { timeoutMs: 30_000 });
    const batches = await waitFor("beamlet_pipeline_batch_size_count", async () => {
      const result = await query(`beamlet_pipeline_batch_size_count{${pipeline}}`);
      return result.length === 1 && Number(result[0].value[1]) > 0 ? result[0] : undefined;
    }, { timeoutMs: 30_000 });
    assert.equal(batches.metric.batcher, "store");
    const roles = await waitFor("beamlet_stage_demand by role", async () => {
      const result = await query(`count by (role) (beamlet_stage_demand{${pipeline}})`);
      return result.length === 4 ? result : undefined;
    }, { timeoutMs: 30_000 });
    assert.deepEqual(
      roles.map((sample) => sample.metric.role).sort(),
      ["batch_processor", "batcher", "processor", "producer"],
    );
    const out = await waitFor("rate(beamlet_stage_events_out_total)", async () => {
      const result = await query(
        `rate(beamlet_stage_events_out_total{${pipeline}, role="producer"}[5s])`,
      );
      return result.length === 1 && Number(result[0].value[1]) > 0 ? result[0] : undefined;
    }, { timeoutMs: 30_000 });
    assert.equal(out.metric.role, "producer");
    const metadata = await (await fetch(
      `${promBase}/api/v1/metadata?metric=beamlet_pipeline_batch_size`,
    )).json() as { data: Record<string, { type: string }[]> };
    assert.equal(metadata.data.beamlet_pipeline_batch_size?.[0]?.type, "histogram");
  });
});
