/**
 * Entry points: what a GenServer's callbacks return, throw or reject —
 * `init`, `handleCall`, `handleCast`, `handleInfo`, `handleContinue`,
 * `terminate` — synchronously or through a Promise or a thenable, and the
 * options inside their results (private: not a test file).
 *
 * One scenario serves them all: a process whose callback under test answers
 * once with the hostile outcome (and sanely ever after), watched by a linked
 * recorder, an outside monitor and `whenExited`, with a caller waiting on it
 * (a call, a stop, or the start itself). After virtual time passes the
 * caller's timeout: the host survived, the caller settled, and once the
 * process is gone (killed if it survived) every observer saw one exit with
 * one reason, one crash report was logged if it crashed, and the tables are
 * back to what they were before it started.
 *
 * @module
 */

import fc from "fast-check";
import type { Context } from "../../src/context.ts";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { Pid } from "../../src/pid.ts";
import {
  defineThrowingGetters,
  describeHostile,
  describeValue,
  GETTER_KEYS,
  type GetterKey,
  type Hostile,
  hostile,
  labelled,
  make,
  reasonKind,
} from "./_hostile.ts";
import { Observation, startRecorder } from "./_observe.ts";
import type { EntryPoint } from "./_property.ts";
import {
  carriesReason,
  describeError,
  isNamedError,
  reasonOf,
  type Run,
  sameReason,
  type Tracked,
} from "./_run.ts";

/** The callbacks whose outcomes are fuzzed. */
export type CallbackName =
  | "init"
  | "handleCall"
  | "handleCast"
  | "handleInfo"
  | "handleContinue"
  | "terminate";

/** How a callback hands over its value. */
export type How = "return" | "throw" | "resolve" | "reject" | "asyncReturn" | "asyncThrow";

/** A field of a result-shaped value: a sane value for that field, or a hostile one. */
export type Field = { readonly kind: "sane" } | Hostile;

/** The fields a result may carry. */
export const RESULT_FIELDS = [
  "state",
  "reply",
  "reason",
  "timeout",
  "continue",
  "hibernate",
  "hasReply",
] as const;
/** One of them. */
export type ResultField = typeof RESULT_FIELDS[number];

/** A value shaped like a callback result, some of it hostile. */
export interface ResultSpec {
  readonly kind: "result";
  /** The `type` discriminant: a string (valid or not), or a hostile value. */
  readonly type: string | Hostile;
  readonly fields: Partial<Record<ResultField, Field>>;
  /** Properties replaced by getters that throw. */
  readonly getters: readonly GetterKey[];
  readonly frozen: boolean;
}

/** What the callback under test does, once. */
export interface Outcome {
  readonly how: How;
  readonly value: Hostile | ResultSpec;
}

/** The input of a callback entry point. */
export interface CallbackInput {
  readonly outcome: Outcome;
  /** `init` only: it first starts a child linked to the process. */
  readonly withChild: boolean;
}

/** Virtual ms a caller waits: the call, stop or init timeout. */
export const CALLER_TIMEOUT = 1000;

const SANE: Record<ResultField, () => unknown> = {
  state: () => 0,
  reply: () => "pong",
  reason: () => "normal",
  timeout: () => 10,
  continue: () => "go",
  hibernate: () => true,
  hasReply: () => true,
};

const VALID_TYPES: Record<CallbackName, readonly string[]> = {
  init: ["ok", "ignore", "stop"],
  handleCall: ["reply", "noreply", "stop"],
  handleCast: ["noreply", "stop"],
  handleInfo: ["noreply", "stop"],
  handleContinue: ["noreply", "stop"],
  terminate: ["noreply", "stop"],
};

// ---- inputs ---------------------------------------------------------------------------

/** A field value: sane most of the time, so the hostile part stands out. */
export function field(): fc.Arbitrary<Field> {
  return fc.oneof(
    { arbitrary: fc.constant({ kind: "sane" as const }), weight: 3 },
    { arbitrary: hostile(), weight: 1 },
  );
}

