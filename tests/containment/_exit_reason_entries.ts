/**
 * Entry points: exit reasons (private: not a test file) — `system.exit(pid,
 * reason)`, `ctx.exit(pid, reason)`, `system.stop(pid, reason)`, a
 * `stop(reason)` result, and a crash propagating along links — each with a
 * hostile reason. Whatever the reason, the host survives, the process exits
 * (or, trapping exits, gets an `ExitMessage`) as OTP says, every observer and
 * caller gets that one reason, a process killed while a callback is pending
 * never acts again, and the tables return to baseline.
 *
 * @module
 */

import fc from "fast-check";
import type { Context } from "../../src/context.ts";
import { ExitMessage, type GenServer, noreply, ok, reply, stop } from "../../src/gen_server.ts";
import { Pid } from "../../src/pid.ts";
import { describeHostile, describeValue, type Hostile, hostile, make } from "./_hostile.ts";
import { type CallbackName, CALLER_TIMEOUT, playCallback } from "./_callback_entries.ts";
import { linkReason, Observation, type RecorderTask, startRecorder } from "./_observe.ts";
import type { EntryPoint } from "./_property.ts";
import {
  carriesReason,
  describeError,
  type Run,
  sameOrReplacedReason,
  sameReason,
  type Tracked,
} from "./_run.ts";

/** A gate an async callback waits on, opened by the test. */
interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => open = resolve);
  return { promise, open };
}

/** What a victim does once its gate opens: act through its context, as a dead process must not. */
interface VictimArg {
  readonly trap: boolean;
  readonly recorder: Pid;
  readonly gate: Gate;
  /** The messages it handled (plain messages, trapped exits). */
  readonly log: unknown[];
  /** What its context let it do after the gate opened. */
  readonly late: string[];
}

const idle: GenServer<number, unknown> = { init: () => ok(0) };

/**
 * A process that may trap exits, holds callers that call it "hold", and,
 * cast "gate", awaits the gate and then acts through its context: sends,
 * casts, links, monitors and starts a linked child.
 */
const victim: GenServer<VictimArg, VictimArg> = {
  init: (arg, ctx) => {
    if (arg.trap) ctx.trapExit(true);
    return ok(arg);
  },
  handleCall: (request, _from, arg) => request === "hold" ? noreply(arg) : reply("pong", arg),
  handleCast: async (_request, arg, ctx) => {
    await arg.gate.promise;
    act(ctx, arg);
    return noreply(arg);
  },
  handleInfo: (message, arg) => {
    arg.log.push(message);
    return noreply(arg);
  },
};

function act(ctx: Context, arg: VictimArg): void {
  const attempts: [string, () => unknown][] = [
    ["send", () => ctx.send(arg.recorder, "late send")],
    ["cast", () => ctx.cast(arg.recorder, () => {})],
    ["link", () => ctx.link(arg.recorder)],
    ["monitor", () => ctx.monitor(arg.recorder)],
    ["startLink", () => ctx.startLink(idle, undefined).catch(() => {})],
    ["sendAfter", () => ctx.sendAfter(arg.recorder, "late timer", 10)],
  ];
  for (const [what, attempt] of attempts) {
    try {
      attempt();
      arg.late.push(what);
    } catch {
      // Refused: what a dead process's context should do (or drop silently).
    }
  }
}

// ---- system.exit / ctx.exit ----------------------------------------------------------------

/** One input of the exit-signal entry points. */
export interface ExitSignalInput {
  readonly reason: Hostile;
  readonly trap: boolean;
  /** A caller is waiting on the process (it holds the call). */
  readonly pendingCall: boolean;
  /** The signal arrives while an async callback is pending. */
  readonly pendingCallback: boolean;
}

const exitSignalInput: fc.Arbitrary<ExitSignalInput> = fc.record({
  reason: hostile(),
  trap: fc.boolean(),
  pendingCall: fc.boolean(),
  pendingCallback: fc.boolean(),
});

function describeExitSignal(via: string, input: ExitSignalInput): string {
  return `${via} with ${describeHostile(input.reason)} to a process that ${
    input.trap ? "traps" : "does not trap"
  } exits${input.pendingCall ? ", holding a caller" : ""}${
    input.pendingCallback ? ", while an async callback is pending" : ""
  }`;
}

