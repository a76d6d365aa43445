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
 * Each entry point's batch runs in child processes on this runtime: a host
 * that dies (exits, or is killed by the runtime) or hangs (no next input for
 * `--time-limit` seconds, default 60) is itself counted, with what it
 * counted before, and a new child carries on from the next input.
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
import { CATEGORIES, type Category } from "../tests/containment/_run.ts";
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
  /** Worker: the index of the first input to play (after a host died on the one before). */
  from: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    seed: 1,
    runs: 3000,
    only: undefined,
    timeLimitS: 60,
    examples: false,
    worker: undefined,
    from: 0,
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
    else if (arg === "--from") options.from = Number(next());
    else throw new Error(`containment_fuzz: unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.seed)) {
    throw new Error("containment_fuzz: --seed must be an integer");
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new Error("containment_fuzz: --runs must be an integer >= 1");
  }
  return options;
}

// ---- the worker: one entry point's batch -----------------------------------------------------

/**
 * Plays inputs `from..runs-1` of one entry point. Before each input it
 * prints `AT i`, and after each input that broke an invariant (and at the
 * end) the tally so far, so the driver knows which input a dying host was
 * playing and what was counted before it.
 */
async function worker(index: number, options: Options): Promise<void> {
  const entry = ENTRY_POINTS[index];
  const inputs = fc.sample(entry.input, { seed: options.seed + index, numRuns: options.runs });
  const tally = emptyTally();
  const started = performance.now();
  const watch = watchHost();
  const emit = (kind: "TALLY" | "RESULT") => {
    tally.ms = performance.now() - started;
    process.stdout.write(`${kind} ${JSON.stringify(tally)}\n`);
  };
  try {
    for (let i = options.from; i < inputs.length; i++) {
      process.stdout.write(`AT ${i}\n`);
      const input = inputs[i];
      let violations;
      try {
        violations = await playOnce(entry, input, watch);
      } catch (error) {
        // A bug of the harness, not a finding: say so, count nothing.
        console.error(`containment_fuzz: input ${i} skipped: ${error}`);
        continue;
      }
      tally.done++;
      if (violations.length === 0) continue;
      tally.failing++;
      const seen = new Set<Category>();
      for (const violation of violations) {
        if (!seen.has(violation.category)) tally.counts[violation.category]++;
        seen.add(violation.category);
        tally.examples[violation.category] ??= `${describe(index, input)} → ${violation.message}`;
      }
      emit("TALLY");
    }
  } finally {
    watch.stop();
  }
  emit("RESULT");
}

function describe(index: number, input: unknown): string {
  try {
    return ENTRY_POINTS[index].describe(input);
  } catch {
    return "(input could not be described)";
  }
}

// ---- the driver: every batch in a child process ------------------------------------------------

/** How one child process ended. */
interface SegmentOutcome {
  tally: Tally;
  /** Inputs it finished before it ended. */
  done: number;
  host: "ok" | "died" | "hung";
  /** The input it was playing when it died or hung. */
  culprit: number;
  detail: string;
}

function runSegment(
  index: number,
  from: number,
  options: Options,
  limitMs: number,
): Promise<SegmentOutcome> {
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
    "--from",
    String(from),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let tally = emptyTally();
    let at = from - 1;
    let finished = false;
    let stderr = "";
    child.stderr!.on("data", (chunk) => {
      stderr = (stderr + String(chunk)).slice(-2000);
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const space = line.indexOf(" ");
      const kind = line.slice(0, space);
      const rest = line.slice(space + 1);
      if (kind === "AT") {
        at = Number(rest);
        watchdog();
      } else if (kind === "TALLY" || kind === "RESULT") tally = JSON.parse(rest) as Tally;
      if (kind === "RESULT") finished = true;
    });
    // A host that makes no progress (no next input) for this long has hung.
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watchdog = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, limitMs);
    };
    watchdog();
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (finished && code === 0 && !timedOut) {
        resolve({ tally, done: tally.done, host: "ok", culprit: -1, detail: "" });
        return;
      }
      // deno-lint-ignore no-control-regex
      const last = stderr.trim().split("\n").slice(-3).join(" / ").replace(/\x1b\[[0-9;]*m/g, "");
      resolve({
        tally,
        done: Math.max(0, at - from),
        host: timedOut ? "hung" : "died",
        culprit: at,
        detail: timedOut
          ? `no progress for ${limitMs / 1000} s`
          : `exited with ${signal ?? `code ${code}`}: ${last}`,
      });
    });
  });
}

/** What one entry point's batch counted, over as many child processes as it took. */
interface BatchOutcome {
  tally: Tally;
  died: number;
  hung: number;
  notes: string[];
}

/**
 * Runs one entry point's inputs in child processes: when one dies or hangs,
 * that is counted, its counts are kept, and a new child carries on from the
 * input after the one it was playing.
 */
async function runBatch(index: number, options: Options): Promise<BatchOutcome> {
  const batch: BatchOutcome = { tally: emptyTally(), died: 0, hung: 0, notes: [] };
  const inputs = fc.sample(ENTRY_POINTS[index].input, {
    seed: options.seed + index,
    numRuns: options.runs,
  });
  let from = 0;
  while (from < options.runs) {
    const segment = await runSegment(index, from, options, options.timeLimitS * 1000);
    const t = segment.tally;
    batch.tally.done += segment.done;
    batch.tally.failing += t.failing;
    batch.tally.ms += t.ms;
    for (const category of CATEGORIES) batch.tally.counts[category] += t.counts[category];
    for (const [category, text] of Object.entries(t.examples) as [Category, string][]) {
      batch.tally.examples[category] ??= text;
    }
    if (segment.host === "ok") break;
    if (segment.host === "died") batch.died++;
    else batch.hung++;
    const culprit = Math.max(segment.culprit, from);
    batch.notes.push(
      `host ${segment.host} on input ${culprit} (${
        describe(index, inputs[culprit])
      }): ${segment.detail}`,
    );
    batch.tally.done++; // the input that killed it was played too
    batch.tally.failing++;
    from = culprit + 1;
  }
  return batch;
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
  const notes: string[] = [];
  const totals: Record<string, number> = {};
  let inputs = 0;
  let failing = 0;
  let died = 0;
  let hung = 0;
  const started = performance.now();
  for (const { entry, index } of chosen) {
    const batch = await runBatch(index, options);
    const t = batch.tally;
    inputs += t.done;
    failing += t.failing;
    died += batch.died;
    hung += batch.hung;
    const cells = COLUMNS.map(([column]) => {
      if (column === "host") return hostCell(batch.died, batch.hung);
      totals[column] = (totals[column] ?? 0) + t.counts[column];
      return String(t.counts[column]);
    });
    rows.push(
      `| ${entry.name.split(":")[0]} | ${t.done} | ${cells.join(" | ")} | ${t.failing} | ${
        (t.ms / 1000).toFixed(1)
      } |`,
    );
    for (const note of batch.notes) notes.push(`- ${entry.name}: ${note}`);
    if (options.examples) {
      for (const [category, text] of Object.entries(t.examples)) {
        notes.push(`- ${entry.name} [${category}]: ${text}`);
      }
    }
    console.error(
      `containment_fuzz: ${entry.name}: ${t.failing}/${t.done} inputs broke an invariant${
        batch.died + batch.hung > 0 ? `, host died ${batch.died} / hung ${batch.hung}` : ""
      } (${(t.ms / 1000).toFixed(1)} s)`,
    );
  }
  const header = COLUMNS.map(([, title]) => title);
  const lines = [
    `### Containment fuzz — ${runtimeName()} — seed ${options.seed}, ${options.runs} inputs per entry point`,
    "",
    `| entry point | inputs | ${header.join(" | ")} | inputs breaking an invariant | s |`,
    `| --- | ---: | ${header.map(() => "---:").join(" | ")} | ---: | ---: |`,
    ...rows,
    `| **total** | ${inputs} | ${
      COLUMNS.map(([column]) =>
        column === "host" ? hostCell(died, hung) : String(totals[column] ?? 0)
      ).join(" | ")
    } | ${failing} | ${((performance.now() - started) / 1000).toFixed(0)} |`,
  ];
  console.log(lines.join("\n"));
  console.log(
    `\nTotals (${runtimeName()}, seed ${options.seed}): ${inputs} inputs, ${failing} broke an invariant; ${
      COLUMNS.map(([column, title]) =>
        `${title} ${column === "host" ? hostCell(died, hung) : totals[column] ?? 0}`
      ).join(", ")
    }.`,
  );
  if (notes.length > 0) console.log(`\n${notes.join("\n")}`);
}

function hostCell(died: number, hung: number): string {
  if (died + hung === 0) return "0";
  return [died > 0 ? `**${died} died**` : "", hung > 0 ? `**${hung} hung**` : ""].filter(Boolean)
    .join(", ");
}

const options = parseArgs(process.argv.slice(2).filter((arg) => arg !== "--"));
if (options.worker !== undefined) await worker(options.worker, options);
else await driver(options);