/** Result-shaped values for `callback`: valid types, wrong types, hostile types, hostile fields. */
export function resultSpec(callback: CallbackName): fc.Arbitrary<ResultSpec> {
  return fc.record({
    kind: fc.constant("result" as const),
    type: fc.oneof(
      { arbitrary: fc.constantFrom(...VALID_TYPES[callback]), weight: 6 },
      {
        arbitrary: fc.constantFrom("ok", "reply", "noreply", "stop", "ignore", "bogus", ""),
        weight: 2,
      },
      { arbitrary: hostile(), weight: 1 },
    ),
    fields: fc.record(
      Object.fromEntries(RESULT_FIELDS.map((key) => [key, field()])) as Record<
        ResultField,
        fc.Arbitrary<Field>
      >,
      { requiredKeys: [] },
    ),
    getters: fc.uniqueArray(fc.constantFrom(...GETTER_KEYS), { maxLength: 2 }),
    frozen: fc.boolean(),
  });
}

/** Any outcome of `callback`: returned, thrown, resolved or rejected; hostile or result-shaped. */
export function outcome(callback: CallbackName): fc.Arbitrary<Outcome> {
  return fc.record({
    how: fc.constantFrom<How>("return", "throw", "resolve", "reject", "asyncReturn", "asyncThrow"),
    value: fc.oneof(
      { arbitrary: hostile(), weight: 1 },
      { arbitrary: resultSpec(callback), weight: 1 },
    ),
  });
}

// ---- building and describing outcomes ---------------------------------------------------

/** What building an outcome noted: the reasons of `stop` results (a deliberate stop). */
export interface Notes {
  readonly stopReasons: unknown[];
}

function buildResult(spec: ResultSpec, notes: Notes): unknown {
  const result: Record<string, unknown> = {};
  result.type = typeof spec.type === "string" ? spec.type : make(spec.type);
  for (const key of RESULT_FIELDS) {
    const value = spec.fields[key];
    if (value === undefined) continue;
    result[key] = value.kind === "sane" ? SANE[key]() : make(value);
  }
  if (
    result.type === "stop" && !spec.getters.includes("type") && !spec.getters.includes("reason")
  ) {
    notes.stopReasons.push(result.reason);
  }
  defineThrowingGetters(result, spec.getters, "error");
  if (spec.frozen) Object.freeze(result);
  return labelled(result, describeResult(spec));
}

function build(value: Hostile | ResultSpec, notes: Notes, returned = false): unknown {
  return value.kind === "result"
    ? buildResult(value, notes)
    : make(value, returned ? "returned" : "data");
}

/** Runs an outcome: returns, throws, or returns a Promise that settles as it says. */
export function produce(o: Outcome, notes: Notes): unknown {
  switch (o.how) {
    case "return":
      return build(o.value, notes, true);
    case "throw":
      throw build(o.value, notes);
    case "resolve":
      return Promise.resolve(build(o.value, notes));
    case "reject":
      return Promise.reject(build(o.value, notes));
    case "asyncReturn":
      return (async () => {
        await null;
        return build(o.value, notes);
      })();
    case "asyncThrow":
      return (async () => {
        await null;
        throw build(o.value, notes);
      })();
  }
}

