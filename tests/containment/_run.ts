/**
 * One run of a containment property (private: not a test file): a fresh
 * test system (manual scheduling, virtual clock), time moved with a bound so
 * a stall becomes a failure instead of a hang, promises tracked without
 * awaiting them, and every broken invariant recorded with its category —
 * the properties fail on the first run that records one, the campaign
 * (`bench/containment_fuzz.ts`) counts them.
 *
 * @module
 */

import type { Pid } from "../../src/pid.ts";
import type { CrashReport } from "../../src/logger.ts";
import {
  createTestSystem,
  type TestSystem,
  type TestSystemOptions,
} from "../../src/testing/test_system.ts";
import { describeValue, reasonKind } from "./_hostile.ts";

/** What kind of containment failure a violation is (the campaign's columns). */
export type Category =
  | "uncaught"
  | "unhandled"
  | "stalled"
  | "unsettledStart"
  | "unsettledCall"
  | "tableLeak"
  | "missingReport"
  | "noRestart"
  | "other";

/** Every category, in the campaign's column order. */
export const CATEGORIES: readonly Category[] = [
  "uncaught",
  "unhandled",
  "stalled",
  "unsettledStart",
  "unsettledCall",
  "tableLeak",
  "missingReport",
  "noRestart",
  "other",
];

/** One broken invariant. */
export interface Violation {
  readonly category: Category;
  readonly message: string;
}

/** The sizes `system.tableSizes()` reports. */
export type Tables = Record<string, number>;

/** A promise watched without being awaited: how it stands now. */
export class Tracked<T = unknown> {
  state: "pending" | "fulfilled" | "rejected" = "pending";
  value: T | undefined = undefined;
  error: unknown = undefined;
  /** The operation threw instead of returning a promise. */
  threw = false;

  constructor(operation: () => Promise<T>) {
    let promise: Promise<T>;
    try {
      promise = operation();
    } catch (error) {
      this.state = "rejected";
      this.error = error;
      this.threw = true;
      return;
    }
    if (typeof (promise as { then?: unknown } | null)?.then !== "function") {
      this.state = "fulfilled";
      this.value = promise as unknown as T;
      return;
    }
    promise.then(
      (value) => {
        this.state = "fulfilled";
        this.value = value;
      },
      (error) => {
        this.state = "rejected";
        this.error = error;
      },
    );
  }

  /** Whether it has settled. */
  get settled(): boolean {
    return this.state !== "pending";
  }
}

/** Host turns `drive` waits for `advance` while a callback Promise is pending, before calling it a stall. */
export const STALL_TURNS = 50;

function timerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Whether `error` is an `Error` with a name of its own (not a bare `Error`), read defensively. */
export function isNamedError(error: unknown): boolean {
  try {
    if (!(error instanceof Error)) return false;
    const name = error.name;
    return typeof name === "string" && name !== "Error" && name.length > 0;
  } catch {
    return false;
  }
}

/** Whether `error` is a TypeError or a RangeError (argument validation), read defensively. */
export function isValidationError(error: unknown): boolean {
  try {
    return error instanceof TypeError || error instanceof RangeError;
  } catch {
    return false;
  }
}

/** Names an error for a failure message. */
export function describeError(error: unknown): string {
  return describeValue(error);
}

/** The `reason` an ExitError (or any error with one) carries, read defensively. */
export function reasonOf(error: unknown): { has: boolean; reason: unknown } {
  try {
    if (typeof error === "object" && error !== null && "reason" in error) {
      return { has: true, reason: (error as { reason: unknown }).reason };
    }
  } catch {
    // An error that cannot be read has no readable reason.
  }
  return { has: false, reason: undefined };
}

/**
 * Whether a caller's rejection carries `reason`: an error whose `reason` is
 * it (an ExitError), or, for the reason `"noproc"`, a NoProcError (what the
 * runtime answers for a process that is not there).
 */
export function carriesReason(error: unknown, reason: unknown): boolean {
  const got = reasonOf(error);
  if (got.has) return sameReason(got.reason, reason);
  if (reason !== "noproc") return false;
  try {
    return error instanceof Error && error.name === "NoProcError";
  } catch {
    return false;
  }
}

/** Whether two exit reasons are the same (by identity; `NaN` equals itself). */
export function sameReason(a: unknown, b: unknown): boolean {
  return Object.is(a, b);
}

