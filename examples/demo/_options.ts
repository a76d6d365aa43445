/**
 * The demo's command line: `--port=N` (else env `PORT`, else 8080),
 * `--duration=SECONDS` (else until Ctrl-C), `--rate=OPS` (steady operations
 * per second), `--verbose` (print every crash), `--help`.
 *
 * @module
 */

/** What the command line asked for. */
export interface DemoOptions {
  /** The port to try first. */
  readonly port: number;
  /** Seconds to run, or `undefined`: until Ctrl-C. */
  readonly duration: number | undefined;
  /** Steady operations per second. */
  readonly rate: number;
  /** Print every crash report as a line. */
  readonly verbose: boolean;
  /** Print the usage and exit. */
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: main.ts [--port=N] [--duration=SECONDS] [--rate=OPS] [--verbose]
  --port=N            port of the dashboard and /metrics (default: env PORT, else 8080;
                      a busy port falls back to a free one)
  --duration=SECONDS  stop cleanly after this long (default: run until Ctrl-C)
  --rate=OPS          steady operations per second of the load generator (default 800)
  --verbose           print every crash report as one line
env: BEAMLET_TOKEN (the dashboard token, 16 characters or more; default: a random one), PORT`;

/** A command-line argument that makes no sense. */
export class UsageError extends Error {
  /** The argument. */
  readonly argument: string;

  /** Builds the error for `argument`. */
  constructor(argument: string, expected: string) {
    super(`${argument}: expected ${expected}`);
    this.name = "UsageError";
    this.argument = argument;
  }
}

function number(argument: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(argument, `a number in ${min}..${max}`);
  }
  return n;
}

/**
 * Parses the arguments; `env` reads the environment.
 *
 * @throws {UsageError} An unknown argument or a bad value.
 *
 * @example Flags and defaults
 * ```ts
 * import { parseOptions } from "./_options.ts";
 *
 * const options = parseOptions(["--duration=15", "--port=0"], () => undefined);
 * console.log(options.port, options.duration); // 0 15
 * ```
 */
export function parseOptions(
  args: readonly string[],
  env: (name: string) => string | undefined,
): DemoOptions {
  const fromEnv = env("PORT");
  let port = fromEnv ? number("PORT", fromEnv, 0, 65535) : 8080;
  let duration: number | undefined;
  let rate = 800;
  let verbose = false;
  let help = false;
  for (const argument of args) {
    const [flag, value] = argument.includes("=")
      ? [argument.slice(0, argument.indexOf("=")), argument.slice(argument.indexOf("=") + 1)]
      : [argument, undefined];
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--verbose") verbose = true;
    else if (value === undefined) throw new UsageError(argument, "--name=value");
    else if (flag === "--port") port = Math.trunc(number(argument, value, 0, 65535));
    else if (flag === "--duration") duration = number(argument, value, 0.1, 86_400 * 365);
    else if (flag === "--rate") rate = number(argument, value, 0, 1_000_000);
    else throw new UsageError(argument, "one of --port, --duration, --rate, --verbose, --help");
  }
  return { port, duration, rate, verbose, help };
}
