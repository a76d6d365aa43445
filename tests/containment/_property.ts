/**
 * Entry points and the property that runs one (private: not a test file).
 *
 * An entry point is a place where a process, or a careless caller, hands the
 * runtime a value: its input is a description of hostile values (plain data,
 * printable and shrinkable), and `run` plays one scenario on a fresh test
 * system, recording every broken invariant. The tests run each entry point
 * as a fast-check property (3,000 runs); `bench/containment_fuzz.ts` runs
 * the same entry points as a campaign and counts what breaks.
 *
 * @module
 */

import fc from "fast-check";
import type { TestSystemOptions } from "../../src/testing/test_system.ts";
import { describeValue, HarnessError } from "./_hostile.ts";
import { hostTurn, type HostWatch, watchHost } from "./_host_watch.ts";
import { Run, type Violation } from "./_run.ts";

/** A place where hostile values enter the runtime, and a scenario that sends them there. */
export interface EntryPoint<I> {
  /** What the property is called: the entry point and what it checks. */
  readonly name: string;
  /** Hostile inputs, as printable descriptions. */
  readonly input: fc.Arbitrary<I>;
  /** A sentence describing one input (for failure messages; must not throw). */
  describe(input: I): string;
  /** Options of the run's test system (default: none). */
  system?(input: I): TestSystemOptions;
  /** Plays the scenario on `run`'s fresh system, recording every broken invariant. */
  run(input: I, run: Run): Promise<void>;
}

/** An entry point of any input type (for lists). */
// deno-lint-ignore no-explicit-any
export type AnyEntryPoint = EntryPoint<any>;

/** Runs per entry point (the issue asks for at least 3,000). */
export const RUNS = 3000;

/** A run that takes this long (real time) has hung: a failure, not a stuck test run. */
export const RUN_TIMEOUT_MS = 20_000;

/** The whole property is bounded too (real time), in case something slows every run down. */
export const PROPERTY_TIME_LIMIT_MS = 15 * 60_000;

/**
 * Plays one input of an entry point on a fresh test system: its violations,
 * including what the host saw (uncaught exceptions, unhandled rejections)
 * until one host turn after the run.
 */
export async function playOnce<I>(
  entry: EntryPoint<I>,
  input: I,
  watch: HostWatch,
): Promise<Violation[]> {
  const before = watch.events.length;
  let run: Run;
  try {
    run = new Run(entry.system?.(input) ?? {});
  } catch (error) {
    return [{
      category: "other",
      message: `could not create the test system: ${describeValue(error)}`,
    }];
  }
  try {
    await entry.run(input, run);
  } catch (error) {
    if (error instanceof HarnessError) throw error; // fail loudly: not a finding about the runtime
    run.fail(
      "other",
      `the scenario threw where the runtime should have answered (a runtime API threw an unexpected error, or a harness bug): ${
        describeValue(error)
      }`,
    );
  } finally {
    run.dispose();
  }
  await hostTurn(); // unhandled rejections are reported by then
  for (const event of watch.events.slice(before)) {
    run.fail(
      event.kind === "uncaughtException" ? "uncaught" : "unhandled",
      `the host got an ${
        event.kind === "uncaughtException" ? "uncaught exception" : "unhandled rejection"
      }: ${describeValue(event.error)}`,
    );
  }
  return run.violations;
}

/** A property failure: what the input was, and every invariant it broke. */
export class ContainmentError extends Error {
  readonly violations: readonly Violation[];

  constructor(entry: string, input: string, violations: readonly Violation[]) {
    super(
      `${entry}\n  input: ${input}\n${
        violations.map((v) => `  [${v.category}] ${v.message}`).join("\n")
      }`,
    );
    this.name = "ContainmentError";
    this.violations = violations;
  }
}

function runsFromEnv(): number {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    const text = env?.BEAMLET_CONTAINMENT_RUNS;
    const runs = text === undefined ? NaN : Number(text);
    return Number.isInteger(runs) && runs > 0 ? runs : RUNS;
  } catch {
    return RUNS; // Deno without --allow-env
  }
}

function describeInput<I>(entry: EntryPoint<I>, input: I): string {
  try {
    return entry.describe(input);
  } catch {
    return "(could not be described)";
  }
}

/**
 * Checks an entry point as a fast-check property: {@linkcode RUNS} hostile
 * inputs (`BEAMLET_CONTAINMENT_RUNS` overrides it for a quick local run),
 * each on a fresh test system, with the host watched throughout. The first
 * input that breaks an invariant fails it, shrunk, with a readable description.
 *
 * Under `bun test` the property runs in a child `bun` process (see
 * {@linkcode checkInChild}); elsewhere, here.
 */
export function checkContainment<I>(entry: EntryPoint<I>): Promise<void> {
  return "Bun" in globalThis ? checkInChild(entry.name) : checkHere(entry);
}

/** The property itself, in this process. */
export async function checkHere<I>(entry: EntryPoint<I>): Promise<void> {
  const watch = watchHost();
  try {
    await fc.assert(
      fc.asyncProperty(entry.input, async (input) => {
        const violations = await playOnce(entry, input, watch);
        if (violations.length > 0) {
          throw new ContainmentError(entry.name, describeInput(entry, input), violations);
        }
      }),
      {
        numRuns: runsFromEnv(),
        timeout: RUN_TIMEOUT_MS,
        interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS,
        markInterruptAsFailure: true,
        // The violations in the message itself: not every runner prints an error's cause.
        includeErrorInReport: true,
      },
    );
  } finally {
    watch.stop();
  }
}

/** The line a child prints its verdict on. */
export const VERDICT = "CONTAINMENT_VERDICT";

/**
 * Runs the property of the entry point named `name` in a child `bun` process
 * (`_bun_child.ts`) and fails with its counterexample if it failed there.
 *
 * `bun test` takes every uncaught exception and unhandled rejection before
 * any `process.on` listener, fails the current test at once, and starts the
 * next while the old body still runs (oven-sh/bun#14644), so a hostile run
 * would fail whichever test came next — a containment defect blamed on an
 * unrelated test. Under `bun run` the host watch works: the property runs
 * there, whole, and only its verdict comes back.
 */
async function checkInChild(name: string): Promise<void> {
  const { spawn } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const process = (globalThis as unknown as { process: { execPath: string } }).process;
  const script = fileURLToPath(new URL("./_bun_child.ts", import.meta.url));
  const verdict = await new Promise<{ ok: boolean; message: string }>((resolve) => {
    const child = spawn(process.execPath, [script, name], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk) => void (out += String(chunk)));
    child.stderr!.on("data", (chunk) => void (err = (err + String(chunk)).slice(-4000)));
    // The property bounds itself; this bounds a child that hangs all the same.
    const timer = setTimeout(() => child.kill("SIGKILL"), PROPERTY_TIME_LIMIT_MS + 60_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith(`${VERDICT} `));
      if (line) resolve(JSON.parse(line.slice(VERDICT.length + 1)));
      else {
        resolve({
          ok: false,
          message: `the child process running the property ended (${
            signal ?? `code ${code}`
          }) without a verdict: the host died\n${err}`,
        });
      }
    });
  });
  if (!verdict.ok) throw new Error(verdict.message);
}