async function playExitSignal(
  run: Run,
  input: ExitSignalInput,
  fromProcess: boolean,
): Promise<void> {
  const system = run.t.system;
  const recorder = await startRecorder(run);
  if (!recorder) return;
  const baseline = run.tables();
  const arg: VictimArg = {
    trap: input.trap,
    recorder: recorder.pid,
    gate: gate(),
    log: [],
    late: [],
  };
  const started = run.track(() => system.start(victim, arg));
  if (!await run.drive(0)) return;
  if (!(started.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(started.error)}`);
    return;
  }
  const pid = started.value;
  const observation = await Observation.attach(run, pid, recorder);
  if (!observation) return;
  const caller = input.pendingCall
    ? run.track(() => system.call(pid, "hold", { timeout: CALLER_TIMEOUT }))
    : undefined;
  if (caller && !await run.drive(0)) return;

  const reason = make(input.reason);
  let threw: { error: unknown } | undefined;
  const send = () => {
    if (fromProcess) {
      const task: RecorderTask = (ctx) => {
        try {
          ctx.exit(pid, reason);
        } catch (error) {
          threw = { error };
        }
      };
      system.cast(recorder.pid, task);
    } else {
      try {
        system.exit(pid, reason);
      } catch (error) {
        threw = { error };
      }
    }
  };
  if (input.pendingCallback) {
    system.cast(pid, "gate");
    // The first run parks the victim on its gate (and, from a process, sends the signal).
    if (fromProcess) send();
    const driving = run.drive(0);
    if (!fromProcess) send();
    if (system.isAlive(pid)) arg.gate.open(); // it survived: let its callback finish
    if (!await driving) return;
    arg.gate.open();
  } else {
    send();
  }
  if (!await run.drive(1)) return;
  if (threw) {
    run.fail(
      "other",
      `${fromProcess ? "ctx" : "system"}.exit threw ${
        describeError(threw.error)
      } for an exit reason (any value is a reason)`,
    );
  }

  const shouldDie = reason === "kill" || (!input.trap && reason !== "normal");
  const alive = system.isAlive(pid);
  if (!threw) {
    run.check(
      alive !== shouldDie,
      "other",
      `after the exit signal the process is ${alive ? "alive" : "dead"} (expected ${
        shouldDie ? "dead" : "alive"
      })`,
    );
  }
  if (alive && input.trap && reason !== "kill" && !threw) {
    const exits = arg.log.filter((m): m is ExitMessage => m instanceof ExitMessage);
    run.check(
      exits.length === 1,
      "other",
      `a trapping process got ${exits.length} EXIT messages for one signal`,
    );
    if (exits.length === 1) {
      run.check(
        sameOrReplacedReason(exits[0].reason, reason),
        "other",
        () =>
          `the trapped EXIT says ${describeValue(exits[0].reason)}, the signal ${
            describeValue(reason)
          }`,
      );
      run.check(
        exits[0].from === (fromProcess ? recorder.pid : undefined),
        "other",
        "the trapped EXIT names the wrong sender",
      );
    }
  }
  if (alive) run.kill(pid);
  // Long enough for a timer the process set while alive (its sendAfter of 10 ms) to fire.
  if (!await run.drive(20)) return;
  const exit = observation.checkExit(run, "the process");
  if (exit && !alive && !threw) {
    const expected = reason === "kill" ? "killed" : reason;
    run.check(
      sameOrReplacedReason(exit.reason, expected),
      "other",
      () =>
        `the process exited with ${describeValue(exit.reason)}, the signal said ${
          describeValue(reason)
        }`,
    );
    if (caller) checkCallerReason(run, caller, exit.reason, "the held caller");
    run.expectReports(pid, exit.reason, "atMostOne", "the process");
    if (input.pendingCallback) {
      run.check(
        !recorder.log.includes("late send"),
        "other",
        `a process killed while its callback was pending still acted after its death (${
          arg.late.join(", ")
        } went through)`,
      );
    }
  }
  run.expectTables(baseline, "after the process exited");
}

/** A caller rejected because the process exited must carry that exit's reason. */
function checkCallerReason(run: Run, caller: Tracked, reason: unknown, who: string): void {
  if (!run.expectSettled(caller, "unsettledCall", who)) return;
  if (caller.state !== "rejected") return;
  run.check(
    carriesReason(caller.error, reason),
    "other",
    () =>
      `${who} was rejected with ${describeError(caller.error)}, but the process exited with ${
        describeValue(reason)
      }`,
  );
}

// ---- system.stop -------------------------------------------------------------------------

/** One input of `system.stop(pid, reason)`. */
export interface StopInput {
  readonly reason: Hostile;
  readonly trap: boolean;
  readonly pendingCall: boolean;
}

async function playStop(run: Run, input: StopInput): Promise<void> {
  const system = run.t.system;
  const recorder = await startRecorder(run);
  if (!recorder) return;
  const baseline = run.tables();
  const arg: VictimArg = {
    trap: input.trap,
    recorder: recorder.pid,
    gate: gate(),
    log: [],
    late: [],
  };
  const started = run.track(() => system.start(victim, arg));
  if (!await run.drive(0)) return;
  if (!(started.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(started.error)}`);
    return;
  }
  const pid = started.value;
  const observation = await Observation.attach(run, pid, recorder);
  if (!observation) return;
  const caller = input.pendingCall
    ? run.track(() => system.call(pid, "hold", { timeout: CALLER_TIMEOUT }))
    : undefined;
  const given = make(input.reason);
  const reason = given === undefined ? "normal" : given; // stop's default reason
  const stopped = run.track(() => system.stop(pid, given, CALLER_TIMEOUT));
  if (!await run.drive(CALLER_TIMEOUT + 1)) return;
  run.expectSettled(stopped, "unsettledCall", "stop(pid, reason, timeout)");
  const alive = system.isAlive(pid);
  run.check(!alive, "other", "the process is still alive after stop settled");
  if (alive) {
    run.kill(pid);
    if (!await run.drive(0)) return;
  }
  const exit = observation.checkExit(run, "the process");
  if (exit && !alive) {
    run.check(
      sameOrReplacedReason(exit.reason, reason),
      "other",
      () =>
        `stop(${describeValue(reason)}) made the process exit with ${describeValue(exit.reason)}`,
    );
    if (stopped.settled && sameReason(exit.reason, reason)) {
      run.check(
        stopped.state === "fulfilled",
        "other",
        () =>
          `stop rejected with ${
            describeError(stopped.error)
          } though the process exited with its reason`,
      );
    }
    if (caller) checkCallerReason(run, caller, exit.reason, "the held caller");
    run.expectReports(pid, exit.reason, "crash", "the stopped process");
  }
  run.expectTables(baseline, "after the process stopped");
}

