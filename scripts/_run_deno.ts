/**
 * Running the Deno binary on a subcommand and keeping what it printed
 * (private: the checks' shared helper), without colours, with no stdin.
 *
 * @module
 */

/** What a run printed: its exit code, its stdout, and stdout followed by stderr. */
export interface DenoRun {
  /** Exit code. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard output, then standard error. */
  readonly output: string;
}

/** Runs `deno <args>` in `cwd` and waits for it. */
export async function runDeno(args: readonly string[], cwd: URL | string): Promise<DenoRun> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const out = decoder.decode(stdout);
  return { code, stdout: out, output: out + decoder.decode(stderr) };
}
