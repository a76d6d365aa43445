/**
 * Entry points: `system.monitor(target, onDown)` with a hostile `onDown`,
 * and `system.reply(from, value)` with a hostile `from` or value (private:
 * not a test file).
 *
 * @module
 */

import fc from "fast-check";
import type { From } from "../../src/from.ts";
import { type GenServer, noreply, ok } from "../../src/gen_server.ts";
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
import { describeError, isPromiseUnsafe, isValidationError, type Run } from "./_run.ts";

const idle: GenServer<number, unknown> = { init: () => ok(0) };

async function startIdle(run: Run): Promise<Pid | undefined> {
  const started = run.track(() => run.t.system.start(idle, undefined));
  if (!await run.drive(0)) return undefined;
  if (!(started.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(started.error)}`);
    return undefined;
  }
  return started.value;
}

// ---- monitor -------------------------------------------------------------------------------------

/** An `onDown`: a hostile non-function, or a function that throws or returns a hostile value. */
export type OnDown =
  | { readonly kind: "value"; readonly value: Hostile }
  | { readonly kind: "throws"; readonly thrown: Thrown }
  | { readonly kind: "returns"; readonly value: Hostile };

/** One input of `system.monitor`. */
export interface MonitorInput {
  readonly onDown: OnDown;
  /** The target is already gone (the `noproc` path). */
  readonly targetDead: boolean;
}

function describeOnDown(onDown: OnDown): string {
  if (onDown.kind === "value") return describeHostile(onDown.value);
  if (onDown.kind === "throws") return `an onDown that throws ${onDown.thrown}`;
  return `an onDown that returns ${describeHostile(onDown.value)}`;
}

async function playMonitor(run: Run, input: MonitorInput): Promise<void> {
  const system = run.t.system;
  const baseline = run.tables();
  const pid = await startIdle(run);
  if (!pid) return;
  if (input.targetDead) {
    run.kill(pid);
    if (!await run.drive(0)) return;
  }
  let calls = 0;
  const onDown = input.onDown.kind === "value"
    ? make(input.onDown.value)
    : input.onDown.kind === "throws"
    ? ((thrown: Thrown) => () => {
      calls++;
      throw makeThrown(thrown);
    })(input.onDown.thrown)
    : ((value: Hostile) => () => {
      calls++;
      return make(value);
    })(input.onDown.value);
  const before = run.tables();
  let threw: { error: unknown } | undefined;
  try {
    system.monitor(pid, onDown as () => void);
  } catch (error) {
    threw = { error };
  }
  const afterRefusal = run.tables(); // before the sibling below adds its own monitor
  // A sane sibling monitor registered after it must still be told.
  const sibling: unknown[] = [];
  system.monitor(pid, (reason) => sibling.push(reason));
  if (typeof onDown !== "function") {
    if (!threw) {
      run.fail("other", `monitor accepted ${describeValue(onDown)} as onDown (not a function)`);
    } else {
      run.check(
        isValidationError(threw.error),
        "other",
        () =>
          `monitor refused a non-function onDown with ${
            describeError(threw!.error)
          }, not a TypeError`,
      );
    }
  } else if (threw) {
    run.fail("other", `monitor refused a function onDown: ${describeError(threw.error)}`);
  }
  if (threw) {
    const after = afterRefusal;
    run.check(
      after.monitors === before.monitors && after.monitorHolders === before.monitorHolders,
      "tableLeak",
      "monitor refused its onDown but registered a monitor",
    );
  }
  if (!input.targetDead) {
    run.kill(pid);
  }
  if (!await run.drive(1)) return;
  await Promise.resolve(); // onDown runs on a microtask
  run.check(
    sibling.length === 1,
    "other",
    `a sane monitor next to a hostile one fired ${sibling.length} times (once)`,
  );
  // Only the harness's own onDown functions count their calls (a hostile value may be callable).
  if (input.onDown.kind !== "value" && !threw) {
    run.check(calls === 1, "other", `onDown ran ${calls} times (once)`);
  }
  run.expectTables(baseline, "after the monitored process exited");
}

// ---- reply ----------------------------------------------------------------------------------------

/** A `from` to reply to: the caller's real one, a hostile value, or a forged look-alike. */
export type FromSpec =
  | { readonly kind: "real" }
  | { readonly kind: "realTwice" }
  | { readonly kind: "hostile"; readonly value: Hostile }
  | { readonly kind: "forged"; readonly callId: Hostile };

/** One input of `system.reply`. */
export interface ReplyInput {
  readonly from: FromSpec;
  readonly value: Hostile;
}

function describeFrom(from: FromSpec): string {
  switch (from.kind) {
    case "real":
      return "the caller's from";
    case "realTwice":
      return "the caller's from, twice";
    case "hostile":
      return describeHostile(from.value);
    case "forged":
      return `a forged { pid: undefined, callId: ${describeHostile(from.callId)} }`;
  }
}

const REPLY_TIMEOUT = 1000;

async function playReply(run: Run, input: ReplyInput): Promise<void> {
  const system = run.t.system;
  const baseline = run.tables();
  const froms: From[] = [];
  const holder: GenServer<number, unknown> = {
    init: () => ok(0),
    handleCall: (_request, from, state) => {
      froms.push(from);
      return noreply(state);
    },
  };
  const started = run.track(() => system.start(holder, undefined));
  if (!await run.drive(0)) return;
  if (!(started.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(started.error)}`);
    return;
  }
  const pid = started.value;
  const observation = await Observation.attach(run, pid);
  if (!observation) return;
  // The reply value is boxed by the harness: a thenable reply must not be adopted here.
  const called = run.track(() =>
    system.call(pid, "wait", { timeout: REPLY_TIMEOUT }).then((value) => ({ value }))
  );
  if (!await run.drive(0)) return;
  if (froms.length !== 1) {
    run.fail("other", "the call never reached handleCall");
    return;
  }
  const value = make(input.value);
  const from = input.from.kind === "real" || input.from.kind === "realTwice"
    ? froms[0]
    : input.from.kind === "hostile"
    ? make(input.from.value)
    : { pid: undefined, callId: make(input.from.callId) };
  let threw: { error: unknown } | undefined;
  try {
    system.reply(from as From, value);
    if (input.from.kind === "realTwice") system.reply(from as From, value);
  } catch (error) {
    threw = { error };
  }
  const real = input.from.kind === "real" || input.from.kind === "realTwice";
  if (threw) {
    // A reply that no Promise can hand over as itself (a thenable) may be refused at once.
    run.check(
      (!real || isPromiseUnsafe(value)) && isValidationError(threw.error),
      "other",
      () => `reply(${describeFrom(input.from)}, value) threw ${describeError(threw!.error)}`,
    );
  }
  if (!await run.drive(REPLY_TIMEOUT + 1)) return;
  if (!run.expectSettled(called, "unsettledCall", "the call waiting for the reply")) return;
  // A reply that cannot travel through a Promise as itself may be refused (a named error,
  // checked by expectSettled) or replaced; any other reply reaches the caller as it is.
  if (real && !isPromiseUnsafe(value)) {
    run.check(
      called.state === "fulfilled",
      "other",
      () => `the caller got ${describeError(called.error)}, not its reply`,
    );
    if (called.state === "fulfilled") {
      const got = (called.value as { value: unknown }).value;
      run.check(
        Object.is(got, value),
        "other",
        () =>
          `the caller got ${describeValue(got)}, not the reply ${
            describeValue(value)
          } (adopted as a thenable?)`,
      );
    }
  }
  run.kill(pid);
  if (!await run.drive(0)) return;
  observation.checkExit(run, "the process that held the call");
  run.expectTables(baseline, "after the reply and the process's exit");
}