/**
 * Whether a value cannot travel through a Promise as itself: its `then` is a
 * function (it would be adopted) or cannot be read (resolving with it
 * rejects). `whenExited`, `call` and the like can only deliver such a value
 * wrapped, or refuse it. Never throws.
 */
export function isPromiseUnsafe(value: unknown): boolean {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return false;
  try {
    return typeof (value as { then?: unknown }).then === "function";
  } catch {
    return true;
  }
}

/**
 * Whether an exit is the one expected from a reason given to the runtime
 * (a signal, a stop): the same value — or, for an object or function, a
 * named Error in its place: the runtime may replace a reason it cannot carry
 * or print, as long as every observer then sees the replacement.
 */
export function sameOrReplacedReason(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  const replaceable = (typeof expected === "object" && expected !== null) ||
    typeof expected === "function";
  return replaceable && isNamedError(actual);
}

/** A fresh test system and the invariants broken so far in one run. */
export class Run {
  readonly t: TestSystem;
  readonly violations: Violation[] = [];
  /** The scheduler threw or stalled: the system's state says nothing more. */
  broken = false;

  constructor(options: TestSystemOptions = {}) {
    this.t = createTestSystem(options);
  }

  /** Records a broken invariant. */
  fail(category: Category, message: string | (() => string)): void {
    this.violations.push({
      category,
      message: typeof message === "function" ? message() : message,
    });
  }

  /** Records a broken invariant unless `ok`. */
  check(ok: boolean, category: Category, message: string | (() => string)): boolean {
    if (!ok) this.fail(category, message);
    return ok;
  }

  /** Tracks a promise-returning operation (a synchronous throw counts as a rejection). */
  track<T>(operation: () => Promise<T>): Tracked<T> {
    return new Tracked(operation);
  }

  /**
   * Moves virtual time by `ms` and runs until idle. A scheduler that throws
   * out of `runUntilIdle` is an escape (in auto scheduling it would be an
   * uncaught exception); one that has not returned after
   * {@linkcode STALL_TURNS} host turns is a stall (a callback Promise holds
   * it: the system is disposed to end it). Both make the run broken; false then.
   */
  async drive(ms: number): Promise<boolean> {
    if (this.broken) return false;
    let state = "running" as "running" | "done" | "threw";
    let error: unknown;
    const advanced = this.t.advance(ms).then(
      () => void (state = "done"),
      (e) => {
        state = "threw";
        error = e;
      },
    );
    // Most runs settle in microtasks: wait for host turns only while advance has not returned.
    let guarding = true;
    const guard = (async () => {
      for (let turn = 0; guarding && turn < STALL_TURNS; turn++) await timerTurn();
    })();
    await Promise.race([advanced, guard]);
    guarding = false;
    if (state === "threw") {
      this.broken = true;
      this.fail(
        "uncaught",
        `an exception escaped the scheduler (runUntilIdle threw; in auto scheduling the host gets it): ${
          describeError(error)
        }`,
      );
      return false;
    }
    if (state === "running") {
      this.broken = true;
      const inFlight = this.safe(() => this.t.system.schedulerStats().inFlight, -1);
      this.fail(
        "stalled",
        `TestSystem.advance(${ms}) did not return after ${STALL_TURNS} host turns (${inFlight} callback Promise(s) in flight): a callback awaiting what never settles holds the test system`,
      );
      this.dispose();
      for (let turn = 0; state === "running" && turn < STALL_TURNS; turn++) await timerTurn();
      if (state === "running") {
        // Shutdown stopped midway (a process whose exit throws): kill the rest one by one, or
        // runUntilIdle polls forever and the test run never ends.
        for (const pid of this.safe(() => this.t.system.processes(), [] as Pid[])) {
          this.safe(() => this.t.system.exit(pid, "kill"), undefined);
        }
        for (let turn = 0; state === "running" && turn < STALL_TURNS; turn++) await timerTurn();
      }
      if (state === "running") {
        this.fail("stalled", "advance still running after every process was killed");
      }
      return false;
    }
    return true;
  }

