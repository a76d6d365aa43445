/**
 * Runs every test suite — Deno, Bun, Node (over the built npm package) and
 * the end-to-end tests — one after the other, each to its end even when an
 * earlier one failed, streaming their output; then prints one line,
 * `N passed, N failed`, summed from what each runner reported. Exits 1 when
 * any test failed or a suite ended without a summary (it crashed).
 *
 * ```sh
 * npm test      # runs this
 * ```
 *
 * @module
 */

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

/** Passed and failed counts, as one runner's summary says them. */
interface Counts {
  passed: number;
  failed: number;
}

// deno test: "ok | 217 passed (787 steps) | 0 failed" / "FAILED | 216 passed | 1 failed (1 step)"
const DENO = /\| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/;
// bun test: " 841 pass" then " 1 fail"
const BUN_PASS = /^\s*(\d+) pass\s*$/m;
const BUN_FAIL = /^\s*(\d+) fail\s*$/m;
// node --test (TAP): "# pass 732" then "# fail 0"
const TAP_PASS = /^# pass (\d+)$/m;
const TAP_FAIL = /^# fail (\d+)$/m;

/** The counts in a suite's output (the last summary it printed), or undefined if it printed none. */
function countsOf(output: string): Counts | undefined {
  // deno-lint-ignore no-control-regex
  const text = output.replace(/\x1b\[[0-9;]*m/g, "");
  const deno = [...text.matchAll(new RegExp(DENO, "g"))].at(-1);
  if (deno) return { passed: Number(deno[1]), failed: Number(deno[2]) };
  const tapPass = lastMatch(text, TAP_PASS);
  const tapFail = lastMatch(text, TAP_FAIL);
  if (tapPass !== undefined && tapFail !== undefined) return { passed: tapPass, failed: tapFail };
  const bunPass = lastMatch(text, BUN_PASS);
  const bunFail = lastMatch(text, BUN_FAIL);
  if (bunPass !== undefined && bunFail !== undefined) return { passed: bunPass, failed: bunFail };
  return undefined;
}

function lastMatch(text: string, pattern: RegExp): number | undefined {
  const all = [...text.matchAll(new RegExp(pattern.source, "gm"))];
  const last = all.at(-1);
  return last === undefined ? undefined : Number(last[1]);
}

/** Runs `npm run <script>`, echoing its output as it comes; its exit code and full output. */
async function run(script: string): Promise<{ code: number; output: string }> {
  const child = new Deno.Command("npm", {
    args: ["run", "--silent", script],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
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
  const [status] = await Promise.all([
    child.status,
    pump(child.stdout, Deno.stdout),
    pump(child.stderr, Deno.stderr),
  ]);
  return { code: status.code, output: chunks.join("") };
}

let passed = 0;
let failed = 0;
const lines: string[] = [];
for (const suite of SUITES) {
  const { code, output } = await run(suite.script);
  const counts = countsOf(output);
  if (counts === undefined) {
    failed++;
    lines.push(`${suite.name}: no summary (exit code ${code}): counted as 1 failed`);
    continue;
  }
  passed += counts.passed;
  failed += counts.failed;
  if (code !== 0 && counts.failed === 0) {
    failed++;
    lines.push(`${suite.name}: ${counts.passed} passed, exit code ${code}: counted as 1 failed`);
    continue;
  }
  lines.push(`${suite.name}: ${counts.passed} passed, ${counts.failed} failed`);
}
console.log(`\n${lines.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
