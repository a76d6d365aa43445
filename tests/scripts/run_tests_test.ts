/**
 * `npm test` (`scripts/run_tests.ts`) run over fake suites (the scripts of
 * `tests/scripts/_fixtures/run_tests/package.json`): every suite runs even
 * after one failed, crashed or hung; each counts as its runner said, a crash
 * or a hang as one failure; one line sums them up; the exit is non-zero when
 * anything failed. Runs under deno test only (it starts Deno).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { deno, denoSkip, type Finished, run } from "../_child_process.ts";

const fixture = fileURLToPath(new URL("./_fixtures/run_tests/", import.meta.url));
const runTests = fileURLToPath(new URL("../../scripts/run_tests.ts", import.meta.url));

function runTestsOver(scripts: readonly string[], env: Record<string, string> = {}) {
  return run(
    deno(),
    ["run", "--allow-run", "--allow-env", "--allow-read", runTests, ...scripts],
    { cwd: fixture, env },
  );
}

/** The lines run_tests prints after the suites' own output: one per suite, then the total. */
function summary(result: Finished, suites: number): string[] {
  return result.stdout.trimEnd().split("\n").slice(-(suites + 1));
}

describe("scripts/run_tests.ts (under deno test)", () => {
  const skip = denoSkip;

  it("runs every suite whatever the one before did, counts each, exits 1", { skip }, async () => {
    const result = await runTestsOver(["deno_ok", "bun_failing", "crash", "tap_then_exit_1"]);
    assert.deepEqual(summary(result, 4), [
      "deno_ok: 3 passed, 0 failed",
      "bun_failing: 2 passed, 1 failed",
      "crash: no summary (exit code 139): counted as 1 failed",
      "tap_then_exit_1: 4 passed, exit code 1: counted as 1 failed",
      "9 passed, 3 failed",
    ]);
    assert.match(result.stderr, /Segmentation fault/, "a suite's output is passed through");
    assert.equal(result.code, 1);
  });

  it("exits 0 when nothing failed", { skip }, async () => {
    const result = await runTestsOver(["deno_ok"]);
    assert.deepEqual(summary(result, 1), ["deno_ok: 3 passed, 0 failed", "3 passed, 0 failed"]);
    assert.equal(result.code, 0);
  });

  it("kills a suite still running at the hang limit, with its children, and goes on", {
    skip,
  }, async () => {
    // The limit is what is tested here, not a speed: only the hanging suite runs under it.
    const result = await runTestsOver(["hang"], { BEAMLET_SUITE_HANG_MS: "3000" });
    assert.deepEqual(summary(result, 1), [
      "hang: still running after 0.05 min, killed: counted as 1 failed" +
      " (its last summary: 1 passed, 0 failed)",
      "1 passed, 1 failed",
    ]);
    assert.equal(result.code, 1);
  });

  it("refuses a hang limit that is not a positive integer", { skip }, async () => {
    const result = await runTestsOver(["deno_ok"], { BEAMLET_SUITE_HANG_MS: "soon" });
    assert.match(result.stderr, /BEAMLET_SUITE_HANG_MS must be a positive integer/);
    assert.equal(result.code, 2);
  });
});
