/**
 * Runs `promtool check metrics` (parse and lint) over exposition text, when
 * it can: promtool must be on the PATH (required when `CI` is set), and Deno
 * must be granted `--allow-run=promtool` (private: not a test file).
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import process from "node:process";

interface DenoPermissions {
  permissions: { querySync(descriptor: { name: "run"; command: string }): { state: string } };
}

/** Why promtool cannot run here, or `undefined` when it can. */
export const PROMTOOL_UNAVAILABLE: string | undefined = (() => {
  const deno = (globalThis as { Deno?: DenoPermissions }).Deno;
  if (deno !== undefined) {
    const state = deno.permissions.querySync({ name: "run", command: "promtool" }).state;
    if (state !== "granted") return "deno test needs --allow-run=promtool to run promtool";
  }
  const probe = spawnSync("promtool", ["--version"], { encoding: "utf8" });
  if (probe.error === undefined && probe.status === 0) return undefined;
  if (process.env.CI) {
    throw new Error("promtool is required when CI is set, but it cannot run: " + probe.error);
  }
  return "promtool is not installed";
})();

/** `promtool check metrics` over `text`: its exit code and output. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
