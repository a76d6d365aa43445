/**
 * Entry point: the target of `cast`, `send`, `call`, `link` and `monitor`
 * (private: not a test file). A live pid or registered name reaches its
 * process; a dead or foreign pid, or an unregistered name, is `"noproc"`
 * (a call fails at once, a link or monitor reports `noproc`); anything else
 * is a TypeError — and nothing is delivered to anyone, nothing is left in
 * the tables, and the host survives.
 *
 * @module
 */

import fc from "fast-check";
import {
  DownMessage,
  ExitMessage,
  type GenServer,
  noreply,
  ok,
  reply,
} from "../../src/gen_server.ts";
import { Pid } from "../../src/pid.ts";
import { describeHostile, describeValue, type Hostile, hostile, make } from "./_hostile.ts";
import { type RecorderTask, startRecorder } from "./_observe.ts";
import type { EntryPoint } from "./_property.ts";
import { describeError, isValidationError, type Run } from "./_run.ts";

/** The operations whose target is fuzzed. */
export type TargetOp = "cast" | "send" | "call" | "ctx.link" | "system.monitor" | "ctx.monitor";

/** A target: a real one (live, dead, foreign), a name, or a hostile value. */
export type TargetSpec =
  | { readonly kind: "livePid" }
  | { readonly kind: "deadPid" }
  | { readonly kind: "foreignPid"; readonly serial: number }
  | { readonly kind: "pidCopy" }
  | { readonly kind: "name"; readonly registered: boolean }
  | { readonly kind: "hostile"; readonly value: Hostile };

/** One input: an operation and its target. */
export interface TargetInput {
  readonly op: TargetOp;
  readonly target: TargetSpec;
}

function describeTarget(target: TargetSpec): string {
  switch (target.kind) {
    case "livePid":
      return "a live pid";
    case "deadPid":
      return "a dead pid";
    case "foreignPid":
      return `new Pid(${describeValue(target.serial)})`;
    case "pidCopy":
      return "a copy of a live pid (equal by value)";
    case "name":
      return target.registered ? "a registered name" : "an unregistered name";
    case "hostile":
      return describeHostile(target.value);
  }
}

/** What the target should resolve to. */
type Expected = "live" | "noproc" | "invalid" | "either";

const NAME = "target";

