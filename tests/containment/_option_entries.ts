/**
 * Entry points: options a caller passes (private: not a test file) — `start`
 * options (`name`, `mailbox.*`, `priority`, `initTimeout`), the `call`
 * timeout, the `stop` timeout, and `sendAfter` / `ctx.sendAfter` /
 * `setTimer` delays. A value the runtime must accept works; one it must
 * refuse is refused with a TypeError or RangeError before anything is
 * delivered or registered (tables unchanged, no name taken, no handler run);
 * one it may decide either way works if accepted and leaves nothing if not.
 *
 * @module
 */

import fc from "fast-check";
import { MAX_BOUND } from "../../src/core/core.ts";
import { type GenServer, noreply, ok } from "../../src/gen_server.ts";
import { Pid } from "../../src/pid.ts";
import { describeHostile, describeValue, type Hostile, hostile, make } from "./_hostile.ts";
import { Observation, type RecorderTask, startRecorder } from "./_observe.ts";
import type { EntryPoint } from "./_property.ts";
import { describeError, isNamedError, isValidationError, type Run, type Tracked } from "./_run.ts";
import {
  combine,
  describeOption,
  makeOption,
  type OptionValue,
  optionValue,
  timeoutValidity,
  type Validity,
} from "./_validity.ts";

/** Counts what reached a process. */
interface Counts {
  inits: number;
  calls: number;
  infos: number;
}

/** A process that counts its callbacks and never replies to calls. */
function counting(counts: Counts): GenServer<number, unknown> {
  return {
    init: () => {
      counts.inits++;
      return ok(0);
    },
    handleCall: (_request, _from, state) => {
      counts.calls++;
      return noreply(state);
    },
    handleCast: (_request, state) => noreply(state),
    handleInfo: (_message, state) => {
      counts.infos++;
      return noreply(state);
    },
  };
}

/** Checks a refusal: a TypeError or RangeError (`strict`), or any rejection, with nothing left behind. */
function expectRefused(run: Run, tracked: Tracked, what: string, strict: boolean): void {
  if (strict) {
    run.check(
      isValidationError(tracked.error),
      "other",
      () =>
        `${what} refused a bad value with ${
          describeError(tracked.error)
        }, not a TypeError or RangeError`,
    );
  }
}

/**
 * Lets the microtasks of the current turn run (no process runs: scheduling is
 * manual), so a promise the runtime rejected at once has settled: a rejection
 * seen now is a refusal of the arguments, not a timeout or an exit.
 */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 8; i++) await Promise.resolve();
}

