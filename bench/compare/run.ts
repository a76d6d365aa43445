/**
 * Runs the comparison's workloads on this runtime: beamlet against the
 * hand-written actor system (bench/compare/_baseline.ts), interleaved in this
 * one process. bench/compare/main.ts runs it on Deno, Bun and Node and joins
 * the BEAM's and the peers' numbers; run it alone to look at one runtime.
 *
 * Run: `deno run -A --v8-flags=--expose-gc bench/compare/run.ts`,
 * `bun bench/compare/run.ts`, `node --expose-gc npm/bench/compare/run.js`
 * (after `npm run build:npm`). Flags:
 *
 * - `--quick`: fewer, shorter samples;
 * - `--json`: print the rows as JSON instead of a markdown table;
 * - `--only=id,id`: only these workloads (`cast`, `call_outside`,
 *   `call_between`, `ping_pong`, `ring`, `spawn_exit`, `fairness`,
 *   `overload`, `metrics`);
 * - `--no-peers`: leave the peers (bench/peers, when installed) out;
 * - `--idle=beamlet|baseline --n=N`: only the idle-memory measurement of one
 *   side, with N processes (JSON), meant for a fresh process.
 *
 * @module
 */

import process from "node:process";
import { runtimeName } from "../_harness.ts";
import { castRow } from "./_cast.ts";
import { callBetweenRow, callOutsideRows } from "./_call.ts";
import { pingPongRow, ringRow } from "./_message_passing.ts";
import { spawnExitRows } from "./_spawn_exit.ts";
import { fairnessRow } from "./_fairness.ts";
import { overloadRow } from "./_overload.ts";
import { metricsRow } from "./_metrics.ts";
import { idleMemory } from "./_idle_memory.ts";
import { type Row, type Settings, settings } from "./_row.ts";
import { runtimeTable } from "./_table.ts";
import { loadPeers, type Peer } from "../peers/peers.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];

const WORKLOADS: [string, (s: Settings, peers: Peer[]) => Promise<Row | Row[]>][] = [
  ["cast", castRow],
  ["call_outside", callOutsideRows],
  ["call_between", callBetweenRow],
  ["ping_pong", pingPongRow],
  ["ring", ringRow],
  ["spawn_exit", spawnExitRows],
  ["fairness", fairnessRow],
  ["overload", overloadRow],
  ["metrics", metricsRow], // last: see _metrics.ts
];

const idle = flag("idle");
if (idle === "beamlet" || idle === "baseline") {
  console.log(JSON.stringify(await idleMemory(idle, Number(flag("n") ?? 100_000))));
} else {
  const s = settings(args);
  const only = flag("only")?.split(",");
  const peers = args.includes("--no-peers") ? [] : await loadPeers();
  const rows: Row[] = [];
  for (const [id, workload] of WORKLOADS) {
    if (only && !only.includes(id)) continue;
    const started = performance.now();
    rows.push(...[await workload(s, peers)].flat());
    console.error(
      `${runtimeName()}: ${id} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  if (args.includes("--json")) console.log(JSON.stringify({ runtime: runtimeName(), rows }));
  else console.log(runtimeTable(runtimeName(), rows));
}
// Idle systems keep no timers, but a stray one must not keep the runtime alive.
process.exit(0);
