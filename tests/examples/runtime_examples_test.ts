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
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";

/** Not a speed limit: only a net under a child that hangs (a busy machine takes seconds). */
const HANG_MS = 120_000;

type Runtime = "deno" | "bun" | "node";

interface DenoRun {
  execPath(): string;
  permissions: { querySync(descriptor: { name: "run"; command: string }): { state: string } };
}

const host = globalThis as { Deno?: DenoRun; Bun?: unknown };
const runtime: Runtime = host.Deno !== undefined ? "deno" : host.Bun !== undefined ? "bun" : "node";

/** How `deno test` may start Deno: its own binary, else `deno` on the PATH; or why it may not. */
const denoCommand: { command: string; missing?: string } | { skip: string } = (() => {
  const deno = host.Deno;
  if (deno === undefined) return { skip: "run under deno test" };
  const own = deno.execPath();
  for (const command of [own, "deno"]) {
    if (deno.permissions.querySync({ name: "run", command }).state === "granted") {
      return { command };
    }
  }
  const why = "deno test needs --allow-run=deno to run the Deno examples";
  // In CI the test runs, and fails with this message: an example must not rot unseen.
  return process.env.CI ? { command: "", missing: why } : { skip: why };
})();

/** The command that runs Deno; fails the test when it is missing in CI. */
function deno(): string {
  if ("missing" in denoCommand) assert.fail(`${denoCommand.missing} (required when CI is set)`);
  return (denoCommand as { command: string }).command;
}

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` in the repository's root to its end (killed if it outlives HANG_MS). */
function run(command: string, args: readonly string[]): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root(""),
      // PORT=0: any free port, whatever the parent's PORT says.
      env: { ...process.env, PORT: "0", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const hang = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
    child.on("error", (error) => {
      clearTimeout(hang);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(hang);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function assertExitedCleanly(result: Finished): void {
  assert.equal(
    result.code,
    0,
    `exit code ${result.code} (signal ${result.signal})\n${result.stdout}\n${result.stderr}`,
  );
}

/** The lines a user sees: the `restarted` line's two pids differ, `/health` answered ok. */
function assertServedHealth(lines: readonly string[]): void {
  const url = lines.find((line) => line.startsWith("listening on "));
  assert.match(url ?? "", /^listening on http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(lines.includes('GET /health: 200 {"status":"ok"}'), lines.join("\n"));
  assert.equal(lines.at(-1), "stopped");
}

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

/** Why this run skips the Deno examples, or false. */
const denoSkip = "skip" in denoCommand && denoCommand.skip;

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
