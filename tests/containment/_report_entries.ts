/**
 * Entry points: formatting reasons, and crash reports through a logger
 * (private: not a test file). `formatReason` of any value returns a string;
 * the errors that carry a reason (`ExitError`, `BadReturnValueError`) and the
 * console logger format any value without throwing; a process that crashes
 * with any reason while handling any message logs exactly one crash report
 * through any logger — one that throws, one that is not a logger at all —
 * and the host survives.
 *
 * @module
 */

import fc from "fast-check";
import { BadReturnValueError, ExitError } from "../../src/errors.ts";
import { formatReason } from "../../src/exit_reason.ts";
import { type GenServer, noreply, ok } from "../../src/gen_server.ts";
import { consoleLogger, type CrashReport, type Logger } from "../../src/logger.ts";
import { Pid } from "../../src/pid.ts";
import {
  describeHostile,
  describeValue,
  type Hostile,
  hostile,
  make,
  makeThrown,
  type Thrown,
} from "./_hostile.ts";
import { Observation } from "./_observe.ts";
import type { EntryPoint } from "./_property.ts";
import { describeError, type Run } from "./_run.ts";

/** Replaces console.error / console.warn while `fn` runs (and its Promise settles); what they printed. */
async function quietConsole<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; printed: string[] }> {
  const printed: string[] = [];
  const saved = { error: console.error, warn: console.warn };
  const capture = (...args: unknown[]) => {
    for (const arg of args) printed.push(typeof arg === "string" ? arg : `<${typeof arg}>`);
  };
  console.error = capture;
  console.warn = capture;
  try {
    return { result: await fn(), printed };
  } finally {
    console.error = saved.error;
    console.warn = saved.warn;
  }
}

// ---- formatting -------------------------------------------------------------------------------

async function playFormat(run: Run, input: { value: Hostile }): Promise<void> {
  const value = make(input.value);
  const attempts: [string, () => unknown][] = [
    ["formatReason", () => formatReason(value)],
    ["new ExitError(pid, reason).message", () => new ExitError("#PID<0.1.0>", value).message],
    [
      "new BadReturnValueError(callback, value).message",
      () => new BadReturnValueError("handleCast", value).message,
    ],
  ];
  for (const [what, attempt] of attempts) {
    try {
      const text = attempt();
      run.check(
        typeof text === "string",
        "other",
        () => `${what} returned ${describeValue(text)}, not a string`,
      );
    } catch (error) {
      run.fail("other", `${what} threw ${describeError(error)}`);
    }
  }
  const report: CrashReport = {
    kind: "crash",
    pid: new Pid(1),
    name: undefined,
    reason: value,
    callback: "handleCast",
    message: value,
    stack: undefined,
  };
  try {
    const { printed } = await quietConsole(() => consoleLogger.report(report));
    run.check(printed.length > 0, "other", "consoleLogger printed nothing for a crash report");
  } catch (error) {
    run.fail("other", `consoleLogger.report threw ${describeError(error)}`);
  }
}

// ---- crash reports through a logger ---------------------------------------------------------------

/** The logger a system is given. */
export type LoggerSpec =
  | { readonly kind: "console" }
  | { readonly kind: "formats" }
  | { readonly kind: "throws"; readonly thrown: Thrown }
  | { readonly kind: "hostile"; readonly value: Hostile };

/** One input: the logger, what the process crashes with, and the message it was handling. */
export interface LoggerInput {
  readonly logger: LoggerSpec;
  readonly reason: Hostile;
  readonly message: Hostile;
}

function describeLogger(logger: LoggerSpec): string {
  switch (logger.kind) {
    case "console":
      return "the console logger";
    case "formats":
      return "a logger that formats every field";
    case "throws":
      return `a logger that throws ${logger.thrown}`;
    case "hostile":
      return `${describeHostile(logger.value)} as the logger`;
  }
}

