/**
 * Runs every test suite — Deno, Bun, Node (over the built npm package) and
 * the end-to-end tests — one after the other, each to its end even when an
 * earlier one failed, streaming their output; then prints one line per
 * suite and one line for all, `N passed, N failed`. A suite that crashes
 * (no summary), exits non-zero with nothing failed, or is still running
 * after the hang limit (then killed, with its whole process group) counts
 * as one failure more, and the next suite still runs. Exits 1 when anything
 * failed. How a runner's output is read: `scripts/_test_summary.ts`.
 *
 * ```sh
 * npm test                                   # runs this: every suite
 * deno run --allow-run --allow-env --allow-read scripts/run_tests.ts test:bun test:node   # some
 * ```
 *
 * `BEAMLET_SUITE_HANG_MS` sets the hang limit per suite (default 60
 * minutes: the slowest suite takes about 7 on a busy 2-core machine, so
 * this only catches a suite that will never end, never a slow one).
 *
 * @module
 */

import { judge, type SuiteRun, totalLine, type Verdict } from "./_test_summary.ts";

interface Suite {
  readonly name: string;
  readonly script: string;
}

const SUITES: readonly Suite[] = [
  { name: "deno", script: "test:deno" },
  { name: "bun", script: "test:bun" },
  { name: "node", script: "test:node" },
  { name: "e2e", script: "test:e2e" },
];

const DEFAULT_HANG_MS = 60 * 60_000;
/** After SIGTERM, how long a suite may take to go before SIGKILL. */
const KILL_GRACE_MS = 5_000;

function hangLimit(): number {
  const raw = Deno.env.get("BEAMLET_SUITE_HANG_MS");
  if (raw === undefined || raw === "") return DEFAULT_HANG_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) {
    console.error(`BEAMLET_SUITE_HANG_MS must be a positive integer (ms), not ${raw}`);
    Deno.exit(2);
  }
  return ms;
}

let running: Deno.ChildProcess | undefined;

/** Signals the process group of the suite running now (npm and all it started). */
function killGroup(signal: Deno.Signal): void {
  if (running === undefined) return;
  try {
    Deno.kill(-running.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs `npm run <script>`, echoing its output as it comes, killed past `hangMs`. */
async function run(suite: Suite, hangMs: number): Promise<SuiteRun> {
  // Its own process group, so that a hung suite is killed with every process it started.
  const child = new Deno.Command("npm", {
    args: ["run", "--silent", suite.script],
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  running = child;
  let hung = false;
  let forceKill: ReturnType<typeof setTimeout> | undefined;
  const hangTimer = setTimeout(() => {
    hung = true;
    console.error(`\nrun_tests: ${suite.name} still running after ${hangMs} ms: killing it`);
    killGroup("SIGTERM");
    forceKill = setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
  }, hangMs);
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const pump = async (
    stream: ReadableStream<Uint8Array>,
    sink: { write(p: Uint8Array): unknown },
  ) => {
    for await (const chunk of stream) {
      chunks.push(decoder.decode(chunk, { stream: true }));
      await sink.write(chunk);
    }
  };
  try {
    const [status] = await Promise.all([
      child.status,
      pump(child.stdout, Deno.stdout),
      pump(child.stderr, Deno.stderr),
    ]);
    const output = chunks.join("");
    return hung
      ? { name: suite.name, code: status.code, output, hungAfterMs: hangMs }
      : { name: suite.name, code: status.code, output };
  } finally {
    clearTimeout(hangTimer);
    clearTimeout(forceKill);
    running = undefined;
  }
}

/** The suites named on the command line (package.json scripts), else all four. */
function suites(): readonly Suite[] {
  if (Deno.args.length === 0) return SUITES;
  return Deno.args.map((script) =>
    SUITES.find((s) => s.script === script) ?? { name: script, script }
  );
}

// Ctrl-C: the suites run in their own process group, which the terminal does not signal.
Deno.addSignalListener("SIGINT", () => {
  killGroup("SIGTERM");
  Deno.exit(130);
});

const hangMs = hangLimit();
const verdicts: Verdict[] = [];
for (const suite of suites()) verdicts.push(judge(await run(suite, hangMs)));
console.log(`\n${verdicts.map((v) => v.line).join("\n")}`);
console.log(totalLine(verdicts));
Deno.exit(verdicts.every((v) => v.failed === 0) ? 0 : 1);
