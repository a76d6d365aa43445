/**
 * The containment fuzz campaign (issue 10): every entry point of
 * `tests/containment/` fed 3,000 hostile inputs drawn from one seed, each
 * played on a fresh test system, counting what breaks instead of stopping at
 * the first failure — uncaught exceptions (an exception escaping the
 * scheduler counts here: in auto scheduling the host gets it), unhandled
 * rejections, hosts that died or hung, test systems that stalled, unsettled
 * starts and calls, table leaks, missing crash reports, supervisors that did
 * not restart, and every other broken invariant. A count is of inputs: an
 * input that breaks an invariant twice counts once in that column.
 *
 * Each entry point's batch runs in a child process on this runtime with a
 * time limit, so a host that dies (exits, or is killed by the runtime) or
 * hangs is itself counted, with what its batch counted before.
 *
 * Run: `deno run -A bench/containment_fuzz.ts [--seed 1] [--runs 3000]
 * [--only <text>] [--time-limit <s>] [--examples]`, `bun
 * bench/containment_fuzz.ts ...`, `node npm/bench/containment_fuzz.js ...`
 * (after `npm run build:npm`). Batch `i` samples its inputs with seed
 * `seed + i`. Numbers only; never assertions.
 *
 * @module
 */

import { spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { ENTRY_POINTS } from "../tests/containment/_entry_points.ts";
import { watchHost } from "../tests/containment/_host_watch.ts";
import { playOnce } from "../tests/containment/_property.ts";
import { type Category, CATEGORIES } from "../tests/containment/_run.ts";
import { runtimeName } from "./_harness.ts";

/** What one batch counted. */
interface Tally {
  done: number;
  failing: number;
  counts: Record<Category, number>;
  /** The first message of each category, with its input (for `--examples`). */
  examples: Partial<Record<Category, string>>;
  ms: number;
}

function emptyTally(): Tally {
  return {
    done: 0,
    failing: 0,
    counts: Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>,
    examples: {},
    ms: 0,
  };
}

interface Options {
  seed: number;
  runs: number;
  only: string | undefined;
  timeLimitS: number;
  examples: boolean;
  worker: number | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    seed: 1,
    runs: 3000,
    only: undefined,
    timeLimitS: 600,
    examples: false,
    worker: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`containment_fuzz: ${arg} needs a value`);
      return value;
    };
    if (arg === "--seed") options.seed = Number(next());
    else if (arg === "--runs") options.runs = Number(next());
    else if (arg === "--only") options.only = next();
    else if (arg === "--time-limit") options.timeLimitS = Number(next());
    else if (arg === "--examples") options.examples = true;
    else if (arg === "--worker") options.worker = Number(next());
    else throw new Error(`containment_fuzz: unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.seed)) throw new Error("containment_fuzz: --seed must be an integer");
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new Error("containment_fuzz: --runs must be an integer >= 1");
  }
  return options;
}

// ---- the worker: one entry point's batch -----------------------------------------------------

async function worker(index: number, options: Options): Promise<void> {
  const entry = ENTRY_POINTS[index];
  const inputs = fc.sample(entry.input, { seed: options.seed + index, numRuns: options.runs });
  const tally = emptyTally();
  const started = performance.now();
  const watch = watchHost();
  const emit = (kind: "PROGRESS" | "RESULT") => {
    tally.ms = performance.now() - started;
    process.stdout.write(`${kind} ${JSON.stringify(tally)}\n`);
  };
  try {
    for (const input of inputs) {
      const violations = await playOnce(entry, input, watch);
      tally.done++;
      if (violations.length > 0) tally.failing++;
      const seen = new Set<Category>();
      for (const violation of violations) {
        if (!seen.has(violation.category)) tally.counts[violation.category]++;
        seen.add(violation.category);
        if (tally.examples[violation.category] === undefined) {
          let text: string;
          try {
            text = entry.describe(input);
          } catch {
            text = "(input could not be described)";
          }
          tally.examples[violation.category] = `${text} → ${violation.message}`;
        }
      }
      if (tally.done % 100 === 0) emit("PROGRESS");
    }
  } finally {
    watch.stop();
  }
  emit("RESULT");
}

// ---- the driver: every batch in a child process ------------------------------------------------

interface BatchOutcome {
  tally: Tally;
  host: "ok" | "died" | "hung";
  detail: string;
}

function runBatch(index: number, options: Options): Promise<BatchOutcome> {
  const script = fileURLToPath(import.meta.url);
  const runtime = runtimeName().split(" ")[0];
  const args = [
    ...(runtime === "deno" ? ["run", "-A", script] : [script]),
    "--worker",
    String(index),
    "--seed",
    String(options.seed),
    "--runs",
    String(options.runs),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let tally = emptyTally();
    let finished = false;
    let stderr = "";
    child.stderr!.on("data", (chunk) => {
      stderr = (stderr + String(chunk)).slice(-2000);
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const space = line.indexOf(" ");
      const kind = line.slice(0, space);
      if (kind !== "PROGRESS" && kind !== "RESULT") return;
      tally = JSON.parse(line.slice(space + 1)) as Tally;
      if (kind === "RESULT") finished = true;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeLimitS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        resolve({ tally, host: "hung", detail: `no result within ${options.timeLimitS} s (after ${tally.done} inputs)` });
      } else if (!finished || code !== 0) {
        const last = stderr.trim().split("\n").slice(-3).join(" / ");
        resolve({
          tally,
          host: "died",
          detail: `exited with ${signal ?? `code ${code}`} after ${tally.done} inputs: ${last}`,
        });
      } else {
        resolve({ tally, host: "ok", detail: "" });
      }
    });
  });
}

const COLUMNS: readonly [Category | "host", string][] = [
  ["uncaught", "uncaught exceptions"],
  ["unhandled", "unhandled rejections"],
  ["host", "host died / hung"],
  ["stalled", "test system stalled"],
  ["unsettledStart", "unsettled starts"],
  ["unsettledCall", "unsettled calls"],
  ["tableLeak", "table leaks"],
  ["missingReport", "missing crash reports"],
  ["noRestart", "no restart"],
  ["other", "other violations"],
];

async function driver(options: Options): Promise<void> {
  const chosen = ENTRY_POINTS.map((entry, index) => ({ entry, index })).filter(({ entry }) =>
    options.only === undefined || entry.name.includes(options.only)
  );
  const rows: string[] = [];
  const examples: string[] = [];
  const totals: Record<string, number> = {};
  let inputs = 0;
  let failing = 0;
  let hosts = 0;
  const started = performance.now();
  for (const { entry, index } of chosen) {
    const outcome = await runBatch(index, options);
    const t = outcome.tally;
    inputs += t.done;
    failing += t.failing;
    if (outcome.host !== "ok") hosts++;
    const cells = COLUMNS.map(([column]) => {
      if (column === "host") return outcome.host === "ok" ? "0" : `**${outcome.host}**`;
      totals[column] = (totals[column] ?? 0) + t.counts[column];
      return String(t.counts[column]);
    });
    rows.push(
      `| ${entry.name.split(":")[0]} | ${t.done} | ${cells.join(" | ")} | ${t.failing} | ${(t.ms / 1000).toFixed(1)} |`,
    );
    if (outcome.host !== "ok") examples.push(`- ${entry.name}: host ${outcome.host}: ${outcome.detail}`);
    if (options.examples) {
      for (const [category, text] of Object.entries(t.examples)) {
        examples.push(`- ${entry.name} [${category}]: ${text}`);
      }
    }
    console.error(`containment_fuzz: ${entry.name}: ${t.failing}/${t.done} inputs broke an invariant (${(t.ms / 1000).toFixed(1)} s)`);
  }
  const header = COLUMNS.map(([, title]) => title);
  const lines = [
    `### Containment fuzz — ${runtimeName()} — seed ${options.seed}, ${options.runs} inputs per entry point`,
    "",
    `| entry point | inputs | ${header.join(" | ")} | inputs breaking an invariant | s |`,
    `| --- | ---: | ${header.map(() => "---:").join(" | ")} | ---: | ---: |`,
    ...rows,
    `| **total** | ${inputs} | ${
      COLUMNS.map(([column]) => column === "host" ? String(hosts) : String(totals[column] ?? 0)).join(" | ")
    } | ${failing} | ${((performance.now() - started) / 1000).toFixed(0)} |`,
  ];
  console.log(lines.join("\n"));
  console.log(
    `\nTotals (${runtimeName()}, seed ${options.seed}): ${inputs} inputs, ${failing} broke an invariant; ${
      COLUMNS.map(([column, title]) => `${title} ${column === "host" ? hosts : totals[column] ?? 0}`).join(", ")
    }.`,
  );
  if (examples.length > 0) console.log(`\n${examples.join("\n")}`);
}

const options = parseArgs(process.argv.slice(2).filter((arg) => arg !== "--"));
if (options.worker !== undefined) await worker(options.worker, options);
else await driver(options);