// ---- a crash along links ---------------------------------------------------------------------

/** One input of link propagation: how the first process exits, with what reason. */
export interface LinkInput {
  readonly reason: Hostile;
  readonly how: "throw" | "stopResult" | "exitSignal";
}

interface CrasherArg {
  readonly how: LinkInput["how"];
  readonly reason: () => unknown;
  /** The bystander it links to in init. */
  readonly linkTo: Pid;
}

/** Links to its bystander, then, cast anything, throws or stops with the reason. */
const crasher: GenServer<CrasherArg, CrasherArg> = {
  init: (arg, ctx) => {
    ctx.link(arg.linkTo);
    return ok(arg);
  },
  handleCast: (_request, arg) => {
    if (arg.how === "throw") throw arg.reason();
    return stop(arg.reason(), arg);
  },
};

/** A process that does not trap exits and does nothing: it dies of any non-normal link signal. */
const bystander: GenServer<number, undefined> = { init: () => ok(0) };

/**
 * The chain: recorder ─ first ─ bystander ─ recorder (both recorders trap
 * exits). The first exits by a throw, a stop result or an exit signal.
 */
async function playLinks(run: Run, input: LinkInput): Promise<void> {
  const system = run.t.system;
  const near = await startRecorder(run);
  const far = await startRecorder(run);
  if (!near || !far) return;
  const baseline = run.tables();
  let made: { value: unknown } | undefined;
  const reason = () => (made ??= { value: make(input.reason) }).value;
  const bystanderStart = run.track(() => system.start(bystander, undefined));
  if (!await run.drive(0)) return;
  if (!(bystanderStart.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(bystanderStart.error)}`);
    return;
  }
  const middle = bystanderStart.value;
  const crasherStart = run.track(() =>
    system.start(crasher, { how: input.how, reason, linkTo: middle })
  );
  if (!await run.drive(0)) return;
  if (!(crasherStart.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(crasherStart.error)}`);
    return;
  }
  const first = crasherStart.value;
  const firstSeen = await Observation.attach(run, first, near);
  const middleSeen = await Observation.attach(run, middle, far);
  if (!firstSeen || !middleSeen) return;

  if (input.how === "exitSignal") system.exit(first, reason());
  else system.cast(first, "crash");
  if (!await run.drive(1)) return;
  const value = reason();
  const firstDied = !system.isAlive(first);
  const expectFirstDead = input.how !== "exitSignal" || value !== "normal";
  run.check(
    firstDied === expectFirstDead,
    "other",
    () =>
      `the first process is ${firstDied ? "dead" : "alive"} after ${input.how} with ${
        describeValue(value)
      }`,
  );
  if (!firstDied) {
    run.kill(first);
    if (!await run.drive(0)) return;
  }
  const firstExit = firstSeen.checkExit(run, "the first process");
  if (firstExit && firstDied) {
    const expected = input.how === "exitSignal" && value === "kill" ? "killed" : value;
    run.check(
      sameOrReplacedReason(firstExit.reason, expected),
      "other",
      () =>
        `the first process exited with ${describeValue(firstExit.reason)}, not ${
          describeValue(expected)
        }`,
    );
    run.expectReports(
      first,
      firstExit.reason,
      input.how === "exitSignal" ? "atMostOne" : "crash",
      "the first process",
    );
  }
  const signalled = firstExit ? linkReason(firstExit.reason) : undefined;
  const middleDied = !system.isAlive(middle);
  if (firstExit && firstDied) {
    run.check(
      middleDied === (signalled !== "normal"),
      "other",
      () =>
        `a linked process that does not trap exits is ${
          middleDied ? "dead" : "alive"
        } after its link exited with ${describeValue(signalled)}`,
    );
  }
  if (!middleDied) {
    run.kill(middle);
    if (!await run.drive(0)) return;
  }
  const middleExit = middleSeen.checkExit(run, "the linked bystander");
  if (middleExit && middleDied && firstDied) {
    run.check(
      sameReason(middleExit.reason, signalled),
      "other",
      () =>
        `the linked bystander exited with ${describeValue(middleExit.reason)}, its link with ${
          describeValue(signalled)
        }`,
    );
    run.expectReports(middle, middleExit.reason, "atMostOne", "the linked bystander");
  }
  run.expectTables(baseline, "after the linked processes exited");
}

