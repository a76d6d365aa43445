/**
 * `npm run bench:compare`: runs bench/compare/run.ts on Deno, Bun and Node
 * (Node on the npm build, compiled first), the idle-memory measurement in a
 * fresh process per side, the BEAM's version of the workloads
 * (bench/compare/beam/bench.erl, one scheduler) when `erl` is installed, and
 * the peers (bench/peers) when installed; writes one markdown table per
 * runtime to bench/compare/RESULTS.md with the machine and the date.
 *
 * Flags: `--quick` (fewer, shorter samples; 100,000 idle processes instead of
 * 1,000,000), `--runtimes=deno,bun,node,beam` (a subset), `--n=N` (idle
 * processes), `--out=FILE` (default bench/compare/RESULTS.md; `-` prints
 * only). A runtime that is not installed is skipped and said so.
 *
 * @module
 */

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { Row, Stat } from "./_row.ts";
import { type Column, runtimeTable } from "./_table.ts";
import type { IdleMemory } from "./_idle_memory.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const quick = args.includes("--quick");
const runtimes = (flag("runtimes") ?? "deno,bun,node,beam").split(",");
const idleN = Number(flag("n") ?? (quick ? 100_000 : 1_000_000));
const out = flag("out") ?? `${root}bench/compare/RESULTS.md`;
const denoBin = (globalThis as { Deno?: { execPath(): string } }).Deno?.execPath() ?? "deno";

/** Runs a command in the repository root: its stdout, or undefined (and why, on stderr). */
function run(command: string, commandArgs: string[], timeoutMs = 600_000): string | undefined {
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? `exit code ${result.status}`;
    console.error(`bench:compare: ${command} ${commandArgs.join(" ")}: ${why}`);
    return undefined;
  }
  return result.stdout;
}

function version(command: string, commandArgs: string[]): string | undefined {
  try {
    return execFileSync(command, commandArgs, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    })
      .trim();
  } catch {
    return undefined;
  }
}

interface Runtime {
  name: string;
  /** The command and its arguments before the script's. */
  command: [string, string[]];
  script: string;
}

const RUNTIMES: Record<string, Runtime> = {
  deno: {
    name: "deno",
    command: [denoBin, ["run", "-A", "--v8-flags=--expose-gc"]],
    script: "bench/compare/run.ts",
  },
  bun: { name: "bun", command: ["bun", []], script: "bench/compare/run.ts" },
  node: { name: "node", command: ["node", ["--expose-gc"]], script: "npm/bench/compare/run.js" },
};

const stat = (value: number): Stat => ({ median: value, min: value, max: value });

/** The idle-memory rows of one runtime: each side in a fresh process. */
function idleRows(rt: Runtime): Row[] {
  const sides: Partial<Record<"beamlet" | "baseline", IdleMemory>> = {};
  for (const side of ["baseline", "beamlet"] as const) {
    const [command, pre] = rt.command;
    const stdout = run(command, [...pre, rt.script, `--idle=${side}`, `--n=${idleN}`]);
    if (stdout) sides[side] = JSON.parse(stdout.trim().split("\n").pop()!) as IdleMemory;
  }
  const { beamlet, baseline } = sides;
  if (!beamlet || !baseline) return [];
  const n = idleN.toLocaleString("en-US");
  return [
    {
      id: "idle_heap",
      workload: `heap per idle GenServer (N = ${n})`,
      unit: "bytes",
      beamlet: stat(beamlet.heapBytes),
      baseline: stat(baseline.heapBytes),
      note: `JS heap after a full GC${beamlet.gc ? "" : " (no GC exposed: garbage included)"}; ` +
        `external memory (where the runtime counts array buffers) ${
          Math.round(beamlet.externalBytes)
        } B more per beamlet process`,
    },
    {
      id: "idle_rss",
      workload: `RSS per idle process (N = ${n})`,
      unit: "bytes",
      beamlet: stat(beamlet.rssBytes),
      baseline: stat(baseline.rssBytes),
      note: `${n} idle beamlet processes: ${
        Math.round(beamlet.rssBytes * idleN / 1e6).toLocaleString("en-US")
      } MB of RSS`,
    },
  ];
}

/** One runtime's rows, or undefined when it is not installed. */
function runtimeRows(rt: Runtime): { runtime: string; rows: Row[] } | undefined {
  const [command, pre] = rt.command;
  if (!version(command, ["--version"])) {
    console.error(`bench:compare: ${rt.name} is not installed: skipped`);
    return undefined;
  }
  console.error(`bench:compare: ${rt.name}…`);
  const stdout = run(command, [...pre, rt.script, "--json", ...(quick ? ["--quick"] : [])]);
  if (!stdout) return undefined;
  const result = JSON.parse(stdout.trim().split("\n").pop()!) as { runtime: string; rows: Row[] };
  const rows = result.rows;
  // The idle rows go after spawn + exit, as in the issue's table.
  const at = rows.findIndex((r) => r.id === "fairness");
  rows.splice(at < 0 ? rows.length : at, 0, ...idleRows(rt));
  return { runtime: result.runtime, rows };
}