// ---- entries ---------------------------------------------------------------------------------------

const thrownArb = fc.constantFrom<Thrown>(
  "error",
  "string",
  "undefined",
  "nullProtoBigInt",
  "revokedProxy",
  "symbol",
);

/** The monitor and reply entry points. */
export const monitorReplyEntries = [
  {
    name: "system.monitor(target, onDown): a hostile onDown is refused or contained",
    input: fc.record({
      onDown: fc.oneof(
        fc.record({ kind: fc.constant("value" as const), value: hostile() }),
        fc.record({ kind: fc.constant("throws" as const), thrown: thrownArb }),
        fc.record({ kind: fc.constant("returns" as const), value: hostile() }),
      ),
      targetDead: fc.boolean(),
    }),
    describe: (input: MonitorInput) =>
      `system.monitor(${input.targetDead ? "a dead pid" : "a live pid"}, ${
        describeOnDown(input.onDown)
      })`,
    run: (input: MonitorInput, run: Run) => playMonitor(run, input),
  } satisfies EntryPoint<MonitorInput>,
  {
    name: "system.reply(from, value): a hostile from or value is refused or contained",
    input: fc.record({
      from: fc.oneof(
        { arbitrary: fc.constant({ kind: "real" as const }), weight: 2 },
        { arbitrary: fc.constant({ kind: "realTwice" as const }), weight: 1 },
        {
          arbitrary: fc.record({ kind: fc.constant("hostile" as const), value: hostile() }),
          weight: 4,
        },
        {
          arbitrary: fc.record({ kind: fc.constant("forged" as const), callId: hostile() }),
          weight: 1,
        },
      ),
      value: hostile(),
    }),
    describe: (input: ReplyInput) =>
      `system.reply(${describeFrom(input.from)}, ${describeHostile(input.value)})`,
    run: (input: ReplyInput, run: Run) => playReply(run, input),
  } satisfies EntryPoint<ReplyInput>,
] as const;
