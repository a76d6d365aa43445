/**
 * The few things the demo needs from its host runtime — its name and
 * version, the command line, the environment, Ctrl-C, exit — found on
 * Deno, Bun or Node through `globalThis`, with narrow local types so the
 * same file type-checks under `deno check` and under tsc with Node's types.
 *
 * @module
 */

/** The part of the `Deno` global the demo uses. */
interface DenoHost {
  readonly version: { readonly deno: string };
  readonly args: readonly string[];
  readonly env: { get(name: string): string | undefined };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code?: number): never;
}

/** The part of the `Bun` global the demo uses. */
interface BunHost {
  readonly version: string;
}

/** The part of Node's (and Bun's) `process` global the demo uses. */
interface ProcessHost {
  readonly argv: readonly string[];
  readonly env: Record<string, string | undefined>;
  readonly versions: Record<string, string | undefined>;
  on(signal: "SIGINT" | "SIGTERM", handler: () => void): unknown;
  exit(code?: number): never;
}

const host = globalThis as unknown as {
  readonly Deno?: DenoHost;
  readonly Bun?: BunHost;
  readonly process?: ProcessHost;
};

/** Which runtime runs the demo. */
export type RuntimeName = "deno" | "bun" | "node";

/**
 * The runtime running this program.
 *
 * @example Branching on the runtime
 * ```ts
 * import { runtimeName } from "./_host.ts";
 *
 * if (runtimeName() === "node") console.log("compiled by tsc");
 * ```
 */
export function runtimeName(): RuntimeName {
  if (host.Deno !== undefined) return "deno";
  if (host.Bun !== undefined) return "bun";
  return "node";
}

/**
 * The runtime and its version, as `"deno 2.9.6"`.
 *
 * @example The banner line
 * ```ts
 * import { runtimeVersion } from "./_host.ts";
 *
 * console.log(`beamlet demo on ${runtimeVersion()}`);
 * ```
 */
export function runtimeVersion(): string {
  if (host.Deno !== undefined) return `deno ${host.Deno.version.deno}`;
  if (host.Bun !== undefined) return `bun ${host.Bun.version}`;
  return `node ${host.process?.versions.node ?? "unknown"}`;
}

/**
 * The program's command-line arguments (after the script).
 *
 * @example Reading flags
 * ```ts
 * import { commandLine } from "./_host.ts";
 *
 * console.log(commandLine()); // ["--duration=15"]
 * ```
 */
export function commandLine(): readonly string[] {
  if (host.Deno !== undefined) return host.Deno.args;
  return host.process?.argv.slice(2) ?? [];
}

/**
 * An environment variable, or `undefined` when unset or not readable
 * (Deno without `--allow-env`).
 *
 * @example A token from the environment
 * ```ts
 * import { environment } from "./_host.ts";
 *
 * const token = environment("BEAMLET_TOKEN");
 * ```
 */
export function environment(name: string): string | undefined {
  try {
    if (host.Deno !== undefined) return host.Deno.env.get(name);
    return host.process?.env[name];
  } catch {
    return undefined; // Deno: no env permission
  }
}

/**
 * Calls `handler` once on the first SIGINT (Ctrl-C) or SIGTERM.
 *
 * @example Clean shutdown on Ctrl-C
 * ```ts
 * import { onInterrupt } from "./_host.ts";
 *
 * onInterrupt(() => console.log("stopping"));
 * ```
 */
export function onInterrupt(handler: (signal: string) => void): void {
  let fired = false;
  const once = (signal: string) => () => {
    if (fired) return;
    fired = true;
    handler(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      if (host.Deno !== undefined) host.Deno.addSignalListener(signal, once(signal));
      else host.process?.on(signal, once(signal));
    } catch {
      // SIGTERM cannot be listened to everywhere (Deno on Windows): Ctrl-C still works.
    }
  }
}

/**
 * Exits the process with `code`.
 *
 * @example Exit after cleanup
 * ```ts
 * import { exitProcess } from "./_host.ts";
 *
 * exitProcess(0);
 * ```
 */
export function exitProcess(code: number): never {
  if (host.Deno !== undefined) host.Deno.exit(code);
  if (host.process !== undefined) host.process.exit(code);
  throw new Error(`exit(${code}): no process to exit`);
}