/** The BEAM's rows by id, or undefined when `erl` is not installed. */
function beamColumn():
  | { column: Column; notes: Record<string, string>; version: string }
  | undefined {
  const otp = version("erl", [
    "-noshell",
    "-eval",
    'io:format("OTP ~s, erts ~s", [erlang:system_info(otp_release), erlang:system_info(version)]), halt().',
  ]);
  if (!otp) {
    console.error("bench:compare: erl is not installed (apt-get install erlang-nox): BEAM skipped");
    return undefined;
  }
  console.error(`bench:compare: BEAM (${otp})…`);
  const dir = mkdtempSync(`${os.tmpdir()}/beamlet-bench-`);
  if (run("erlc", ["-o", dir, "bench/compare/beam/bench.erl"]) === undefined) return undefined;
  const stdout = run("erl", [
    "+S",
    "1:1",
    "+P",
    String(Math.max(1_000_000, idleN * 2)),
    "-noshell",
    "-pa",
    dir,
    "-run",
    "bench",
    "main",
    ...(quick ? ["quick"] : []),
    `n=${idleN}`,
  ]);
  if (!stdout) return undefined;
  const column: Column = {};
  const notes: Record<string, string> = {};
  for (const line of stdout.trim().split("\n")) {
    const [id, _unit, median, min, max, note] = line.split("\t");
    column[id] = { median: Number(median), min: Number(min), max: Number(max) };
    if (note) notes[id] = note;
  }
  return { column, notes, version: otp };
}

const started = performance.now();
const load = os.loadavg().map((l) => l.toFixed(1)).join(", ");
if (runtimes.includes("node")) {
  console.error("bench:compare: building the npm package for Node…");
  if (run(denoBin, ["run", "-A", "scripts/build_npm.ts"]) === undefined) {
    console.error("bench:compare: the npm build failed: Node skipped");
    runtimes.splice(runtimes.indexOf("node"), 1);
  }
}
const results = (["deno", "bun", "node"] as const)
  .filter((name) => runtimes.includes(name))
  .map((name) => runtimeRows(RUNTIMES[name]))
  .filter((r) => r !== undefined);
const beam = runtimes.includes("beam") ? beamColumn() : undefined;

const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? "unknown CPU"} × ${cpus.length}, ${
  Math.round(os.totalmem() / 2 ** 30)
} GiB, ${os.type()} ${os.release()} (${os.arch()})`;
const versions = [
  ...results.map((r) => r.runtime),
  ...(beam ? [`Erlang/${beam.version}`] : []),
].join(", ");

// The library's last commit (the bench's own commits do not change its numbers).
const commit = version("git", [
  "-C",
  root,
  "log",
  "-1",
  "--format=%h (%cs)",
  "--",
  "src",
  "wasm",
  "mod.ts",
]);
const peers = [
  ...new Set(results.flatMap((r) => r.rows.flatMap((row) => Object.keys(row.peers ?? {})))),
];

const lines = [
  "# beamlet against the anchors: `npm run bench:compare`",
  "",
  `- Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  `- beamlet: ${
    commit ? `commit ${commit}, the last to change src/, wasm/ or mod.ts` : "unknown commit"
  }`,
  `- Machine: ${machine}`,
  `- Runtimes: ${versions}`,
  `- Settings: ${quick ? "--quick" : "default"}; idle processes N = ${
    idleN.toLocaleString("en-US")
  }; whole run ${
    Math.round((performance.now() - started) / 1000)
  } s; load average at the start ${load} ` +
  `(on a shared machine, a high one widens the ranges and lowers every median)`,
  "",
  "Each cell is the median over interleaved samples, with the lowest and highest sample in",
  "brackets. **hand-written JS** is bench/compare/_baseline.ts, a minimal actor system with the",
  "same semantics run in the same process (the physical limit on that runtime) unless the row",
  "names another baseline. Ratios are beamlet ÷ the other: for rates (/s) higher is better for",
  "beamlet, for bytes and ms (↓) lower is. The BEAM column is bench/compare/beam/bench.erl on",
  "Erlang/OTP with one scheduler (`erl +S 1:1`), gen_servers doing the same work.",
  peers.length
    ? `The peers (${peers.join(", ")}; bench/peers) run cast, call from outside and ping-pong.`
    : "The peers (XState, Effect) are not installed: `npm install --prefix bench/peers`.",
  "",
  "Run: `npm run bench:compare` (2–3 minutes on 2 cores; `-- --quick` for about one), after",
  "`npm install --prefix bench/peers` for the peers and `apt-get install erlang-nox` for the",
  "BEAM. One runtime alone: `deno run -A --v8-flags=--expose-gc bench/compare/run.ts`,",
  "`bun bench/compare/run.ts`, `node --expose-gc npm/bench/compare/run.js` (after",
  "`npm run build:npm`).",
  "",
];
for (const { runtime, rows } of results) {
  lines.push(runtimeTable(runtime, rows, beam?.column), "");
}
if (beam) {
  lines.push("BEAM notes:", "");
  for (const [id, note] of Object.entries(beam.notes)) lines.push(`- ${id}: ${note}`);
  lines.push("");
} else lines.push("BEAM: not measured (`erl` not installed).", "");
const markdown = lines.join("\n");
console.log(markdown);
if (out !== "-") {
  writeFileSync(out, markdown);
  // Wrapped as `deno fmt` wraps markdown, so the file stays fmt-clean.
  run(denoBin, ["fmt", "--quiet", out]);
  console.error(`bench:compare: wrote ${out}`);
}
