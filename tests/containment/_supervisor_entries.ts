/**
 * Entry points: Supervisor child specs, and children that crash with hostile
 * reasons (private: not a test file). A bad spec is refused with a TypeError
 * or RangeError (a duplicate id with a named error) before any child starts;
 * a child that crashes with any reason is restarted as its restart type says
 * while the supervisor is within its intensity, with one crash report per
 * crash; once the supervisor is gone, every table is empty.
 *
 * @module
 */

import fc from "fast-check";
import { type GenServer, noreply, ok, stop } from "../../src/gen_server.ts";
import { Pid } from "../../src/pid.ts";
import type { ChildSpec } from "../../src/supervisor/child_spec.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import {
  describeHostile,
  describeValue,
  type Hostile,
  hostile,
  hostileSpecOf,
  make,
  reasonKind,
} from "./_hostile.ts";
import type { EntryPoint } from "./_property.ts";
import { describeError, isNamedError, isValidationError, type Run } from "./_run.ts";
import {
  combine,
  describeOption,
  makeOption,
  type OptionValue,
  optionValue,
  timeoutValidity,
  type Validity,
} from "./_validity.ts";

const idle: GenServer<number, unknown> = { init: () => ok(0) };

// ---- child specs ------------------------------------------------------------------------------

/** A child spec: a hostile value, or field by field. */
export type SpecInput =
  | { readonly kind: "whole"; readonly value: Hostile }
  | {
    readonly kind: "fields";
    readonly id: OptionValue;
    readonly start:
      | { readonly kind: "sane" }
      | { readonly kind: "whole"; readonly value: Hostile }
      | { readonly kind: "fields"; readonly server: OptionValue; readonly options: OptionValue };
    readonly restart: OptionValue;
    readonly shutdown: OptionValue;
    readonly type: OptionValue;
  };

/** One input: the children and the supervisor's options. */
export interface SpecsInput {
  readonly children: readonly SpecInput[];
  readonly options: { readonly kind: "sane" } | Hostile;
}

/** Whether a hostile value is one whose reads throw (a Proxy, a revoked one): the runtime may pass that on. */
function throwsOnRead(value: unknown): boolean {
  const spec = hostileSpecOf(value);
  return spec !== undefined && (spec.kind === "proxy" || spec.kind === "revokedProxy");
}

function objectValidity(value: unknown): Validity {
  if (typeof value !== "object" || value === null) return "invalid";
  return throwsOnRead(value) ? "either" : "invalid";
}

function specValidity(spec: unknown, input: SpecInput): Validity {
  if (input.kind === "whole") return objectValidity(spec);
  const s = spec as Record<string, unknown>;
  const id = typeof s.id === "string" && s.id.length > 0 ? "valid" : "invalid";
  let start: Validity = "valid";
  if (input.start.kind === "whole") start = objectValidity(s.start);
  else if (input.start.kind === "fields") {
    const st = s.start as { server?: unknown; options?: unknown };
    start = combine(
      st.server === idle ? "valid" : "invalid",
      st.options === undefined ? "valid" : "either",
    );
  }
  // null for an optional field that is not a timeout may mean "absent": the runtime decides.
  const optional = (value: unknown, ok: boolean): Validity =>
    value === undefined || ok ? "valid" : value === null ? "either" : "invalid";
  const restart = optional(
    s.restart,
    ["permanent", "transient", "temporary"].includes(s.restart as string),
  );
  const type = optional(s.type, s.type === "worker" || s.type === "supervisor");
  let shutdown: Validity = "valid";
  if (s.shutdown !== undefined && s.shutdown !== "brutal_kill" && s.shutdown !== "infinity") {
    shutdown = typeof s.shutdown === "number" && Number.isInteger(s.shutdown)
      ? timeoutValidity(s.shutdown, false)
      : "invalid";
  }
  return combine(id, start, restart, type, shutdown);
}

function buildSpec(input: SpecInput, index: number): unknown {
  if (input.kind === "whole") return make(input.value);
  const spec: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) spec[key] = value;
  };
  set("id", makeOption(input.id, `c${index}`));
  if (input.start.kind === "sane") spec.start = { server: idle };
  else if (input.start.kind === "whole") spec.start = make(input.start.value);
  else {
    const start: Record<string, unknown> = {};
    const server = makeOption(input.start.server, idle);
    const options = makeOption(input.start.options, {});
    if (server !== undefined) start.server = server;
    if (options !== undefined) start.options = options;
    spec.start = start;
  }
  set("restart", makeOption(input.restart, "permanent"));
  set("shutdown", makeOption(input.shutdown, 100));
  set("type", makeOption(input.type, "worker"));
  return spec;
}

