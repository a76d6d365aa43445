/**
 * The Cloudflare Workers example in workerd (miniflare on 127.0.0.1), per
 * core — precompiled WebAssembly modules, and the reference core: the
 * bundle's size (minified, gzipped), the cold start (a fresh isolate's
 * first request: module load, System, supervision tree, and the answer),
 * and p50 / p99 of 1000 requests at concurrency 50: synchronous calls to a
 * GenServer (`/count`), and calls to one whose handler awaits 2 ms
 * (`/session/:id`: one process, so the requests queue behind each other,
 * as they would behind any single owner). The same load on `/beamlet/health`
 * (no process involved) is the in-run baseline: what workerd and
 * miniflare's proxy cost. Numbers only; never assertions.
 *
 * Run: `npm run build:npm && node npm/bench/workers_bench.js`.
 *
 * @module
 */

import { bundleWorker, MIN_COMPATIBILITY_DATE, startWorker } from "../e2e/_workers.ts";

const REQUESTS = 1000;
const CONCURRENCY = 50;
const ROUNDS = 3;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function load(
  fetch: (path: string) => Promise<Response>,
  pathOf: (i: number) => string,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    for (let i = next++; i < REQUESTS; i = next++) {
      const start = performance.now();
      const response = await fetch(pathOf(i));
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${pathOf(i)}: ${response.status}`);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  return latencies.sort((a, b) => a - b);
}

const fmt = (ms: number) => ms.toFixed(2);
const rows: string[] = [];
for (const core of ["wasm", "reference"] as const) {
  const bundle = await bundleWorker(core);
  const cold: number[] = [];
  const sync: number[][] = [];
  const awaiting: number[][] = [];
  const plain: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const worker = await startWorker(bundle, MIN_COMPATIBILITY_DATE);
    try {
      const start = performance.now();
      const first = await worker.fetch("/");
      await first.arrayBuffer();
      cold.push(performance.now() - start);
      plain.push(await load(worker.fetch, () => "/beamlet/health"));
      sync.push(await load(worker.fetch, () => "/count"));
      awaiting.push(await load(worker.fetch, (i) => `/session/s${i % 10}`));
    } finally {
      await worker.dispose();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const p = (runs: number[][], q: number) => median(runs.map((r) => quantile(r, q)));
  const wasmBytes = bundle.wasm.reduce((sum, m) => sum + m.contents.length, 0);
  rows.push(
    `| ${core} | ${(bundle.bytes / 1024).toFixed(1)} kB / ${
      (bundle.gzipBytes / 1024).toFixed(1)
    } kB gz${wasmBytes > 0 ? ` + ${(wasmBytes / 1024).toFixed(1)} kB wasm` : ""} | ${
      fmt(median(cold))
    } | ${fmt(p(sync, 0.5))} / ${fmt(p(sync, 0.99))} | ${fmt(p(awaiting, 0.5))} / ${
      fmt(p(awaiting, 0.99))
    } | ${fmt(p(plain, 0.5))} / ${fmt(p(plain, 0.99))} |`,
  );
}

console.log(
  `workerd (miniflare), compatibility date ${MIN_COMPATIBILITY_DATE}; ${REQUESTS} requests at ` +
    `concurrency ${CONCURRENCY}, median of ${ROUNDS} fresh isolates\n`,
);
console.log(
  "| core | bundle (minified / gzipped) | cold start ms | sync call p50 / p99 ms | awaiting call p50 / p99 ms | /health p50 / p99 ms (baseline) |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