/** Starts a counting process; undefined (and a violation) if that fails. */
async function startCounting(run: Run, counts: Counts): Promise<Pid | undefined> {
  const started = run.track(() => run.t.system.start(counting(counts), undefined));
  if (!await run.drive(0)) return undefined;
  if (!(started.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(started.error)}`);
    return undefined;
  }
  return started.value;
}

// ---- start options ------------------------------------------------------------------------------

/** One input of `start` options: a hostile value as the whole options argument, or field by field. */
export type StartOptionsInput =
  | { readonly kind: "whole"; readonly whole: Hostile }
  | StartOptionFields;

/** `start` options field by field. */
export interface StartOptionFields {
  readonly kind: "fields";
  readonly name: OptionValue;
  /** A hostile value as `mailbox`, or its fields. */
  readonly mailbox: Hostile | {
    readonly kind: "fields";
    readonly bound: OptionValue;
    readonly overflow: OptionValue;
    readonly initialCapacity: OptionValue;
  } | { readonly kind: "absent" };
  readonly priority: OptionValue;
  readonly initTimeout: OptionValue;
}

const SANE_START = {
  name: "victim",
  bound: 10,
  overflow: "drop_oldest",
  initialCapacity: 8,
  priority: "high",
  initTimeout: 1000,
} as const;

const startOptionFields: fc.Arbitrary<StartOptionFields> = fc.record({
  kind: fc.constant("fields" as const),
  name: optionValue(hostile()),
  mailbox: fc.oneof(
    { arbitrary: fc.constant({ kind: "absent" as const }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant("fields" as const),
        bound: optionValue(),
        overflow: optionValue(hostile()),
        initialCapacity: optionValue(),
      }),
      weight: 3,
    },
    { arbitrary: hostile(), weight: 1 },
  ),
  priority: optionValue(hostile()),
  initTimeout: optionValue(),
});

const startOptionsInput: fc.Arbitrary<StartOptionsInput> = fc.oneof(
  { arbitrary: startOptionFields, weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant("whole" as const), whole: hostile() }), weight: 1 },
);

function buildStartOptions(input: StartOptionsInput): unknown {
  if (input.kind === "whole") return make(input.whole);
  const options: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) options[key] = value;
  };
  set("name", makeOption(input.name, SANE_START.name));
  if (input.mailbox.kind === "fields") {
    const mailbox: Record<string, unknown> = {};
    const bound = makeOption(input.mailbox.bound, SANE_START.bound);
    const overflow = makeOption(input.mailbox.overflow, SANE_START.overflow);
    const capacity = makeOption(input.mailbox.initialCapacity, SANE_START.initialCapacity);
    if (bound !== undefined) mailbox.bound = bound;
    if (overflow !== undefined) mailbox.overflow = overflow;
    if (capacity !== undefined) mailbox.initialCapacity = capacity;
    options.mailbox = mailbox;
  } else if (input.mailbox.kind !== "absent") {
    options.mailbox = make(input.mailbox);
  }
  set("priority", makeOption(input.priority, SANE_START.priority));
  set("initTimeout", makeOption(input.initTimeout, SANE_START.initTimeout));
  return options;
}

// `null` for an optional field that is not a timeout may mean "absent" (the strict rule
// is for timeouts): the runtime decides.
function oneOf(value: unknown, allowed: readonly string[]): Validity {
  if (value === undefined) return "valid";
  if (value === null) return "either";
  return typeof value === "string" && allowed.includes(value) ? "valid" : "invalid";
}

function integerIn(value: unknown, low: number, high: number, infinity = false): Validity {
  if (value === undefined) return "valid";
  if (value === null) return "either";
  if (infinity && value === Infinity) return "valid";
  return typeof value === "number" && Number.isInteger(value) && value >= low && value <= high
    ? "valid"
    : "invalid";
}

/** Whether the options the input builds must be accepted. */
export function startOptionsValidity(input: StartOptionsInput, options: unknown): Validity {
  if (input.kind === "whole") {
    if (options === undefined) return "valid";
    if (typeof options !== "object" || options === null) return "invalid";
    return "either"; // an object that is not a plain options record: the runtime decides
  }
  const o = options as Record<string, unknown>;
  const name = o.name === undefined
    ? "valid"
    : o.name === null
    ? "either"
    : typeof o.name === "string" && o.name.length > 0
    ? "valid"
    : "invalid";
  let mailbox: Validity = "valid";
  if (input.mailbox.kind === "fields") {
    const m = o.mailbox as Record<string, unknown>;
    mailbox = combine(
      integerIn(m.bound, 1, MAX_BOUND - 1, true),
      oneOf(m.overflow, ["reject", "drop_oldest", "drop_newest"]),
      integerIn(m.initialCapacity, 1, 1 << 20),
    );
  } else if (input.mailbox.kind !== "absent") {
    const m = o.mailbox;
    mailbox = m === undefined ? "valid" : typeof m !== "object" // null: the runtime decides, as for every optional field
      ? "invalid"
      : "either";
  }
  // Below 1 ms the init timer may fire before init runs, at the same virtual instant: either.
  const initTimeout = o.initTimeout === undefined
    ? "valid"
    : typeof o.initTimeout === "number" && o.initTimeout >= 0 && o.initTimeout < 1
    ? "either"
    : timeoutValidity(o.initTimeout, true);
  return combine(name, mailbox, oneOf(o.priority, ["high", "normal", "low"]), initTimeout);
}

function describeStartOptions(input: StartOptionsInput): string {
  if (input.kind === "whole") return `start(server, arg, ${describeHostile(input.whole)})`;
  const parts = [
    `name: ${describeOption(input.name, SANE_START.name)}`,
    input.mailbox.kind === "fields"
      ? `mailbox: { bound: ${describeOption(input.mailbox.bound, SANE_START.bound)}, overflow: ${
        describeOption(input.mailbox.overflow, SANE_START.overflow)
      }, initialCapacity: ${
        describeOption(input.mailbox.initialCapacity, SANE_START.initialCapacity)
      } }`
      : `mailbox: ${input.mailbox.kind === "absent" ? "absent" : describeHostile(input.mailbox)}`,
    `priority: ${describeOption(input.priority, SANE_START.priority)}`,
    `initTimeout: ${describeOption(input.initTimeout, SANE_START.initTimeout)}`,
  ];
  return `start(server, arg, { ${parts.join(", ")} })`;
}

async function playStartOptions(run: Run, input: StartOptionsInput): Promise<void> {
  const system = run.t.system;
  const counts: Counts = { inits: 0, calls: 0, infos: 0 };
  const options = buildStartOptions(input);
  const validity = startOptionsValidity(input, options);
  const baseline = run.tables();
  const started = run.track(() =>
    system.start(counting(counts), undefined, options as Parameters<typeof system.start>[2])
  );
  const name = input.kind === "fields" && input.name.kind === "sane" ? SANE_START.name : undefined;
  await microtasks();
  const refused = started.state === "rejected";
  // Refused at once: nothing may have been registered.
  if (refused) run.expectTables(baseline, "right after start refused its options");
  if (!await run.drive(SANE_START.initTimeout + 1)) return;
  if (!run.expectSettled(started, "unsettledStart", "start")) return;
  if (started.state === "rejected" && !refused) {
    // Accepted, then failed: only an init timeout too short to run init may do that.
    if (validity === "valid") {
      run.fail(
        "other",
        () => `start accepted valid options, then failed: ${describeError(started.error)}`,
      );
    }
    run.expectTables(baseline, "after a start that failed");
    return;
  }
  if (refused) {
    if (validity === "valid") {
      run.fail("other", () => `start refused valid options with ${describeError(started.error)}`);
    }
    expectRefused(run, started, "start", validity === "invalid");
    run.check(counts.inits === 0, "other", "start refused its options but init ran anyway");
    if (name) {
      run.check(
        system.whereis(name) === undefined,
        "tableLeak",
        "start refused its options but the name is taken",
      );
    }
    run.expectTables(baseline, "after start refused its options");
    return;
  }
  const pid = started.value;
  if (validity === "invalid") {
    run.fail("other", `start accepted options it must refuse (${describeStartOptions(input)})`);
  }
  if (!(pid instanceof Pid)) {
    run.fail("other", `start resolved with ${describeValue(pid)}, not a pid`);
    run.expectTables(baseline, "after a start that resolved without a pid");
    return;
  }
  if (name) {
    run.check(
      system.whereis(name) === pid,
      "other",
      "start succeeded but its name does not lead to it",
    );
  }
  const observation = await Observation.attach(run, pid);
  if (!observation) return;
  run.kill(pid);
  if (!await run.drive(0)) return;
  observation.checkExit(run, "the started process", name);
  run.expectTables(baseline, "after the started process exited");
}

// ---- call timeout --------------------------------------------------------------------------------

/** One input of a call's options: a hostile value as the whole options argument, or `{ timeout }`. */
export type CallTimeoutInput =
  | { readonly kind: "whole"; readonly whole: Hostile }
  | { readonly kind: "timeout"; readonly timeout: OptionValue };

const CALL_SANE_TIMEOUT = 100;

function callValidity(input: CallTimeoutInput, options: unknown): Validity {
  if (input.kind === "whole") return options === undefined ? "valid" : "either";
  const timeout = (options as { timeout?: unknown }).timeout;
  return timeout === undefined ? "valid" : timeoutValidity(timeout, true);
}

async function playCallTimeout(run: Run, input: CallTimeoutInput): Promise<void> {
  const system = run.t.system;
  const counts: Counts = { inits: 0, calls: 0, infos: 0 };
  const pid = await startCounting(run, counts);
  if (!pid) return;
  const baseline = run.tables();
  const options = input.kind === "whole"
    ? make(input.whole)
    : ((t) => t === undefined ? {} : { timeout: t })(makeOption(input.timeout, CALL_SANE_TIMEOUT));
  const validity = callValidity(input, options);
  const timeout = (() => {
    if (validity === "invalid") return 0;
    const t = run.safe(() => (options as { timeout?: unknown } | undefined)?.timeout, undefined);
    return typeof t === "number" ? t : 5000;
  })();
  const called = run.track(() => system.call(pid, "ping", options as { timeout?: number }));
  await microtasks();
  const refused = called.state === "rejected";
  if (refused) run.expectTables(baseline, "right after call refused its options");
  const wait = Number.isFinite(timeout) ? timeout + 1 : 10_000;
  if (!await run.drive(wait)) return;
  if (refused) {
    run.check(
      counts.calls === 0,
      "other",
      "call refused its options but the request was handled anyway",
    );
    if (validity === "valid") {
      run.fail("other", () => `call refused a valid timeout with ${describeError(called.error)}`);
    }
    expectRefused(run, called, "call", validity === "invalid");
    run.expectTables(baseline, "after call refused its options");
  } else {
    if (validity === "invalid") {
      run.fail(
        "other",
        `call accepted options it must refuse, and ${
          counts.calls > 0 ? "delivered the request" : "did not refuse them"
        }`,
      );
    }
    // A bad timeout that was accepted has no deadline to check (reported above); the call
    // must still settle once the server is gone (checked below).
    if (validity !== "invalid" && Number.isFinite(timeout)) {
      const given = run.safe(
        () => (options as { timeout?: unknown } | undefined)?.timeout,
        undefined,
      );
      run.expectSettled(called, "unsettledCall", `a call with timeout ${describeValue(given)}`);
    } else if (validity !== "invalid") {
      run.check(!called.settled, "other", "a call with no timeout settled though nobody replied");
    }
  }
  run.kill(pid);
  if (!await run.drive(0)) return;
  run.expectSettled(called, "unsettledCall", "a call to a process that was killed");
  if (called.state === "rejected") {
    run.check(
      isNamedError(called.error),
      "other",
      () => `call rejected with ${describeError(called.error)}`,
    );
  }
  const final = run.tables();
  run.check(
    final.calls === 0,
    "tableLeak",
    `${final.calls} call(s) left in the calls table after the server exited`,
  );
}

// ---- stop timeout --------------------------------------------------------------------------------

/** One input of `stop(pid, reason, timeout)`. */
export interface StopTimeoutInput {
  readonly timeout: OptionValue;
  /** The process is suspended, so only the timeout can end it (today). */
  readonly suspended: boolean;
}

const STOP_SANE_TIMEOUT = 100;

async function playStopTimeout(run: Run, input: StopTimeoutInput): Promise<void> {
  const system = run.t.system;
  const counts: Counts = { inits: 0, calls: 0, infos: 0 };
  const baseline = run.tables();
  const pid = await startCounting(run, counts);
  if (!pid) return;
  const observation = await Observation.attach(run, pid);
  if (!observation) return;
  if (input.suspended) system.suspend(pid);
  const timeout = makeOption(input.timeout, STOP_SANE_TIMEOUT);
  const validity = timeout === undefined ? "valid" : timeoutValidity(timeout, true);
  const stopped = run.track(() =>
    timeout === undefined
      ? system.stop(pid, "normal")
      : system.stop(pid, "normal", timeout as number)
  );
  await microtasks();
  const refused = stopped.state === "rejected";
  const wait = typeof timeout === "number" && Number.isFinite(timeout) && validity !== "invalid"
    ? timeout + 1
    : 10_000;
  if (!await run.drive(wait)) return;
  if (refused) {
    run.check(
      system.isAlive(pid),
      "other",
      "stop refused its timeout but the process stopped anyway",
    );
    if (validity === "valid") {
      run.fail("other", () => `stop refused a valid timeout with ${describeError(stopped.error)}`);
    }
    expectRefused(run, stopped, "stop", validity === "invalid");
  } else {
    if (validity === "invalid") {
      run.fail("other", `stop accepted a timeout it must refuse (${describeValue(timeout)})`);
    } else if (!(timeout === undefined || timeout === Infinity)) {
      run.expectSettled(stopped, "unsettledCall", `stop with timeout ${describeValue(timeout)}`);
    }
  }
  if (input.suspended && system.isAlive(pid)) system.resume(pid);
  if (!await run.drive(1)) return;
  if (system.isAlive(pid)) {
    run.check(
      validity !== "valid",
      "other",
      "a stopped process is still alive after it was resumed",
    );
    run.kill(pid);
    if (!await run.drive(0)) return;
  }
  run.expectSettled(stopped, "unsettledCall", "stop (once the process is gone)");
  observation.checkExit(run, "the stopped process");
  run.expectTables(baseline, "after the process stopped");
}

// ---- delays ----------------------------------------------------------------------------------------

/** One input of a delay: which API, the delay, and whether the timer is cancelled at once. */
export interface DelayInput {
  readonly op: "sendAfter" | "ctx.sendAfter" | "setTimer";
  readonly delay: OptionValue;
  readonly cancel: boolean;
}

const SANE_DELAY = 100;

async function playDelay(run: Run, input: DelayInput): Promise<void> {
  const system = run.t.system;
  const counts: Counts = { inits: 0, calls: 0, infos: 0 };
  const recorder = await startRecorder(run);
  if (!recorder) return;
  const baseline = run.tables();
  const pid = await startCounting(run, counts);
  if (!pid) return;
  const delay = makeOption(input.delay, SANE_DELAY);
  const validity = timeoutValidity(delay, false);
  let fired = 0;
  let outcome: { ref: unknown } | { error: unknown } | undefined;
  const attempt = (set: () => unknown) => {
    try {
      const ref = set();
      outcome = { ref };
      if (input.cancel) system.cancelTimer(ref as Parameters<typeof system.cancelTimer>[0]);
    } catch (error) {
      outcome = { error };
    }
  };
  const timersBefore = run.tables().timers;
  if (input.op === "sendAfter") attempt(() => system.sendAfter(pid, "tick", delay as number));
  else if (input.op === "setTimer") attempt(() => system.setTimer(delay as number, () => fired++));
  else {
    const task: RecorderTask = (ctx) => attempt(() => ctx.sendAfter(pid, "tick", delay as number));
    system.cast(recorder.pid, task);
    if (!await run.drive(0)) return;
  }
  if (outcome === undefined) {
    run.fail("other", "the delay was never attempted");
    return;
  }
  const count = () => input.op === "setTimer" ? fired : counts.infos;
  if ("error" in outcome) {
    if (validity === "valid") {
      run.fail(
        "other",
        () =>
          `${input.op} refused a valid delay with ${
            describeError((outcome as { error: unknown }).error)
          }`,
      );
    } else {
      run.check(
        isValidationError(outcome.error) || validity === "either",
        "other",
        () =>
          `${input.op} refused a bad delay with ${
            describeError((outcome as { error: unknown }).error)
          }, not a TypeError or RangeError`,
      );
    }
    run.check(
      run.tables().timers === timersBefore,
      "tableLeak",
      `${input.op} refused its delay but a timer was registered`,
    );
    if (!await run.drive(10_000)) return;
    run.check(count() === 0, "other", `${input.op} refused its delay but the timer fired anyway`);
  } else {
    if (validity === "invalid") {
      run.fail("other", `${input.op} accepted a delay it must refuse (${describeValue(delay)})`);
    }
    const wait = typeof delay === "number" && Number.isFinite(delay) && delay >= 0
      ? delay + 1
      : 10_000;
    if (!await run.drive(wait)) return;
    if (input.cancel) run.check(count() === 0, "other", `a cancelled ${input.op} fired anyway`);
    else if (validity !== "invalid") {
      run.check(
        count() === 1,
        "other",
        `${input.op} with delay ${
          describeValue(delay)
        } fired ${count()} times by its deadline (once)`,
      );
    }
  }
  run.kill(pid);
  if (!await run.drive(0)) return;
  run.expectTables(baseline, `after ${input.op} fired or was cancelled and the target exited`);
}

// ---- entries ------------------------------------------------------------------------------------------

/** The four option entry points. */
export const optionEntries = [
  {
    name:
      "start options (name, mailbox.*, priority, initTimeout): bad ones are refused before anything is registered",
    input: startOptionsInput,
    describe: describeStartOptions,
    run: (input: StartOptionsInput, run: Run) => playStartOptions(run, input),
  } satisfies EntryPoint<StartOptionsInput>,
  {
    name: "call timeout: a bad one is refused before delivery, a good one settles the call by then",
    input: fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant("timeout" as const), timeout: optionValue() }),
        weight: 6,
      },
      {
        arbitrary: fc.record({ kind: fc.constant("whole" as const), whole: hostile() }),
        weight: 1,
      },
    ),
    describe: (input: CallTimeoutInput) =>
      input.kind === "whole"
        ? `call(pid, request, ${describeHostile(input.whole)})`
        : `call(pid, request, { timeout: ${describeOption(input.timeout, CALL_SANE_TIMEOUT)} })`,
    run: (input: CallTimeoutInput, run: Run) => playCallTimeout(run, input),
  } satisfies EntryPoint<CallTimeoutInput>,
  {
    name: "stop timeout: a bad one is refused before delivery, a good one settles the stop by then",
    input: fc.record({ timeout: optionValue(), suspended: fc.boolean() }),
    describe: (input: StopTimeoutInput) =>
      `stop(pid, "normal", ${describeOption(input.timeout, STOP_SANE_TIMEOUT)})${
        input.suspended ? " on a suspended process" : ""
      }`,
    run: (input: StopTimeoutInput, run: Run) => playStopTimeout(run, input),
  } satisfies EntryPoint<StopTimeoutInput>,
  {
    name:
      "sendAfter / ctx.sendAfter / setTimer delays: a bad one is refused, a good one fires once",
    input: fc.record({
      op: fc.constantFrom("sendAfter" as const, "ctx.sendAfter" as const, "setTimer" as const),
      delay: fc.oneof(
        { arbitrary: optionValue(), weight: 4 },
        { arbitrary: fc.constant({ kind: "number" as const, value: Infinity }), weight: 1 },
      ),
      cancel: fc.boolean(),
    }),
    describe: (input: DelayInput) =>
      `${input.op} with delay ${describeOption(input.delay, SANE_DELAY)}${
        input.cancel ? ", cancelled at once" : ""
      }`,
    run: (input: DelayInput, run: Run) => playDelay(run, input),
  } satisfies EntryPoint<DelayInput>,
] as const;
