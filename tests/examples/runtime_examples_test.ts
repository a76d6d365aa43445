/**
 * The programs in `examples/` run to completion, each as a user runs it, in
 * a child process on its own runtime, and say what they should: the call
 * and cast results, the supervisor's restart, the `/health` answer, a clean
 * exit (a leaked timer or socket would hang the child, and the safety-net
 * timeout would fail the test).
 *
 * This file runs under `deno test`, `bun test` and `node --test` (over the
 * npm build), but each example runs once in all, under its own runtime:
 *
 * | example | runs under | as |
 * | --- | --- | --- |
 * | `examples/deno/` | `deno test` | `deno run --check --allow-net=127.0.0.1 --allow-env=PORT` |
 * | `examples/core_tour/` | `deno test` | `deno run` |
 * | `examples/bun/` | `bun test` | `bun` |
 * | `examples/node/` | `node --test npm/tests/` | `node npm/examples/node/main.js` |
 *
 * `deno test` needs `--allow-run=deno` to start Deno (`npm run test:deno`
 * grants it); without it the Deno runs are skipped, or fail when `CI` is set.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { deno, denoSkip, type Finished, run as runChild, runtime } from "../_child_process.ts";

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Runs `command args` in the repository's root (PORT=0: any free port, whatever the parent's says). */
function run(command: string, args: readonly string[]): Promise<Finished> {
  return runChild(command, args, { cwd: root(""), env: { PORT: "0" } });
}

function assertExitedCleanly(result: Finished): void {
  assert.equal(
    result.code,
    0,
    `exit code ${result.code} (signal ${result.signal})\n${result.stdout}\n${result.stderr}`,
  );
}

/** It listened on 127.0.0.1, its `/health` answered ok, and it stopped. */
function assertServedHealth(lines: readonly string[]): void {
  const url = lines.find((line) => line.startsWith("listening on "));
  assert.match(url ?? "", /^listening on http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(lines.includes('GET /health: 200 {"status":"ok"}'), lines.join("\n"));
  assert.equal(lines.at(-1), "stopped");
}

/** The supervisor restarted the crashed child: the `restarted` line's two pids differ. */
function assertRestarted(lines: readonly string[]): void {
  const restarted = lines.find((line) => line.startsWith("restarted: "));
  const pids = /^restarted: (#PID<[^>]+>) -> (#PID<[^>]+>)$/.exec(restarted ?? "");
  assert.ok(pids, `no restart line in:\n${lines.join("\n")}`);
  assert.notEqual(pids[1], pids[2], "the supervisor started a new process");
}

/** The rate limiter of the Deno and Node examples. */
function assertRateLimiter(result: Finished): void {
  assertExitedCleanly(result);
  const lines = result.stdout.trim().split("\n");
  assert.deepEqual(lines.slice(0, 2), ["alice: true, true, false", "alice after refill: true"]);
  assert.match(
    lines[2],
    /^call failed: ExitError: #PID<[^>]+> exited: TypeError: take: a client id is required$/,
  );
  assertRestarted(lines);
  assert.ok(lines.includes("bob: true"), lines.join("\n"));
  assertServedHealth(lines);
  assert.match(result.stderr, /^crash: rate_limiter in handleCall$/m);
  assert.match(result.stderr, /^supervisor: restart rate_limiter$/m);
}

describe("examples/deno/main.ts (under deno test)", () => {
  const skip = denoSkip;
  it(
    "type-checks, calls and casts, survives a crash, serves /health, exits",
    { skip },
    async () => {
      const result = await run(deno(), [
        "run",
        "--check",
        "--allow-net=127.0.0.1",
        "--allow-env=PORT",
        "examples/deno/main.ts",
      ]);
      assertRateLimiter(result);
    },
  );
});

describe("examples/schedulers/main.ts (under deno test and bun test)", () => {
  const skip = runtime === "node"
    ? "run under deno test and bun test"
    : runtime === "deno" && denoSkip;
  it("starts a counter on a Worker's scheduler, casts and calls it, runs a CPU task there, exits", {
    skip,
  }, async () => {
    const result = runtime === "deno"
      ? await run(deno(), ["run", "--allow-read=.", "examples/schedulers/main.ts"])
      : await run(process.execPath, ["examples/schedulers/main.ts"]);
    assertExitedCleanly(result);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines[0], "scheduler 0: running, scheduler 1: running");
    assert.match(lines[1], /^#PID<[^.]+\.\d+\.1> counts 5$/);
    assert.equal(lines[2], "fib(32) = 2178309 on another scheduler");
    // (whether the timer fired on time depends on the machine's load: not checked)
  });
});

describe("examples/core_tour/main.ts (under deno test)", () => {
  const skip = denoSkip;
  it("runs the core: priorities, a bounded mailbox's refusals, one million messages", {
    skip,
  }, async () => {
    const result = await run(deno(), ["run", "examples/core_tour/main.ts"]);
    assertExitedCleanly(result);
    const out = result.stdout;
    assert.match(out, /^first runs, in order: urgent → flooded → /m);
    assert.match(out, /^\| flooded \| 1000000 \| 0 \| 1000000 \|$/m);
    assert.match(out, /^\| bounded\(100\) \| 100 \| 900 \| 100 \|$/m);
    assert.match(
      out,
      /^bounded\(100\) refused 900 of 1000 casts, and the core counted each one\.$/m,
    );
  });
});

describe("examples/bun/main.ts (under bun test)", () => {
  const skip = runtime !== "bun" && "run under bun test";
  it("casts and calls, survives a crash, serves /health, exits", { skip }, async () => {
    const result = await run(process.execPath, ["examples/bun/main.ts"]);
    assertExitedCleanly(result);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines[0], "views of /: 2");
    assert.equal(lines[1], "page_views exited: TypeError: view: not a path: pricing");
    assertRestarted(lines);
    assert.ok(lines.includes("views of /pricing: 1"), lines.join("\n"));
    assertServedHealth(lines);
    assert.match(result.stderr, /^crash: page_views in handleCast$/m);
    assert.match(result.stderr, /^supervisor: restart page_views$/m);
  });
});

describe("examples/node/main.ts (under node --test, compiled by the npm build)", () => {
  const skip = runtime !== "node" && "run under node --test npm/tests/";
  it("calls and casts, survives a crash, serves /health, exits", { skip }, async () => {
    // This file is npm/tests/examples/runtime_examples_test.js here; the example beside it in npm/.
    const result = await run(process.execPath, [root("examples/node/main.js")]);
    assertRateLimiter(result);
  });
});
