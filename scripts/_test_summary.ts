/**
 * Reads the summary a test runner printed at its end — `deno test`, `bun
 * test` or `node --test` (TAP) — and judges a suite by it and by its exit:
 * what `scripts/run_tests.ts` adds up into its one line. Pure (no runtime
 * API), so its test runs on every runtime.
 *
 * @module
 */

/** Passed and failed tests, as one runner's summary says them. */
export interface Counts {
  readonly passed: number;
  readonly failed: number;
}

/** How one suite ended. */
export interface SuiteRun {
  /** Its name in the summary (`deno`, `bun`, ...). */
  readonly name: string;
  /** Its exit code (a killed process: whatever the runtime reports, often 143 or 137). */
  readonly code: number;
  /** Everything it printed, stdout and stderr. */
  readonly output: string;
  /** Set when it was killed for running past the hang limit, in ms. */
  readonly hungAfterMs?: number;
}

/** A suite's contribution to the total, and the line that explains it. */
export interface Verdict extends Counts {
  readonly line: string;
}

// deno test: "ok | 217 passed (787 steps) | 0 failed" / "FAILED | 216 passed | 1 failed (1 step)"
const DENO = /\| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g;
// bun test: " 841 pass", " 3 skip", " 1 fail", " 1 error" (an error between tests), one per line
const BUN_PASS = /^\s*(\d+) pass\s*$/gm;
const BUN_FAIL = /^\s*(\d+) fail\s*$/gm;
const BUN_ERROR = /^\s*(\d+) errors?\s*$/gm;
// node --test (TAP): "# pass 732", "# fail 0", "# cancelled 0" (a test cut by its timeout)
const TAP_PASS = /^# pass (\d+)$/gm;
const TAP_FAIL = /^# fail (\d+)$/gm;
const TAP_CANCELLED = /^# cancelled (\d+)$/gm;

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

interface Found extends Counts {
  /** Where the summary ends in the output: the last one printed wins. */
  readonly at: number;
}

/**
 * The counts of the last summary in `output` (colours ignored), or
 * `undefined` when it holds none. A runner's summary comes last, so when
 * a test's own output looks like a summary, the runner's still wins.
 *
 * @example
 * ```ts
 * import { countsOf } from "./_test_summary.ts";
 *
 * console.log(countsOf("ok | 3 passed (5 steps) | 0 failed | 1 ignored (2ms)")); // { passed: 3, failed: 0 }
 * console.log(countsOf(" 2 pass\n 1 fail\n")); // { passed: 2, failed: 1 }
 * console.log(countsOf("Segmentation fault")); // undefined
 * ```
 */
export function countsOf(output: string): Counts | undefined {
  const text = output.replace(ANSI, "");
  const found: Found[] = [];
  const deno = last(text, DENO);
  if (deno) found.push({ passed: Number(deno[1]), failed: Number(deno[2]), at: end(deno) });
  const tap = passFail(text, TAP_PASS, TAP_FAIL, TAP_CANCELLED);
  if (tap) found.push(tap);
  const bun = passFail(text, BUN_PASS, BUN_FAIL, BUN_ERROR);
  if (bun) found.push(bun);
  const latest = found.sort((a, b) => b.at - a.at)[0];
  return latest && { passed: latest.passed, failed: latest.failed };
}

/**
 * A summary told in separate pass and fail lines (node's TAP, bun), with
 * the failures `more` adds (node's cancelled tests, bun's errors between
 * tests); undefined unless both lines are there.
 */
function passFail(text: string, pass: RegExp, fail: RegExp, more: RegExp): Found | undefined {
  const passed = last(text, pass);
  const failed = last(text, fail);
  if (!passed || !failed) return undefined;
  const extra = last(text, more);
  return {
    passed: Number(passed[1]),
    failed: Number(failed[1]) + (extra ? Number(extra[1]) : 0),
    at: Math.max(end(passed), end(failed)),
  };
}

function last(text: string, pattern: RegExp): RegExpExecArray | undefined {
  let match: RegExpExecArray | undefined;
  for (const m of text.matchAll(pattern)) match = m as RegExpExecArray;
  return match;
}

function end(match: RegExpExecArray): number {
  return match.index + match[0].length;
}

/**
 * Judges one suite: its summary's counts, plus one failure when it ran past
 * the hang limit, printed no summary (it crashed), or exited non-zero while
 * its summary said nothing failed.
 *
 * @example
 * ```ts
 * import { judge } from "./_test_summary.ts";
 *
 * console.log(judge({ name: "bun", code: 1, output: " 9 pass\n 1 fail\n" }).line); // "bun: 9 passed, 1 failed"
 * console.log(judge({ name: "node", code: 134, output: "Aborted" }).line);
 * // "node: no summary (exit code 134): counted as 1 failed"
 * ```
 */
export function judge(run: SuiteRun): Verdict {
  const counts = countsOf(run.output);
  if (run.hungAfterMs !== undefined) {
    const passed = counts?.passed ?? 0;
    const failed = (counts?.failed ?? 0) + 1;
    const minutes = +(run.hungAfterMs / 60_000).toFixed(2);
    const line = `${run.name}: still running after ${minutes} min, killed: counted as 1 failed` +
      (counts === undefined
        ? ""
        : ` (its last summary: ${counts.passed} passed, ${counts.failed} failed)`);
    return { passed, failed, line };
  }
  if (counts === undefined) {
    return {
      passed: 0,
      failed: 1,
      line: `${run.name}: no summary (exit code ${run.code}): counted as 1 failed`,
    };
  }
  if (run.code !== 0 && counts.failed === 0) {
    return {
      passed: counts.passed,
      failed: 1,
      line: `${run.name}: ${counts.passed} passed, exit code ${run.code}: counted as 1 failed`,
    };
  }
  return { ...counts, line: `${run.name}: ${counts.passed} passed, ${counts.failed} failed` };
}

/**
 * The last line of `npm test`: the sums over every suite.
 *
 * @example
 * ```ts
 * import { totalLine } from "./_test_summary.ts";
 *
 * console.log(totalLine([{ passed: 3, failed: 0 }, { passed: 2, failed: 1 }])); // "5 passed, 1 failed"
 * ```
 */
export function totalLine(verdicts: readonly Counts[]): string {
  const passed = verdicts.reduce((sum, v) => sum + v.passed, 0);
  const failed = verdicts.reduce((sum, v) => sum + v.failed, 0);
  return `${passed} passed, ${failed} failed`;
}
