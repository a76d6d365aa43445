/**
 * Child processes of the end-to-end tests: spawned with their output kept,
 * stopped with SIGTERM then SIGKILL, and killed on exit if a test forgot
 * (private: not a test file).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { sleep } from "./_wait.ts";

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** A running child process and what it printed so far. */
export interface Child {
  readonly process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first stdout line matching `pattern`, or rejects after `timeoutMs` / on exit. */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `command` with `args` (stdin closed, output piped). */
export function startChild(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let text = "";
  let stdout = "";
  const waiters = new Set<() => void>();
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      resolve();
      for (const wake of waiters) wake();
    });
    child.once("error", (error) => {
      text += `\n[spawn error] ${error}`;
      live.delete(child);
      resolve();
      for (const wake of waiters) wake();
    });
  });
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    text += chunk;
    stdout += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr!.on("data", (chunk: string) => {
    text += chunk;
  });
  const isDone = () => child.exitCode !== null || child.signalCode !== null || !live.has(child);
  return {
    process: child,
    output: () => text,
    line(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${text}`));
        }, timeoutMs);
        function check() {
          for (const line of stdout.split("\n")) {
            const match = line.match(pattern);
            if (match) {
              clearTimeout(timer);
              waiters.delete(check);
              return resolve(match);
            }
          }
          if (isDone()) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`exited before printing ${pattern}; output:\n${text}`));
          }
        }
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 3000) {
      if (isDone()) return await exited;
      child.kill("SIGTERM");
      const killed = await Promise.race([
        exited.then(() => true),
        sleep(graceMs).then(() => false),
      ]);
      if (!killed) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}