  /** `fn()`, or `fallback` if it throws (for reads that must not end a run). */
  safe<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch {
      return fallback;
    }
  }

  /** `system.tableSizes()`; a throw is a violation (and an empty record). */
  tables(): Tables {
    try {
      return { ...this.t.system.tableSizes() };
    } catch (error) {
      this.fail("other", `tableSizes() threw: ${describeError(error)}`);
      return {};
    }
  }

  /** The tables equal `baseline` (`what` says what should have brought them back). */
  expectTables(baseline: Tables, what: string): boolean {
    const now = this.tables();
    const diffs = Object.keys({ ...baseline, ...now })
      .filter((key) => baseline[key] !== now[key])
      .map((key) => `${key} ${baseline[key]} → ${now[key]}`);
    return this.check(
      diffs.length === 0,
      "tableLeak",
      () => `tables not back to baseline ${what}: ${diffs.join(", ")}`,
    );
  }

  /** The crash reports logged for `pid`. */
  reportsFor(pid: Pid): CrashReport[] {
    return this.t.reports.filter((r) => r.pid === pid || r.pid?.serial === pid.serial);
  }

  /**
   * Checks the crash reports of a process that exited with `reason`:
   * `expected` 0, 1, or "crash" (1 if the reason is a crash, 0 if it is
   * clean or `killed`, either when the runtime has to decide), and never more than one.
   */
  expectReports(
    pid: Pid,
    reason: unknown,
    expected: 0 | 1 | "crash" | "atMostOne",
    who: string,
  ): void {
    const reports = this.reportsFor(pid);
    let want: number | "0or1" = 0;
    if (expected === "atMostOne") want = "0or1";
    else if (expected === "crash") {
      const kind = reasonKind(reason);
      want = kind === "crash" ? 1 : kind === "unknown" ? "0or1" : 0;
    } else want = expected;
    if (want === "0or1") {
      this.check(
        reports.length <= 1,
        "other",
        `${who}: ${reports.length} crash reports for one exit (at most one)`,
      );
    } else if (want === 1) {
      if (reports.length === 0) {
        this.fail(
          "missingReport",
          `${who}: crashed with ${describeValue(reason)} but no crash report was logged`,
        );
      } else {
        this.check(
          reports.length === 1,
          "other",
          `${who}: ${reports.length} crash reports for one crash`,
        );
        this.check(
          sameReason(reports[0].reason, reason),
          "other",
          () =>
            `${who}: its crash report says ${describeValue(reports[0].reason)}, its monitors ${
              describeValue(reason)
            }`,
        );
      }
    } else {
      this.check(
        reports.length === 0,
        "other",
        `${who}: exited with ${
          describeValue(reason)
        } (not a crash) but ${reports.length} crash report(s) were logged`,
      );
    }
  }

  /** Checks that a settled-or-not operation settled by now; a rejection must be a named error. */
  expectSettled(
    tracked: Tracked,
    category: "unsettledStart" | "unsettledCall",
    what: string,
  ): boolean {
    if (!this.check(tracked.settled, category, `${what} had not settled after its timeout`)) {
      return false;
    }
    if (tracked.state === "rejected") {
      this.check(
        isNamedError(tracked.error),
        "other",
        () => `${what} rejected with ${describeError(tracked.error)}, not a named Error`,
      );
    }
    return true;
  }

  /** Checks only that an operation settled (any rejection will do: a user's own throw may pass through). */
  expectSettledLoosely(
    tracked: Tracked,
    category: "unsettledStart" | "unsettledCall",
    what: string,
  ): boolean {
    return this.check(tracked.settled, category, `${what} had not settled after its timeout`);
  }

  /**
   * Kills `pid` (`system.exit(pid, "kill")`) to clean up after a scenario. A
   * kill that throws is a violation: exit clean-up must run to its end
   * whatever the process left behind (a registry that throws, a hostile reason).
   */
  kill(pid: Pid): void {
    try {
      this.t.system.exit(pid, "kill");
    } catch (error) {
      this.fail(
        "other",
        `system.exit(${String(pid)}, "kill") threw ${
          describeError(error)
        }: exit clean-up did not run to its end`,
      );
    }
  }

  /** Kills every process and stops the system (idempotent; a throw is a violation). */
  dispose(): void {
    try {
      this.t.dispose();
    } catch (error) {
      this.fail(
        "other",
        `dispose() (system.shutdown()) threw ${
          describeError(error)
        }: exit clean-up did not run to its end`,
      );
    }
  }
}
