/**
 * The demo (`examples/demo/main.ts`) as a child process on Deno, on a port
 * the OS chooses, with a known token (private: not a test file).
 *
 * @module
 */

import { type Child, startChild } from "./_child.ts";
import { DENO_BIN, REPO_ROOT } from "./_repo.ts";

/** A running demo. */
export interface Demo {
  readonly child: Child;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly port: number;
  readonly token: string;
  /** Stops it (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

/** A fresh random token. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "e2e-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Starts the demo and resolves once it printed its dashboard address. */
export async function startDemo(durationS = 120): Promise<Demo> {
  const token = randomToken();
  const child = startChild(DENO_BIN, [
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read=.", // the demo's second scheduler: its Worker loads its module
    "examples/demo/main.ts",
    "--port=0",
    `--duration=${durationS}`,
  ], { cwd: REPO_ROOT, env: { BEAMLET_TOKEN: token, NO_COLOR: "1" } });
  try {
    const match = await child.line(
      /^dashboard: (http:\/\/127\.0\.0\.1:(\d+))\/dashboard\?token=(\S+)/,
    );
    if (match[3] !== token) {
      throw new Error(`the demo printed token ${match[3]}, not BEAMLET_TOKEN`);
    }
    return { child, base: match[1], port: Number(match[2]), token, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