/** Per-run state of the logger under test (built before the system, read after). */
interface LoggerProbe {
  logger: unknown;
  calls: number;
}

/** The probe of the run now playing each input (made fresh by `system()`, read by `run()`). */
const probes = new WeakMap<LoggerInput, LoggerProbe>();

function freshProbe(input: LoggerInput): LoggerProbe {
  const p: LoggerProbe = { logger: undefined, calls: 0 };
  const spec = input.logger;
  switch (spec.kind) {
    case "console":
      p.logger = {
        report: (r: Parameters<Logger["report"]>[0]) => (p.calls++, consoleLogger.report(r)),
      };
      break;
    case "formats":
      p.logger = {
        report(r: CrashReport) {
          p.calls++;
          void `${formatReason(r.reason)} ${formatReason(r.message)} ${String(r.pid)}`;
        },
      };
      break;
    case "throws":
      p.logger = {
        report() {
          p.calls++;
          throw makeThrown(spec.thrown);
        },
      };
      break;
    case "hostile":
      p.logger = make(spec.value);
      break;
  }
  probes.set(input, p);
  return p;
}

async function playLogger(run: Run, input: LoggerInput): Promise<void> {
  const system = run.t.system;
  const probe = probes.get(input) ?? freshProbe(input);
  const empty = run.tables();
  const server: GenServer<number, unknown> = {
    init: () => ok(0),
    handleCast: (message) => {
      void message;
      throw make(input.reason);
    },
    handleInfo: (_m, s) => noreply(s),
  };
  const started = run.track(() => system.start(server, undefined));
  if (!await run.drive(0)) return;
  if (!(started.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(started.error)}`);
    return;
  }
  const pid = started.value;
  const observation = await Observation.attach(run, pid);
  if (!observation) return;
  system.cast(pid, make(input.message));
  const { result: driven } = await quietConsole(() => run.drive(1));
  if (!driven) return;
  const exit = observation.checkExit(run, "the crashed process");
  if (exit) {
    run.expectReports(pid, exit.reason, "crash", "the crashed process");
    if (input.logger.kind !== "hostile") {
      run.check(
        probe.calls === run.reportsFor(pid).length,
        "other",
        `the logger was called ${probe.calls} times for ${
          run.reportsFor(pid).length
        } crash report(s)`,
      );
    }
  }
  run.expectTables(empty, "after the crashed process is gone");
}

// ---- entries -----------------------------------------------------------------------------------------

const thrownArb = fc.constantFrom<Thrown>(
  "error",
  "string",
  "undefined",
  "nullProtoBigInt",
  "revokedProxy",
  "symbol",
);

/** The two report entry points. */
export const reportEntries = [
  {
    name:
      "formatReason, ExitError, BadReturnValueError and consoleLogger format any value without throwing",
    input: fc.record({ value: hostile() }),
    describe: (input: { value: Hostile }) => `formatting ${describeHostile(input.value)}`,
    run: (input: { value: Hostile }, run: Run) => playFormat(run, input),
  } satisfies EntryPoint<{ value: Hostile }>,
  {
    name: "crash reports: one per crash, through any logger, whatever the reason and message",
    input: fc.record({
      logger: fc.oneof(
        fc.constant({ kind: "console" as const }),
        fc.constant({ kind: "formats" as const }),
        fc.record({ kind: fc.constant("throws" as const), thrown: thrownArb }),
        fc.record({ kind: fc.constant("hostile" as const), value: hostile() }),
      ),
      reason: hostile(),
      message: hostile(),
    }),
    describe: (input: LoggerInput) =>
      `a process handling ${describeHostile(input.message)} throws ${
        describeHostile(input.reason)
      }, with ${describeLogger(input.logger)}`,
    system: (input: LoggerInput) => ({ logger: freshProbe(input).logger as Logger }),
    run: (input: LoggerInput, run: Run) => playLogger(run, input),
  } satisfies EntryPoint<LoggerInput>,
] as const;
