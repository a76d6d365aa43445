/**
 * A tiny benchmark harness: medians over repeated samples, a baseline per
 * workload, and a markdown table. Numbers only; never assertions.
 *
 * @module
 */

/** One measured case: `run(n)` does `n` operations and returns a checksum. */
export interface BenchCase {
  /** Row label. */
  name: string;
  /** Performs `ops` operations; the return value keeps the work observable. */
  run(ops: number): number;
}

/** An asynchronous case: `run(n)` does `n` operations and resolves with a checksum. */
export interface AsyncBenchCase {
  /** Row label. */
  name: string;
  /** Performs `ops` operations. */
  run(ops: number): Promise<number>;
}

/** A measured case. */
export interface BenchResult {
  name: string;
  /** Median operations per second over the samples. */
  medianOpsPerSecond: number;
  /** Lowest and highest sample, ops/s. */
  min: number;
  max: number;
}

/** Which runtime runs this benchmark, with its version. */
export function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { version: string };
  };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${g.process?.version ?? "?"}`;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let sink = 0;

/**
 * Measures each case in interleaved rounds (so drift on a shared machine hits
 * every case alike): `samples` samples of about `sampleMs` each, after warm-up.
 */
export function measure(
  cases: BenchCase[],
  { samples = 9, sampleMs = 150, warmupMs = 300 } = {},
): BenchResult[] {
  const opsPerSample = cases.map((c) => calibrate(c, warmupMs, sampleMs));
  const rates: number[][] = cases.map(() => []);
  for (let s = 0; s < samples; s++) {
    cases.forEach((c, i) => {
      const ops = opsPerSample[i];
      const start = performance.now();
      sink ^= c.run(ops);
      const elapsed = performance.now() - start;
      rates[i].push(ops / (elapsed / 1000));
    });
  }
  if (sink === 0x7fffffff) console.log("");
  return cases.map((c, i) => ({
    name: c.name,
    medianOpsPerSecond: median(rates[i]),
    min: Math.min(...rates[i]),
    max: Math.max(...rates[i]),
  }));
}

/** {@linkcode measure} for asynchronous cases (same interleaving and medians). */
export async function measureAsync(
  cases: AsyncBenchCase[],
  { samples = 9, sampleMs = 150, warmupMs = 300 } = {},
): Promise<BenchResult[]> {
  const opsPerSample: number[] = [];
  for (const c of cases) {
    let ops = 64;
    let perOpMs = 0;
    const end = performance.now() + warmupMs;
    while (performance.now() < end) {
      const start = performance.now();
      sink ^= await c.run(ops);
      perOpMs = (performance.now() - start) / ops;
      if (perOpMs * ops < sampleMs / 4) ops *= 2;
    }
    opsPerSample.push(Math.max(64, Math.round(sampleMs / Math.max(perOpMs, 1e-9))));
  }
  const rates: number[][] = cases.map(() => []);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < cases.length; i++) {
      const ops = opsPerSample[i];
      const start = performance.now();
      sink ^= await cases[i].run(ops);
      rates[i].push(ops / ((performance.now() - start) / 1000));
    }
  }
  return cases.map((c, i) => ({
    name: c.name,
    medianOpsPerSecond: median(rates[i]),
    min: Math.min(...rates[i]),
    max: Math.max(...rates[i]),
  }));
}

/** Warms a case up and finds how many ops take about `sampleMs`. */
function calibrate(c: BenchCase, warmupMs: number, sampleMs: number): number {
  let ops = 1024;
  const end = performance.now() + warmupMs;
  let perOpMs = 0;
  while (performance.now() < end) {
    const start = performance.now();
    sink ^= c.run(ops);
    perOpMs = (performance.now() - start) / ops;
    if (perOpMs * ops < sampleMs / 4) ops *= 2;
  }
  return Math.max(1024, Math.round(sampleMs / Math.max(perOpMs, 1e-9)));
}

function formatRate(opsPerSecond: number): string {
  if (opsPerSecond >= 1e6) return `${(opsPerSecond / 1e6).toFixed(1)} M/s`;
  if (opsPerSecond >= 1e3) return `${(opsPerSecond / 1e3).toFixed(1)} k/s`;
  return `${opsPerSecond.toFixed(0)} /s`;
}

/** A markdown table of results, each with its ratio to the `baseline` row. */
export function table(title: string, results: BenchResult[], baseline: string): string {
  const base = results.find((r) => r.name === baseline);
  if (!base) throw new Error(`table: no baseline row named ${baseline}`);
  const lines = [
    `### ${title} — ${runtimeName()}`,
    "",
    "| case | median | min – max | vs baseline |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const r of results) {
    const ratio = r.medianOpsPerSecond / base.medianOpsPerSecond;
    lines.push(
      `| ${r.name}${r === base ? " (baseline)" : ""} | ${formatRate(r.medianOpsPerSecond)} | ${
        formatRate(r.min)
      } – ${formatRate(r.max)} | ${ratio.toFixed(2)}× |`,
    );
  }
  return lines.join("\n");
}