// ---- entries --------------------------------------------------------------------------------

const STOP_RESULT_CALLBACKS: readonly CallbackName[] = [
  "handleCall",
  "handleCast",
  "handleInfo",
  "handleContinue",
];

/** The five exit-reason entry points. */
export const exitReasonEntries = [
  {
    name: "system.exit(pid, reason): any reason is contained",
    input: exitSignalInput,
    describe: (input: ExitSignalInput) => describeExitSignal("system.exit", input),
    run: (input: ExitSignalInput, run: Run) => playExitSignal(run, input, false),
  } satisfies EntryPoint<ExitSignalInput>,
  {
    name: "ctx.exit(pid, reason): any reason is contained",
    input: exitSignalInput,
    describe: (input: ExitSignalInput) => describeExitSignal("ctx.exit from a process", input),
    run: (input: ExitSignalInput, run: Run) => playExitSignal(run, input, true),
  } satisfies EntryPoint<ExitSignalInput>,
  {
    name: "system.stop(pid, reason): any reason is contained",
    input: fc.record({ reason: hostile(), trap: fc.boolean(), pendingCall: fc.boolean() }),
    describe: (input: StopInput) =>
      `system.stop with ${describeHostile(input.reason)}${
        input.pendingCall ? ", holding a caller" : ""
      }`,
    run: (input: StopInput, run: Run) => playStop(run, input),
  } satisfies EntryPoint<StopInput>,
  {
    name: "stop(reason) result: any reason is contained",
    input: fc.record({
      callback: fc.constantFrom(...STOP_RESULT_CALLBACKS),
      reason: hostile(),
      how: fc.constantFrom("return" as const, "resolve" as const, "asyncReturn" as const),
    }),
    describe: (input: { callback: CallbackName; reason: Hostile; how: string }) =>
      `${input.callback} returns (${input.how}) stop(${describeHostile(input.reason)})`,
    run: (
      input: { callback: CallbackName; reason: Hostile; how: "return" | "resolve" | "asyncReturn" },
      run: Run,
    ) =>
      playCallback(run, input.callback, {
        outcome: {
          how: input.how,
          value: {
            kind: "result",
            type: "stop",
            fields: { state: { kind: "sane" }, reason: input.reason },
            getters: [],
            frozen: false,
          },
        },
        withChild: false,
      }),
  } satisfies EntryPoint<
    { callback: CallbackName; reason: Hostile; how: "return" | "resolve" | "asyncReturn" }
  >,
  {
    name: "link propagation: any crash reason reaches links as OTP says",
    input: fc.record({
      reason: hostile(),
      how: fc.constantFrom("throw" as const, "stopResult" as const, "exitSignal" as const),
    }),
    describe: (input: LinkInput) =>
      `the first process of a link chain exits by ${input.how} with ${
        describeHostile(input.reason)
      }`,
    run: (input: LinkInput, run: Run) => playLinks(run, input),
  } satisfies EntryPoint<LinkInput>,
] as const;