function describeSpec(input: SpecInput): string {
  if (input.kind === "whole") return describeHostile(input.value);
  const start = input.start.kind === "sane"
    ? "sane"
    : input.start.kind === "whole"
    ? describeHostile(input.start.value)
    : `{ server: ${describeOption(input.start.server, "idle")}, options: ${
      describeOption(input.start.options, {})
    } }`;
  return `{ id: ${describeOption(input.id, "c<i>")}, start: ${start}, restart: ${
    describeOption(input.restart, "permanent")
  }, shutdown: ${describeOption(input.shutdown, 100)}, type: ${
    describeOption(input.type, "worker")
  } }`;
}

async function playSpecs(run: Run, input: SpecsInput): Promise<void> {
  const system = run.t.system;
  const empty = run.tables();
  const specs = input.children.map(buildSpec);
  let validity = combine(...input.children.map((child, i) => specValidity(specs[i], child)));
  const options = input.options.kind === "sane" ? {} : make(input.options);
  if (input.options.kind !== "sane") {
    validity = combine(
      validity,
      options === undefined
        ? "valid"
        : typeof options !== "object" || options === null
        ? "invalid"
        : "either",
    );
  }
  const ids = specs.map((s) => run.safe(() => (s as { id?: unknown }).id, undefined));
  const duplicate = ids.some((id, i) => typeof id === "string" && ids.indexOf(id) !== i);
  const started = run.track(() =>
    Supervisor.start(
      system,
      specs as ChildSpec[],
      options as Parameters<typeof Supervisor.start>[2],
    )
  );
  if (started.state === "rejected") {
    run.expectTables(empty, "right after Supervisor.start refused its specs");
  }
  if (!await run.drive(0)) return;
  if (!run.expectSettled(started, "unsettledStart", "Supervisor.start")) return;
  if (started.state === "rejected") {
    if (validity === "valid" && !duplicate) {
      run.fail(
        "other",
        () => `Supervisor.start refused valid specs with ${describeError(started.error)}`,
      );
    } else if (validity === "invalid") {
      run.check(
        isValidationError(started.error) || (duplicate && isNamedError(started.error)),
        "other",
        () =>
          `Supervisor.start refused bad specs with ${
            describeError(started.error)
          }, not a TypeError or RangeError`,
      );
    }
    run.expectTables(empty, "after Supervisor.start failed");
    return;
  }
  if (validity === "invalid") run.fail("other", "Supervisor.start accepted a spec it must refuse");
  const sup = started.value;
  if (!(sup instanceof Pid)) {
    run.fail("other", `Supervisor.start resolved with ${describeValue(sup)}`);
    return;
  }
  // Killed rather than stopped: a stop awaits each child's exit, a host turn apiece.
  run.kill(sup);
  if (!await run.drive(0)) return;
  run.expectTables(empty, "after the supervisor (and with it its children) was killed");
}

const specInput: fc.Arbitrary<SpecInput> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("whole" as const), value: hostile() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("fields" as const),
      id: fc.oneof(
        { arbitrary: fc.constant({ kind: "sane" as const }), weight: 4 },
        { arbitrary: optionValue(hostile()), weight: 1 },
      ),
      start: fc.oneof(
        { arbitrary: fc.constant({ kind: "sane" as const }), weight: 4 },
        {
          arbitrary: fc.record({ kind: fc.constant("whole" as const), value: hostile() }),
          weight: 1,
        },
        {
          arbitrary: fc.record({
            kind: fc.constant("fields" as const),
            server: optionValue(hostile()),
            options: optionValue(hostile()),
          }),
          weight: 1,
        },
      ),
      restart: optionValue(hostile()),
      shutdown: optionValue(),
      type: optionValue(hostile()),
    }),
    weight: 5,
  },
);

// ---- crashing children ------------------------------------------------------------------------

/** How a child is made to exit. */
export interface Crash {
  readonly how: "throw" | "stopResult" | "exitSignal";
  readonly reason: Hostile;
}

/** One input: the child's restart type and up to three crashes (within the intensity of 3). */
export interface CrashesInput {
  readonly restart: "permanent" | "transient" | "temporary";
  readonly crashes: readonly Crash[];
}

type CrashCommand = { readonly how: "throw" | "stopResult"; readonly reason: unknown };

const crasher: GenServer<number, unknown> = {
  init: () => ok(0),
  handleCast: (command, state) => {
    const c = command as CrashCommand;
    if (c.how === "throw") throw c.reason;
    return c.how === "stopResult" ? stop(c.reason, state) : noreply(state);
  },
};

/** Virtual ms between crashes. */
const CRASH_SPACING = 1000;

async function childPid(run: Run, sup: Pid, id: string): Promise<Pid | undefined | "failed"> {
  const children = run.track(() => Supervisor.whichChildren(run.t.system, sup));
  if (!await run.drive(0)) return "failed";
  if (children.state !== "fulfilled") {
    run.fail("other", `whichChildren failed: ${describeError(children.error)}`);
    return "failed";
  }
  return children.value!.find((c) => c.id === id)?.pid;
}

