/**
 * How `npm test` reads each runner's summary (`scripts/_test_summary.ts`):
 * the formats of deno test, bun test and node --test, colours, failures
 * hidden in cancelled tests or errors between tests, output that only looks
 * like a summary, crashes and hangs.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { countsOf, judge, totalLine } from "../../scripts/_test_summary.ts";

const DENO_OK = [
  "running 2 tests from ./tests/pid_test.ts",
  "\x1b[0m\x1b[32mok\x1b[0m | 217 passed (787 steps) | 0 failed | 3 ignored (1m 2s)",
].join("\n");
const DENO_FAILED = "FAILED | 216 passed (10 steps) | 1 failed (1 step) (9s)\n\nerror: Test failed";
const BUN = [
  "(pass) a [1ms]",
  "",
  " 996 pass",
  " 3 skip",
  " 0 fail",
  "Ran 999 tests across 111 files.",
]
  .join("\n");
const BUN_ERROR = [" 2 pass", " 2 fail", " 1 error", "Ran 4 tests across 3 files. [29.00ms]"].join(
  "\n",
);
const TAP = [
  "1..6",
  "# tests 10",
  "# suites 6",
  "# pass 7",
  "# fail 0",
  "# cancelled 0",
  "# skipped 3",
]
  .join("\n");
const TAP_CANCELLED = ["# tests 3", "# pass 1", "# fail 1", "# cancelled 1", "# skipped 0"].join(
  "\n",
);

describe("countsOf", () => {
  it("reads deno test's line, with steps, ignored tests and colours", () => {
    assert.deepEqual(countsOf(DENO_OK), { passed: 217, failed: 0 });
    assert.deepEqual(countsOf(DENO_FAILED), { passed: 216, failed: 1 });
  });

  it("reads bun test's lines; an error between tests is a failure", () => {
    assert.deepEqual(countsOf(BUN), { passed: 996, failed: 0 });
    assert.deepEqual(countsOf(BUN_ERROR), { passed: 2, failed: 3 });
  });

  it("reads node --test's TAP comments; a cancelled test (cut by its timeout) is a failure", () => {
    assert.deepEqual(countsOf(TAP), { passed: 7, failed: 0 });
    assert.deepEqual(countsOf(TAP_CANCELLED), { passed: 1, failed: 2 });
  });

  it("takes the summary printed last: a test's output that looks like one does not count", () => {
    const nested = `ok | 50 passed | 0 failed (1s)\n${BUN}`;
    assert.deepEqual(countsOf(nested), { passed: 996, failed: 0 });
    const logged = `# pass 1\n# fail 0\n${DENO_FAILED}`;
    assert.deepEqual(countsOf(logged), { passed: 216, failed: 1 });
  });

  it("finds nothing in output without a whole summary", () => {
    assert.equal(countsOf(""), undefined);
    assert.equal(countsOf("Segmentation fault (core dumped)"), undefined);
    assert.equal(countsOf(" 12 pass\n"), undefined, "bun's pass line without its fail line");
    assert.equal(countsOf("# pass 3\n"), undefined, "a TAP pass count without its fail count");
  });
});

describe("judge", () => {
  it("counts a suite as its summary says", () => {
    assert.deepEqual(judge({ name: "deno", code: 0, output: DENO_OK }), {
      passed: 217,
      failed: 0,
      line: "deno: 217 passed, 0 failed",
    });
    assert.deepEqual(judge({ name: "deno", code: 1, output: DENO_FAILED }), {
      passed: 216,
      failed: 1,
      line: "deno: 216 passed, 1 failed",
    });
  });

  it("counts a crash (no summary) as one failure", () => {
    assert.deepEqual(judge({ name: "node", code: 134, output: "Aborted" }), {
      passed: 0,
      failed: 1,
      line: "node: no summary (exit code 134): counted as 1 failed",
    });
    assert.equal(judge({ name: "e2e", code: 0, output: "" }).failed, 1, "even with exit code 0");
  });

  it("counts a non-zero exit after a clean summary as one failure", () => {
    assert.deepEqual(judge({ name: "bun", code: 1, output: BUN }), {
      passed: 996,
      failed: 1,
      line: "bun: 996 passed, exit code 1: counted as 1 failed",
    });
  });

  it("counts a suite killed at the hang limit as one failure more than it reported", () => {
    assert.deepEqual(judge({ name: "node", code: 143, output: "", hungAfterMs: 3_600_000 }), {
      passed: 0,
      failed: 1,
      line: "node: still running after 60 min, killed: counted as 1 failed",
    });
    assert.deepEqual(
      judge({ name: "node", code: 143, output: TAP_CANCELLED, hungAfterMs: 90_000 }),
      {
        passed: 1,
        failed: 3,
        line: "node: still running after 1.5 min, killed: counted as 1 failed " +
          "(its last summary: 1 passed, 2 failed)",
      },
    );
  });
});

describe("totalLine", () => {
  it("sums every suite", () => {
    assert.equal(totalLine([]), "0 passed, 0 failed");
    assert.equal(
      totalLine([{ passed: 217, failed: 0 }, { passed: 996, failed: 1 }, { passed: 0, failed: 1 }]),
      "1213 passed, 2 failed",
    );
  });
});
