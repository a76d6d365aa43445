/**
 * Read-heavy state: reads per second of one value through each way beamlet
 * offers to share it, and what a `persistentTerm.put` costs.
 *
 * - Reads: a `call` to a GenServer holding the value; a `lookup` (and a
 *   `get`) on a protected `set` Table owned by another process;
 *   `persistentTerm.get`; and, as baselines, a property read of a
 *   module-level object literal (what a user writes with no runtime at all)
 *   and a module-level `Map.get`. Every subject is read by reader processes
 *   — 1, then 100 — each doing up to 10 000 reads per message in its
 *   handler, with the same loop shape (the key changes every read and the
 *   values are summed into a result that is returned, so no read can be
 *   hoisted out of the loop). For reference, the 1-reader table also has
 *   calls made by host code outside any process.
 * - Puts: ns per `persistentTerm.put` replacing a term in a store of 10,
 *   1 000 and 10 000 terms, against `Map.set`.
 * - Targets (set for Node): a `lookup` on a protected set ≥ 20 M/s and
 *   ≥ 50× a `call` read; `persistentTerm.get` within 2× of a plain property
 *   read — each with 1 and with 100 readers.
 *
 * Run: `deno run bench/tables_bench.ts`, `bun bench/tables_bench.ts`,
 * `node npm/bench/tables_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { type Context, ok, reply, System } from "../mod.ts";
import { persistentTerm, Table } from "../tables.ts";
import {
  type AsyncBenchCase,
  type BenchResult,
  measureAsync,
  runtimeName,
  table,
} from "./_harness.ts";
import {
  type AsyncReadLoop,
  KEYS,
  type ReaderPool,
  readerPool,
  type ReadLoop,
} from "./_tables_bench_readers.ts";
import { measurePuts, putTable } from "./_tables_bench_put.ts";

/** The shared value, as a user would write it with no runtime: a module-level object. */
const PLAIN: Record<string, number> = { k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7 };
const MAP = new Map<string, number>(Object.entries(PLAIN));
for (const key of KEYS) persistentTerm.put(key, PLAIN[key]);

// One loop per subject, all of the same shape: only the read differs.
const propertyLoop: ReadLoop = (k, start) => {
  let acc = 0;
  for (let i = 0; i < k; i++) acc += PLAIN[KEYS[(start + i) & 7]];
  return acc;
};
const mapLoop: ReadLoop = (k, start) => {
  let acc = 0;
  for (let i = 0; i < k; i++) acc += MAP.get(KEYS[(start + i) & 7])!;
  return acc;
};
const termLoop: ReadLoop = (k, start) => {
  let acc = 0;
  for (let i = 0; i < k; i++) acc += persistentTerm.get<number>(KEYS[(start + i) & 7]);
  return acc;
};

const system = new System({ logger: null });
const holder = await system.start({
  init: () => ok(PLAIN),
  handleCall: (key: string, _from, state: Record<string, number>) => reply(state[key], state),
});
// The same rows in a protected set owned by a process that is none of the readers.
const owner = await system.start({ init: () => ok(null) });
const TABLE = new Table<[string, number]>(system, { owner, type: "set", access: "protected" });
for (const key of KEYS) TABLE.insert([key, PLAIN[key]]);
const lookupLoop: ReadLoop = (k, start) => {
  let acc = 0;
  for (let i = 0; i < k; i++) acc += TABLE.lookup(KEYS[(start + i) & 7])[0][1];
  return acc;
};
const tableGetLoop: ReadLoop = (k, start) => {
  let acc = 0;
  for (let i = 0; i < k; i++) acc += TABLE.get(KEYS[(start + i) & 7])![1];
  return acc;
};

const callLoop: AsyncReadLoop = async (k, start, ctx: Context) => {
  let acc = 0;
  for (let i = 0; i < k; i++) acc += await ctx.call<number>(holder, KEYS[(start + i) & 7]);
  return acc;
};

const BASELINE = "plain property read";
const LOOKUP = "Table lookup (protected set)";
const CALL = "GenServer call";
const OUTSIDE = "GenServer call from outside any process";
/** Host code awaiting calls: how the issue measured a call read (193 k/s then). */
const fromOutside: AsyncBenchCase = {
  name: OUTSIDE,
  async run(ops) {
    let acc = 0;
    for (let i = 0; i < ops; i++) acc += await system.call<number>(holder, KEYS[i & 7]);
    return acc;
  },
};
const readResults = new Map<number, BenchResult[]>();
for (const readers of [1, 100]) {
  const pools: ReaderPool[] = [
    await readerPool(system, BASELINE, readers, propertyLoop, false),
    await readerPool(system, "module-level Map.get", readers, mapLoop, false),
    await readerPool(system, "persistentTerm.get", readers, termLoop, false),
    await readerPool(system, LOOKUP, readers, lookupLoop, false),
    await readerPool(system, "Table get (protected set)", readers, tableGetLoop, false),
    await readerPool(system, CALL, readers, callLoop, true),
  ];
  const results = await measureAsync(readers === 1 ? [...pools, fromOutside] : pools);
  readResults.set(readers, results);
  const plural = readers === 1 ? "" : "es";
  console.log(table(`Reads of one value, ${readers} reader process${plural}`, results, BASELINE));
  let least = Infinity;
  for (const pool of pools) {
    const batches = await pool.batches();
    if (batches.length !== readers || batches.some((n) => n === 0)) {
      throw new Error(`${pool.name}: a reader process handled no reads`);
    }
    least = Math.min(least, ...batches);
  }
  console.log(
    `\nEach case ran in ${readers} reader process${plural}, each of which handled reads ` +
      `(at least ${least} batches of up to 10 000 reads).\n`,
  );
}

console.log(putTable(measurePuts()));
console.log("");

const rate = (readers: number, name: string) =>
  readResults.get(readers)!.find((r) => r.name === name)!.medianOpsPerSecond;
const format = (perSecond: number) => `${(perSecond / 1e6).toFixed(1)} M/s`;
const targets: [string, string, boolean][] = [];
for (const readers of [1, 100]) {
  const of = `(${readers} reader${readers === 1 ? "" : "s"})`;
  const lookups = rate(readers, LOOKUP);
  const overCall = lookups / rate(readers, CALL);
  targets.push([
    `Table lookup on a protected set ≥ 20 M/s ${of}`,
    format(lookups),
    lookups >= 20e6,
  ]);
  targets.push([`Table lookup ≥ 50× a call read ${of}`, `${overCall.toFixed(0)}×`, overCall >= 50]);
  const ratio = rate(readers, BASELINE) / rate(readers, "persistentTerm.get");
  targets.push([
    `persistentTerm.get within 2× of a plain property read ${of}`,
    `a get takes ${ratio.toFixed(2)}× a property read`,
    ratio <= 2,
  ]);
}
console.log(
  [
    `### Targets (set for Node) — ${runtimeName()}`,
    "",
    "| target | measured | met |",
    "| --- | ---: | :---: |",
    ...targets.map(([target, measured, met]) =>
      `| ${target} | ${measured} | ${met ? "met" : "not met"} |`
    ),
  ].join("\n"),
);
const outside = rate(1, LOOKUP) / rate(1, OUTSIDE);
console.log(
  `\nFor reference: a lookup is ${outside.toFixed(0)}× a call read made from outside any ` +
    `process (host code awaiting \`system.call\`), the way the issue measured calls.\n`,
);
system.shutdown();