async function playCrashes(run: Run, input: CrashesInput): Promise<void> {
  const system = run.t.system;
  const empty = run.tables();
  const started = run.track(() =>
    Supervisor.start(system, [
      { id: "w", start: { server: crasher }, restart: input.restart, shutdown: 100 },
      { id: "s", start: { server: idle }, shutdown: 100 },
    ], { intensity: 3, period: 5000 })
  );
  if (!await run.drive(0)) return;
  if (!(started.value instanceof Pid)) {
    run.fail("other", `a sane supervisor did not start: ${describeError(started.error)}`);
    return;
  }
  const sup = started.value;
  let current = await childPid(run, sup, "w");
  for (const [index, crash] of input.crashes.entries()) {
    const pid = current;
    if (pid === "failed") return;
    if (pid === undefined) break; // a temporary child that is gone, or a transient one that ended
    const exits: unknown[] = [];
    system.monitor(pid, (reason) => exits.push(reason));
    const reason = make(crash.reason);
    if (crash.how === "exitSignal") {
      try {
        system.exit(pid, reason);
      } catch (error) {
        run.fail(
          "other",
          `system.exit(child, ${describeValue(reason)}) threw ${describeError(error)}`,
        );
      }
    } else system.cast(pid, { how: crash.how, reason } satisfies CrashCommand);
    if (!await run.drive(CRASH_SPACING)) return;
    const what = `crash ${index + 1} (${crash.how} with ${describeValue(reason)})`;
    if (
      !run.check(
        system.isAlive(sup),
        "noRestart",
        `the supervisor died after ${what}, within its intensity`,
      )
    ) return;
    if (system.isAlive(pid)) {
      run.check(
        crash.how === "exitSignal" && reason === "normal",
        "other",
        `the child survived ${what}`,
      );
      continue;
    }
    const next = await childPid(run, sup, "w");
    current = next;
    if (next === "failed") return;
    if (
      !run.check(
        exits.length === 1,
        "other",
        `the child's monitor fired ${exits.length} times after ${what}`,
      )
    ) continue;
    const exit = exits[0];
    run.expectReports(
      pid,
      exit,
      crash.how === "exitSignal" ? "atMostOne" : "crash",
      `the child (${what})`,
    );
    const kind = reasonKind(exit);
    const shouldRestart = input.restart === "permanent" ||
      (input.restart === "transient" && (kind === "crash" || kind === "killed"));
    const mayRestart = input.restart === "transient" && kind === "unknown";
    const restarted = next !== undefined && next !== pid && system.isAlive(next);
    if (shouldRestart) {
      run.check(
        restarted,
        "noRestart",
        () =>
          `a ${input.restart} child was not restarted after ${what} (exit reason ${
            describeValue(exit)
          })`,
      );
    } else if (!mayRestart) {
      run.check(
        !restarted,
        "other",
        () =>
          `a ${input.restart} child was restarted after ${what} (exit reason ${
            describeValue(exit)
          })`,
      );
    }
  }
  run.kill(sup);
  if (!await run.drive(0)) return;
  run.expectTables(empty, "after the supervisor (and with it its children) was killed");
}

// ---- entries ------------------------------------------------------------------------------------

/** The two supervisor entry points. */
export const supervisorEntries = [
  {
    name: "Supervisor child specs: bad ones are refused before any child starts",
    input: fc.record({
      children: fc.array(specInput, { minLength: 1, maxLength: 3 }),
      options: fc.oneof(
        { arbitrary: fc.constant({ kind: "sane" as const }), weight: 5 },
        { arbitrary: hostile(), weight: 1 },
      ),
    }),
    describe: (input: SpecsInput) =>
      `Supervisor.start(system, [${input.children.map(describeSpec).join(", ")}], ${
        input.options.kind === "sane" ? "{}" : describeHostile(input.options)
      })`,
    run: (input: SpecsInput, run: Run) => playSpecs(run, input),
  } satisfies EntryPoint<SpecsInput>,
  {
    name:
      "Supervisor children crashing with hostile reasons are restarted as their restart type says",
    input: fc.record({
      restart: fc.constantFrom("permanent" as const, "transient" as const, "temporary" as const),
      crashes: fc.array(
        fc.record({
          how: fc.constantFrom("throw" as const, "stopResult" as const, "exitSignal" as const),
          reason: hostile(),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    describe: (input: CrashesInput) =>
      `a ${input.restart} child ${
        input.crashes.map((c) =>
          `${
            c.how === "throw"
              ? "throws"
              : c.how === "stopResult"
              ? "returns stop with"
              : "gets an exit signal"
          } ${describeHostile(c.reason)}`
        ).join(", then ")
      }`,
    run: (input: CrashesInput, run: Run) => playCrashes(run, input),
  } satisfies EntryPoint<CrashesInput>,
] as const;
