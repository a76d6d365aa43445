/**
 * Running a program to its end in a child process, from any of the three
 * test runners (private: not a test file): which runtime runs the tests,
 * how `deno test` may start Deno, and `run` itself.
 *
 * @module
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";

/** Not a speed limit: only a net under a child that hangs (a busy machine takes seconds). */
export const CHILD_HANG_MS = 120_000;

/** The runtime running the tests. */
export type Runtime = "deno" | "bun" | "node";

interface DenoRun {
  execPath(): string;
  permissions: { querySync(descriptor: { name: "run"; command: string }): { state: string } };
}

const host = globalThis as { Deno?: DenoRun; Bun?: unknown };

/** The runtime running the tests. */
export const runtime: Runtime = host.Deno !== undefined
  ? "deno"
  : host.Bun !== undefined
  ? "bun"
  : "node";

/** How `deno test` may start Deno: its own binary, else `deno` on the PATH; or why it may not. */
const denoCommand: { command: string; missing?: string } | { skip: string } = (() => {
  const deno = host.Deno;
  if (deno === undefined) return { skip: "run under deno test" };
  for (const command of [deno.execPath(), "deno"]) {
    if (deno.permissions.querySync({ name: "run", command }).state === "granted") {
      return { command };
    }
  }
  const why = "deno test needs --allow-run=deno to start Deno";
  // In CI the test runs, and fails with this message: what it checks must not rot unseen.
  return process.env.CI ? { command: "", missing: why } : { skip: why };
})();

/** Why this run skips the tests that start Deno (not under deno test, no --allow-run=deno), or false. */
export const denoSkip: string | false = "skip" in denoCommand && denoCommand.skip;

/** The command that starts Deno; fails the test when it may not and `CI` is set. */
export function deno(): string {
  if ("missing" in denoCommand) assert.fail(`${denoCommand.missing} (required when CI is set)`);
  return (denoCommand as { command: string }).command;
}

/** How a child ended, and what it printed. */
export interface Finished {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  /** Its working directory. */
  readonly cwd: string;
  /** Added to (or replacing) this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `command args` to its end (killed if it outlives CHILD_HANG_MS). */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const hang = setTimeout(() => child.kill("SIGKILL"), CHILD_HANG_MS);
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
