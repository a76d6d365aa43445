/**
 * The cost of `persistentTerm.put` by store size, for bench/tables_bench.ts
 * (private: not a benchmark).
 *
 * Each case fills the store with `terms` terms, then replaces one of them
 * with a new value per operation (every put a real change: copy the key
 * table, bump the version). The baseline is `Map.set` on a Map of as many
 * entries — a store with no snapshot, no version and no listeners.
 *
 * @module
 */

import { persistentTerm } from "../tables.ts";
import { type BenchResult, measure, runtimeName } from "./_harness.ts";

/** The store sizes measured. */
export const PUT_SIZES: readonly number[] = [10, 1_000, 10_000];

/** One row: ns per put at a store size, against `Map.set` at the same size. */
export interface PutRow {
  readonly terms: number;
  readonly putNs: number;
  readonly mapSetNs: number;
}

/** Measures the put rows (the store holds `terms` extra terms during each). */
export function measurePuts(): PutRow[] {
  const rows: PutRow[] = [];
  for (const terms of PUT_SIZES) {
    const prefix = `bench:put:${terms}:`;
    for (let i = 0; i < terms; i++) persistentTerm.put(prefix + i, { i });
    const map = new Map<string, unknown>();
    for (let i = 0; i < terms; i++) map.set(prefix + i, { i });
    const key = prefix + (terms >> 1);
    const [put, set] = measure([
      {
        name: "persistentTerm.put",
        run(ops) {
          for (let i = 0; i < ops; i++) persistentTerm.put(key, i);
          return persistentTerm.version;
        },
      },
      {
        name: "Map.set",
        run(ops) {
          for (let i = 0; i < ops; i++) map.set(key, i);
          return map.size;
        },
      },
    ], { samples: 5, sampleMs: 100, warmupMs: 200 });
    for (let i = 0; i < terms; i++) persistentTerm.erase(prefix + i);
    rows.push({ terms, putNs: nsPer(put), mapSetNs: nsPer(set) });
  }
  return rows;
}

function nsPer(result: BenchResult): number {
  return 1e9 / result.medianOpsPerSecond;
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

/** The put rows as a markdown table. */
export function putTable(rows: readonly PutRow[]): string {
  return [
    `### persistentTerm.put (replace one term) — ${runtimeName()}`,
    "",
    "| terms in the store | put | per term | Map.set (baseline) | put / Map.set |",
    "| ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) =>
      `| ${r.terms.toLocaleString("en")} | ${formatNs(r.putNs)} | ${
        (r.putNs / r.terms).toFixed(1)
      } ns | ${formatNs(r.mapSetNs)} | ${(r.putNs / r.mapSetNs).toFixed(0)}× |`
    ),
  ].join("\n");
}