async function playTarget(run: Run, input: TargetInput): Promise<void> {
  const system = run.t.system;
  const empty = run.tables();
  const recorder = await startRecorder(run);
  if (!recorder) return;
  let handled = 0;
  const server: GenServer<number, unknown> = {
    init: () => ok(0),
    handleCall: (_r, _f, s) => {
      handled++;
      return reply("pong", s);
    },
    handleCast: (_r, s) => {
      handled++;
      return noreply(s);
    },
    handleInfo: (_m, s) => {
      handled++;
      return noreply(s);
    },
  };
  const live = run.track(() => system.start(server, undefined, { name: NAME }));
  const dead = run.track(() => system.start(server, undefined));
  if (!await run.drive(0)) return;
  if (!(live.value instanceof Pid) || !(dead.value instanceof Pid)) {
    run.fail("other", "a sane start failed");
    return;
  }
  run.kill(dead.value);
  if (!await run.drive(0)) return;

  let target: unknown;
  let expected: Expected;
  switch (input.target.kind) {
    case "livePid":
      target = live.value;
      expected = "live";
      break;
    case "deadPid":
      target = dead.value;
      expected = "noproc";
      break;
    case "foreignPid":
      target = new Pid(input.target.serial);
      expected = Number.isInteger(input.target.serial) && input.target.serial > 0 &&
          input.target.serial <= dead.value.serial
        ? "either" // a serial this system used: live or dead, the runtime says
        : "noproc";
      break;
    case "pidCopy":
      target = new Pid(live.value.serial);
      expected = "either"; // pids are values: an equal pid may name the live process
      break;
    case "name":
      target = input.target.registered ? NAME : "nobody";
      expected = input.target.registered ? "live" : "noproc";
      break;
    default:
      target = make(input.target.value);
      expected = typeof target === "string" ? (target === NAME ? "live" : "either") : "invalid";
  }

  // link takes a pid only (as OTP's link/1): a name is not a target for it.
  if (input.op === "ctx.link" && typeof target === "string") expected = "invalid";
  const handledBefore = handled;
  let outcome: { value: unknown } | { error: unknown } | undefined;
  const attempt = (fn: () => unknown) => {
    try {
      outcome = { value: fn() };
    } catch (error) {
      outcome = { error };
    }
  };
  let called: ReturnType<Run["track"]> | undefined;
  const onDown: unknown[] = [];
  switch (input.op) {
    case "cast":
      attempt(() => system.cast(target as Pid, "hello"));
      break;
    case "send":
      attempt(() => system.send(target as Pid, "hello"));
      break;
    case "call":
      called = run.track(() => system.call(target as Pid, "hello", { timeout: 1000 }));
      outcome = called.threw ? { error: called.error } : { value: "promise" };
      break;
    case "system.monitor":
      attempt(() => system.monitor(target as Pid, (reason) => onDown.push(reason)));
      break;
    case "ctx.link":
    case "ctx.monitor": {
      const task: RecorderTask = (ctx) =>
        attempt(() =>
          input.op === "ctx.link" ? ctx.link(target as Pid) : ctx.monitor(target as Pid)
        );
      system.cast(recorder.pid, task);
      break;
    }
  }
  if (!await run.drive(0)) return;
  if (outcome === undefined) {
    run.fail("other", `${input.op} never ran`);
    return;
  }
  const reached = handled > handledBefore;
  if ("error" in outcome) {
    run.check(
      expected === "invalid" || expected === "either",
      "other",
      () =>
        `${input.op} threw ${describeError((outcome as { error: unknown }).error)} for ${
          describeTarget(input.target)
        }`,
    );
    run.check(
      isValidationError(outcome.error),
      "other",
      () =>
        `${input.op} refused ${describeTarget(input.target)} with ${
          describeError((outcome as { error: unknown }).error)
        }, not a TypeError`,
    );
  } else {
    // A call refuses by rejecting its Promise (checked below), never by throwing.
    const refusedCall = input.op === "call" && called?.state === "rejected";
    run.check(
      expected !== "invalid" || refusedCall,
      "other",
      `${input.op} accepted ${describeTarget(input.target)} as a target`,
    );
    if (input.op === "cast" || input.op === "send") {
      const value = outcome.value;
      const ok = value === "ok" || value === "noproc" || value === "overloaded" ||
        value === "dropped";
      run.check(ok, "other", () => `${input.op} returned ${describeValue(value)}, not a Delivery`);
      if (expected === "live") {
        run.check(
          value === "ok",
          "other",
          `${input.op} to a live target returned ${describeValue(value)}`,
        );
      }
      if (expected === "noproc") {
        run.check(
          value === "noproc",
          "other",
          `${input.op} to a dead target returned ${describeValue(value)}`,
        );
      }
    }
  }
  if (called && !called.threw) {
    run.expectSettled(
      called,
      "unsettledCall",
      `a call to ${describeTarget(input.target)} (no time has passed: it must fail at once)`,
    );
    if (called.state === "rejected" && expected === "invalid") {
      run.check(
        isValidationError(called.error),
        "other",
        () =>
          `call refused ${describeTarget(input.target)} with ${
            describeError(called!.error)
          }, not a TypeError`,
      );
    }
  }
  if (expected === "noproc" || expected === "invalid") {
    run.check(
      !reached,
      "other",
      `${input.op} to ${describeTarget(input.target)} reached a live process`,
    );
  }
  if (input.op === "ctx.link" && expected === "noproc") {
    const exits = recorder.log.filter((m) => m instanceof ExitMessage && m.reason === "noproc");
    run.check(
      exits.length === 1,
      "other",
      `linking to ${
        describeTarget(input.target)
      } sent the linker ${exits.length} EXIT noproc (one)`,
    );
  }
  if (input.op === "ctx.monitor" && expected === "noproc") {
    const downs = recorder.log.filter((m) => m instanceof DownMessage && m.reason === "noproc");
    run.check(
      downs.length === 1,
      "other",
      `monitoring ${describeTarget(input.target)} gave ${downs.length} DOWN noproc (one)`,
    );
  }
  if (input.op === "system.monitor" && expected === "noproc" && !("error" in outcome)) {
    run.check(
      onDown.length === 1 && onDown[0] === "noproc",
      "other",
      `monitoring ${
        describeTarget(input.target)
      } called onDown ${onDown.length} times with noproc (once)`,
    );
  }
  // Everything involved exits: the tables must be empty again.
  run.kill(live.value);
  run.kill(recorder.pid);
  if (!await run.drive(0)) return;
  run.expectTables(
    empty,
    `after ${input.op} to ${describeTarget(input.target)} and every process's exit`,
  );
}

/** The target entry point. */
export const targetEntries = [
  {
    name:
      "targets of cast, send, call, link and monitor: bad ones are refused, dead ones are noproc",
    input: fc.record({
      op: fc.constantFrom<TargetOp>(
        "cast",
        "send",
        "call",
        "ctx.link",
        "system.monitor",
        "ctx.monitor",
      ),
      target: fc.oneof(
        { arbitrary: fc.constant({ kind: "livePid" as const }), weight: 1 },
        { arbitrary: fc.constant({ kind: "deadPid" as const }), weight: 1 },
        {
          arbitrary: fc.record({
            kind: fc.constant("foreignPid" as const),
            serial: fc.constantFrom(0, -1, 999, 2 ** 40, NaN, 1.5, Infinity),
          }),
          weight: 1,
        },
        { arbitrary: fc.constant({ kind: "pidCopy" as const }), weight: 1 },
        {
          arbitrary: fc.record({ kind: fc.constant("name" as const), registered: fc.boolean() }),
          weight: 1,
        },
        {
          arbitrary: fc.record({ kind: fc.constant("hostile" as const), value: hostile() }),
          weight: 6,
        },
      ),
    }),
    describe: (input: TargetInput) => `${input.op} to ${describeTarget(input.target)}`,
    run: (input: TargetInput, run: Run) => playTarget(run, input),
  } satisfies EntryPoint<TargetInput>,
] as const;