/** A result-shaped value, in words. */
export function describeResult(spec: ResultSpec): string {
  const type = typeof spec.type === "string"
    ? JSON.stringify(spec.type)
    : describeHostile(spec.type);
  const fields = RESULT_FIELDS.filter((key) => spec.fields[key] !== undefined).map((key) => {
    const value = spec.fields[key]!;
    return `${key}: ${value.kind === "sane" ? describeValue(SANE[key]()) : describeHostile(value)}`;
  });
  const getters = spec.getters.length > 0
    ? ` whose getter${spec.getters.length > 1 ? "s" : ""} ${
      spec.getters.map((k) => `\`${k}\``).join(", ")
    } throw`
    : "";
  return `${spec.frozen ? "a frozen " : ""}{ type: ${type}${fields.length ? ", " : ""}${
    fields.join(", ")
  } }${getters}`;
}

const HOW_TEXT: Record<How, string> = {
  return: "returns",
  throw: "throws",
  resolve: "returns a Promise resolved with",
  reject: "returns a Promise rejected with",
  asyncReturn: "awaits, then returns",
  asyncThrow: "awaits, then throws",
};

/** An outcome, in words. */
export function describeOutcome(callback: string, o: Outcome): string {
  const value = o.value.kind === "result" ? describeResult(o.value) : describeHostile(o.value);
  return `${callback} ${HOW_TEXT[o.how]} ${value}`;
}

// ---- the scenario -----------------------------------------------------------------------

/** A server that only starts. */
const idle: GenServer<number, unknown> = { init: () => ok(0) };

/** The name the process under test is started with (it must be free again after its exit). */
export const VICTIM = "victim";

/**
 * Plays `outcome` in `callback` (see the module doc): the scenario of every
 * callback and result-option entry point.
 */
export async function playCallback(
  run: Run,
  callback: CallbackName,
  input: CallbackInput,
): Promise<void> {
  const system = run.t.system;
  const notes: Notes = { stopReasons: [] };
  let fired = false;
  const watched: { observation?: Observation } = {};
  const once = (active: boolean): boolean => {
    if (!active || fired) return false;
    fired = true;
    return true;
  };
  const acted = () => watched.observation?.acted();
  let childPid: Pid | undefined;
  const server: GenServer<unknown, unknown> = {
    init: (_arg, ctx: Context) => {
      if (!once(callback === "init")) return ok(0);
      if (input.withChild) {
        ctx.startLink(idle, undefined).then((pid) => void (childPid = pid), () => {});
      }
      return produce(input.outcome, notes) as never;
    },
    handleCall: (request, _from, state) => {
      acted();
      if (once(callback === "handleCall" && request === "trigger")) {
        return produce(input.outcome, notes) as never;
      }
      return reply("pong", state);
    },
    handleCast: (request, state) => {
      acted();
      if (request === "continue") return noreply(state, { continue: "go" });
      if (once(callback === "handleCast")) return produce(input.outcome, notes) as never;
      return noreply(state);
    },
    handleInfo: (message, state) => {
      acted();
      if (once(callback === "handleInfo" && message === "trigger")) {
        return produce(input.outcome, notes) as never;
      }
      return noreply(state);
    },
    handleContinue: (_value, state) => {
      acted();
      if (once(callback === "handleContinue")) return produce(input.outcome, notes) as never;
      return noreply(state);
    },
    terminate: () => {
      if (once(callback === "terminate")) return produce(input.outcome, notes);
      return undefined;
    },
  };

  if (callback === "init") {
    await playInit(run, server, notes, () => childPid);
    return;
  }

  const recorder = await startRecorder(run);
  if (!recorder) return;
  const baseline = run.tables();
  const started = run.track(() => system.start(server, undefined, { name: VICTIM }));
  if (!await run.drive(0)) return;
  if (started.state !== "fulfilled" || !(started.value instanceof Pid)) {
    run.fail("other", `a sane start failed: ${describeError(started.error)}`);
    return;
  }
  const pid = started.value;
  const observation = await Observation.attach(run, pid, recorder);
  if (!observation) return;
  watched.observation = observation;

  let caller: Tracked;
  let callerName = "a call queued behind the trigger";
  const after = () => run.track(() => system.call(pid, "after", { timeout: CALLER_TIMEOUT }));
  switch (callback) {
    case "handleCall":
      callerName = "the call";
      caller = run.track(() => system.call(pid, "trigger", { timeout: CALLER_TIMEOUT }));
      break;
    case "handleCast":
      system.cast(pid, "trigger");
      caller = after();
      break;
    case "handleInfo":
      system.send(pid, "trigger");
      caller = after();
      break;
    case "handleContinue":
      system.cast(pid, "continue");
      caller = after();
      break;
    default:
      callerName = 'stop(pid, "normal", timeout)';
      caller = run.track(() => system.stop(pid, "normal", CALLER_TIMEOUT));
  }
  const sentAt = run.t.clock.now();
  if (!await run.drive(CALLER_TIMEOUT + 1)) return;
  run.expectSettled(caller, "unsettledCall", callerName);

  const diedByItself = !system.isAlive(pid);
  if (!diedByItself) {
    run.kill(pid);
    if (!await run.drive(0)) return;
  }
  const exit = observation.checkExit(run, "the process", VICTIM);
  if (exit !== undefined) {
    const reason = exit.reason;
    // The caller learns the reason of an exit that came before its timeout.
    const diedAt = observation.diedAt ?? Infinity;
    // A reply that was a thenable settles the caller by itself (ReplyRejectedError when it
    // rejected), whatever the process does next: that is not an exit reason to carry.
    const repliedWithThenable = caller.state === "rejected" &&
      (caller.error as { name?: unknown } | undefined)?.name === "ReplyRejectedError";
    if (
      diedByItself && caller.state === "rejected" && !repliedWithThenable &&
      diedAt < sentAt + CALLER_TIMEOUT
    ) {
      const got = reasonOf(caller.error);
      run.check(
        carriesReason(caller.error, reason),
        "other",
        () =>
          `${callerName} was rejected with ${describeError(caller.error)}${
            got.has ? ` (reason ${describeValue(got.reason)})` : ""
          }, but the process exited with ${describeValue(reason)}`,
      );
    }
    if (callback === "terminate" && diedByItself && reason === "normal") {
      run.check(
        caller.state === "fulfilled",
        "other",
        `${callerName} did not resolve, though the process stopped "normal"`,
      );
    }
    run.expectReports(pid, reason, diedByItself ? "crash" : 0, "the process");
  }
  run.expectTables(baseline, "after the process exited");
}

/** The `init` scenario: the start is the caller; no pid to watch until it resolves. */
async function playInit(
  run: Run,
  server: GenServer<unknown, unknown>,
  notes: Notes,
  childPid: () => Pid | undefined,
): Promise<void> {
  const system = run.t.system;
  const baseline = run.tables();
  const started = run.track(() =>
    system.start(server, undefined, { name: VICTIM, initTimeout: CALLER_TIMEOUT })
  );
  if (!await run.drive(CALLER_TIMEOUT + 1)) return;
  if (!run.expectSettled(started, "unsettledStart", "start (its init)")) return;
  const child = childPid();
  if (started.state === "rejected") {
    const got = reasonOf(started.error);
    run.check(
      system.whereis(VICTIM) === undefined,
      "tableLeak",
      "a start that failed left its name taken",
    );
    const reports = run.t.reports.length;
    if (got.has) {
      const reason = got.reason;
      const deliberate = notes.stopReasons.some((r) => sameReason(r, reason));
      const kind = reasonKind(reason);
      // A stop reason the runtime replaced (it could not carry or print it) may or may not be
      // reported: the stop was deliberate, the replacement is not the process's doing.
      const replacedStop = !deliberate && notes.stopReasons.length > 0 && isNamedError(reason);
      const ambiguous = reason === "timeout" || kind === "unknown" || replacedStop;
      if (ambiguous) {
        run.check(
          reports <= 1,
          "other",
          `a failed init logged ${reports} crash reports (at most one)`,
        );
      } else if (deliberate || kind !== "crash") {
        run.check(
          reports === 0,
          "other",
          `init stopped with ${
            describeValue(reason)
          } (no crash) but ${reports} crash report(s) were logged`,
        );
      } else if (reports === 0) {
        run.fail(
          "missingReport",
          `init crashed with ${describeValue(reason)} but no crash report was logged`,
        );
      } else {
        run.check(reports === 1, "other", `a crashed init logged ${reports} crash reports`);
      }
      // OTP: a failed init unlinks its parent only; its other links get the exit signal.
      if (child !== undefined && (kind === "crash" || kind === "killed")) {
        run.check(
          !system.isAlive(child),
          "other",
          `a child linked to a process whose init failed with ${
            describeValue(reason)
          } is still running (orphaned)`,
        );
      }
    } else {
      run.fail(
        "other",
        `start rejected with ${describeError(started.error)}, which carries no exit reason`,
      );
    }
  } else {
    const pid = started.value;
    run.check(
      run.t.reports.length === 0,
      "other",
      `init succeeded but ${run.t.reports.length} crash report(s) were logged`,
    );
    if (pid instanceof Pid && system.isAlive(pid)) {
      const observation = await Observation.attach(run, pid);
      if (!observation) return;
      run.kill(pid);
      if (!await run.drive(0)) return;
      observation.checkExit(run, "the started process", VICTIM);
    } else {
      run.check(
        system.whereis(VICTIM) === undefined,
        "tableLeak",
        "init returned ignore but its name is taken",
      );
    }
  }
  if (child !== undefined && system.isAlive(child)) {
    run.kill(child);
    if (!await run.drive(0)) return;
  }
  run.expectTables(baseline, "after the process (and the child its init started) exited");
}

/** The entry point of one callback's outcomes. */
export function callbackEntry(callback: CallbackName): EntryPoint<CallbackInput> {
  return {
    name: `${callback}: what it returns, throws or rejects is contained`,
    input: fc.record({
      outcome: outcome(callback),
      withChild: callback === "init" ? fc.boolean() : fc.constant(false),
    }),
    describe: (input) =>
      `${describeOutcome(callback, input.outcome)}${
        input.withChild ? " (after starting a linked child)" : ""
      }`,
    run: (input, run) => playCallback(run, callback, input),
  };
}

/** The six callback entry points. */
export const callbackEntries: readonly EntryPoint<CallbackInput>[] = (
  ["init", "handleCall", "handleCast", "handleInfo", "handleContinue", "terminate"] as const
).map(callbackEntry);
