/**
 * Model-based property tests of GenServers with fast-check: random sequences
 * of calls, casts and sends, each reply checked against a pure model. For
 * concurrent senders, see `interleavings.ts`.
 *
 * This module imports `fast-check` (install it yourself, as a dev
 * dependency); the main entry of beamlet does not.
 *
 * @module
 */

import fc from "fast-check";
import type { Arbitrary, AsyncCommand, IAsyncPropertyWithHooks, Parameters } from "fast-check";
import type { GenServer } from "../gen_server.ts";
import type { Pid } from "../pid.ts";
import type { StartOptions } from "../system.ts";
import { deepEqual } from "./_deep_equal.ts";
import { inspect, isError } from "../_inspect.ts";
import { ModelMismatchError } from "./errors.ts";
import { createTestSystem, type TestSystem, type TestSystemOptions } from "./test_system.ts";

// ------------------------------------------------------------------ commands

/**
 * A `call` of `request`, whose reply the model predicts.
 *
 * @example A pinned call
 * ```ts
 * import type { CallCommand } from "@beamlet/beamlet/testing";
 *
 * const get: CallCommand<"get"> = { kind: "call", request: "get" };
 * ```
 */
export interface CallCommand<Req> {
  /** A call. */
  readonly kind: "call";
  /** What is asked. */
  readonly request: Req;
}
/**
 * A `cast` of `request`.
 *
 * @example A pinned cast
 * ```ts
 * import type { CastCommand } from "@beamlet/beamlet/testing";
 *
 * const add: CastCommand<number> = { kind: "cast", request: 5 };
 * ```
 */
export interface CastCommand<C> {
  /** A cast. */
  readonly kind: "cast";
  /** What is cast. */
  readonly request: C;
}
/**
 * A plain message (`send`, to `handleInfo`).
 *
 * @example A pinned message
 * ```ts
 * import type { SendCommand } from "@beamlet/beamlet/testing";
 *
 * const tick: SendCommand<"tick"> = { kind: "send", message: "tick" };
 * ```
 */
export interface SendCommand<I> {
  /** A plain message. */
  readonly kind: "send";
  /** What is sent. */
  readonly message: I;
}
/**
 * One step of a model-based run: a call, a cast or a send to the server under test.
 *
 * @example A counterexample, pinned as a sequence
 * ```ts
 * import type { Command } from "@beamlet/beamlet/testing";
 *
 * const sequence: Command<"get", number, "tick">[] = [
 *   { kind: "cast", request: 5 },
 *   { kind: "send", message: "tick" },
 *   { kind: "call", request: "get" },
 * ];
 * ```
 */
export type Command<Req = unknown, C = unknown, I = unknown> =
  | CallCommand<Req>
  | CastCommand<C>
  | SendCommand<I>;

/**
 * Calls of the requests `requests` generates.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { calls } from "@beamlet/beamlet/testing";
 *
 * const pops = calls(fc.constant("pop" as const)); // { kind: "call", request: "pop" }
 * ```
 */
export function calls<Req>(requests: Arbitrary<Req>): Arbitrary<CallCommand<Req>> {
  return requests.map((request) => ({ kind: "call", request }));
}

/**
 * Casts of the requests `requests` generates.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { casts } from "@beamlet/beamlet/testing";
 *
 * const pushes = casts(fc.integer()); // { kind: "cast", request: 42 }
 * ```
 */
export function casts<C>(requests: Arbitrary<C>): Arbitrary<CastCommand<C>> {
  return requests.map((request) => ({ kind: "cast", request }));
}

/**
 * Plain messages (`send`) of what `messages` generates.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { sends } from "@beamlet/beamlet/testing";
 *
 * const ticks = sends(fc.constant("tick")); // { kind: "send", message: "tick" }
 * ```
 */
export function sends<I>(messages: Arbitrary<I>): Arbitrary<SendCommand<I>> {
  return messages.map((message) => ({ kind: "send", message }));
}

// ------------------------------------------------------------------ model-based runs

/**
 * A pure model of a GenServer: the same callbacks, without processes,
 * returning the model's next value (never mutating it). Calls predict the
 * reply, which the run compares with the server's; casts and sends only move
 * the model, and later calls reveal a divergence.
 *
 * @example A counter's model
 * ```ts
 * import type { ServerModel } from "@beamlet/beamlet/testing";
 *
 * const model: ServerModel<number, number, "get", number, number> = {
 *   init: (start) => start,
 *   handleCall: (_request, n) => ({ reply: n, model: n }),
 *   handleCast: (add, n) => n + add,
 * };
 * ```
 */
export interface ServerModel<
  M,
  A = undefined,
  Req = unknown,
  Rep = unknown,
  C = unknown,
  I = unknown,
> {
  /** The model of the state `init(arg)` builds. */
  init(arg: A): M;
  /** The reply to `request` and the next model. */
  handleCall?(request: Req, model: M): { reply: Rep; model: M };
  /** The next model after a cast. */
  handleCast?(request: C, model: M): M;
  /** The next model after a plain message. */
  handleInfo?(message: I, model: M): M;
  /** Whether `command` may run now (a precondition; default: always). */
  accepts?(command: Command<Req, C, I>, model: M): boolean;
}

/**
 * What {@linkcode checkAgainstModel} runs: a server, its model, and the commands to try.
 *
 * @example A counter against its model, with an invariant on the mailbox
 * ```ts
 * import fc from "fast-check";
 * import { noreply, ok, reply } from "@beamlet/beamlet";
 * import { calls, casts, type ModelCheck } from "@beamlet/beamlet/testing";
 *
 * const check: ModelCheck<number, number, number, "get", number, number> = {
 *   server: {
 *     init: (start) => ok(start),
 *     handleCall: (_request, _from, n) => reply(n, n),
 *     handleCast: (add, n) => noreply(n + add),
 *   },
 *   arg: 0,
 *   model: {
 *     init: (start) => start,
 *     handleCall: (_request, n) => ({ reply: n, model: n }),
 *     handleCast: (add, n) => n + add,
 *   },
 *   commands: [calls(fc.constant("get" as const)), casts(fc.integer())],
 *   invariant: (_model, real) => {
 *     if (real.harness.mailbox(real.pid).length !== 0) throw new Error("left unhandled");
 *   },
 * };
 * ```
 */
export interface ModelCheck<S, A, M, Req = unknown, Rep = unknown, C = unknown, I = unknown> {
  /** The GenServer under test. */
  server: GenServer<S, A, Req, Rep, C, I>;
  /** Its `init` argument. */
  arg: A;
  /** The model its replies are checked against. */
  model: ServerModel<M, A, Req, Rep, C, I>;
  /** Arbitraries of the commands (see {@linkcode calls}, {@linkcode casts}, {@linkcode sends}). */
  commands: Arbitrary<Command<Req, C, I>>[];
  /** Most commands per run (default 50). */
  maxCommands?: number;
  /** How replies are compared (default: structural equality). */
  equals?: (actual: Rep, expected: Rep) => boolean;
  /** Checked after every command, e.g. against `harness.mailbox(pid)`; throw to fail. */
  invariant?: (model: M, real: ModelReal) => void | Promise<void>;
  /** Options of `start` (name, mailbox, ...). */
  startOptions?: StartOptions;
  /** Options of each run's fresh {@linkcode TestSystem}. */
  systemOptions?: TestSystemOptions;
}

/**
 * The real side of a model-based run: a fresh test system and the server's pid.
 *
 * @example An invariant that reads the real side
 * ```ts
 * import type { ModelReal } from "@beamlet/beamlet/testing";
 *
 * const drained = (_model: unknown, real: ModelReal) => {
 *   if (real.harness.mailbox(real.pid).length !== 0) throw new Error("left unhandled");
 * };
 * ```
 */
export interface ModelReal {
  /** This run's test system. */
  readonly harness: TestSystem;
  /** The server under test. */
  readonly pid: Pid;
}

/**
 * The model side of a model-based run: the current model value, replaced after each command.
 *
 * @example Reading it
 * ```ts
 * import type { ModelBox } from "@beamlet/beamlet/testing";
 *
 * const box: ModelBox<number> = { state: 0 };
 * box.state += 1;
 * ```
 */
export interface ModelBox<M> {
  /** The model now. */
  state: M;
}

// deno-lint-ignore no-explicit-any
type AnyCheck = ModelCheck<any, any, any, any, any, any, any>;

class ServerCommand<M> implements AsyncCommand<ModelBox<M>, ModelReal> {
  readonly command: Command;
  readonly #spec: AnyCheck;

  constructor(command: Command, spec: AnyCheck) {
    this.command = command;
    this.#spec = spec;
  }

  check(box: Readonly<ModelBox<M>>): boolean {
    return this.#spec.model.accepts?.(this.command, box.state) ?? true;
  }

  async run(box: ModelBox<M>, real: ModelReal): Promise<void> {
    const { harness, pid } = real;
    const spec = this.#spec;
    const command = this.command;
    const label = this.toString();
    if (command.kind === "call") {
      const handleCall = required(spec.model.handleCall, "handleCall", label);
      const { reply: expected, model: next } = handleCall(command.request, box.state);
      let actual: unknown;
      try {
        actual = await harness.call(pid, command.request);
      } catch (error) {
        throw new ModelMismatchError(label, expected, error, {
          cause: error,
          detail: `${label} failed (the model replies ${show(expected)}): ${show(error)}`,
        });
      }
      if (!(spec.equals ?? deepEqual)(actual, expected)) {
        throw new ModelMismatchError(label, expected, actual);
      }
      box.state = next;
    } else {
      const delivery = command.kind === "cast"
        ? harness.system.cast(pid, command.request)
        : harness.system.send(pid, command.message);
      if (delivery !== "ok") {
        throw new ModelMismatchError(label, "ok", delivery, {
          detail: `${label} was not delivered: ${delivery}`,
        });
      }
      await harness.runUntilIdle();
      box.state = command.kind === "cast"
        ? required(spec.model.handleCast, "handleCast", label)(command.request, box.state)
        : required(spec.model.handleInfo, "handleInfo", label)(command.message, box.state);
    }
    const crash = harness.reports[0];
    if (crash) {
      throw new ModelMismatchError(label, "no crash", crash.reason, {
        cause: crash.reason,
        detail: `${label}: the server crashed in ${crash.callback}: ${show(crash.reason)}`,
      });
    }
    if (!harness.system.isAlive(pid)) {
      throw new ModelMismatchError(label, "alive", "exited", {
        detail: `${label}: the server exited`,
      });
    }
    await spec.invariant?.(box.state, real);
  }

  toString(): string {
    const command = this.command;
    return command.kind === "send"
      ? `send(${fc.stringify(command.message)})`
      : `${command.kind}(${fc.stringify(command.request)})`;
  }
}

async function runCommands<M>(
  spec: AnyCheck,
  commands: Iterable<AsyncCommand<ModelBox<M>, ModelReal>>,
): Promise<void> {
  const harness = createTestSystem(spec.systemOptions);
  try {
    const pid = await harness.start(spec.server, spec.arg, spec.startOptions);
    await fc.asyncModelRun(
      () => ({ model: { state: spec.model.init(spec.arg) as M }, real: { harness, pid } }),
      commands,
    );
  } finally {
    harness.dispose();
  }
}

/**
 * The fast-check property behind {@linkcode checkAgainstModel}: random
 * command sequences, each run on a fresh {@linkcode TestSystem} with a fresh
 * server, every reply compared with the model's. Use it to combine with
 * other properties or to run it with `fc.check`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { calls, modelProperty } from "@beamlet/beamlet/testing";
 * import { ok, reply } from "@beamlet/beamlet";
 *
 * const echo = { init: () => ok(null), handleCall: (r: number, _f: unknown, s: null) => reply(r, s) };
 * const property = modelProperty({
 *   server: echo,
 *   arg: undefined,
 *   model: { init: () => null, handleCall: (r: number, m: null) => ({ reply: r, model: m }) },
 *   commands: [calls(fc.integer())],
 * });
 * const details = await fc.check(property, { numRuns: 20 });
 * console.log(details.failed); // false
 * ```
 */
export function modelProperty<S, A, M, Req, Rep, C, I>(
  spec: ModelCheck<S, A, M, Req, Rep, C, I>,
): IAsyncPropertyWithHooks<[Iterable<AsyncCommand<ModelBox<M>, ModelReal>>]> {
  const arbitraries = spec.commands.map((arbitrary) =>
    arbitrary.map((command) => new ServerCommand<M>(command, spec))
  );
  return fc.asyncProperty(
    fc.commands(arbitraries, { maxCommands: spec.maxCommands ?? 50 }),
    (commands) => runCommands<M>(spec, commands),
  );
}

/**
 * Property-tests a GenServer against a pure model: fast-check generates
 * command sequences (calls, casts, sends), runs each on a fresh deterministic
 * {@linkcode TestSystem}, and checks every reply against the model's
 * prediction — and that the server never crashes. A failure is shrunk to a
 * minimal sequence and thrown (fast-check's error, caused by a
 * {@linkcode ModelMismatchError}). `params` go to `fc.assert` (`numRuns`,
 * `seed`, `path`, ...).
 *
 * @example A stack against an array
 * ```ts
 * import fc from "fast-check";
 * import { calls, casts, checkAgainstModel } from "@beamlet/beamlet/testing";
 * import { type GenServer, noreply, ok, reply } from "@beamlet/beamlet";
 *
 * const stack: GenServer<number[], undefined, "pop" | "size", number | undefined, number> = {
 *   init: () => ok([]),
 *   handleCall: (request, _from, items) =>
 *     request === "size" ? reply(items.length, items) : reply(items.at(-1), items.slice(0, -1)),
 *   handleCast: (item, items) => noreply([...items, item]),
 * };
 *
 * await checkAgainstModel({
 *   server: stack,
 *   arg: undefined,
 *   model: {
 *     init: () => [] as number[],
 *     handleCall: (request, items) =>
 *       request === "size"
 *         ? { reply: items.length, model: items }
 *         : { reply: items.at(-1), model: items.slice(0, -1) },
 *     handleCast: (item, items) => [...items, item],
 *   },
 *   commands: [calls(fc.constantFrom("pop" as const, "size" as const)), casts(fc.integer())],
 * }, { numRuns: 50 });
 * ```
 */
export async function checkAgainstModel<S, A, M, Req, Rep, C, I>(
  spec: ModelCheck<S, A, M, Req, Rep, C, I>,
  params?: Parameters<[Iterable<AsyncCommand<ModelBox<M>, ModelReal>>]>,
): Promise<void> {
  await fc.assert(modelProperty(spec), params);
}

/**
 * Runs one given command sequence against the model (no generation, no
 * shrinking): for pinning a counterexample as a regression test. Rejects
 * with a {@linkcode ModelMismatchError} where the server and model differ.
 *
 * @example A pinned sequence
 * ```ts
 * import { runAgainstModel } from "@beamlet/beamlet/testing";
 * import { ok, reply } from "@beamlet/beamlet";
 *
 * await runAgainstModel({
 *   server: { init: () => ok(0), handleCall: (_r: "get", _f: unknown, n: number) => reply(n, n) },
 *   arg: undefined,
 *   model: { init: () => 0, handleCall: (_r: "get", n: number) => ({ reply: n, model: n }) },
 *   commands: [],
 * }, [{ kind: "call", request: "get" }]);
 * ```
 */
export function runAgainstModel<S, A, M, Req, Rep, C, I>(
  spec: ModelCheck<S, A, M, Req, Rep, C, I>,
  commands: Iterable<Command<Req, C, I>>,
): Promise<void> {
  const steps = [...commands].map((command) => new ServerCommand<M>(command, spec));
  return runCommands<M>(spec, steps);
}

// ------------------------------------------------------------------ helpers

function required<F>(callback: F | undefined, name: string, label: string): F {
  if (callback === undefined) {
    throw new TypeError(`${label}: the model has no ${name}, but the commands include one`);
  }
  return callback;
}

function show(value: unknown): string {
  if (isError(value)) return inspect(value, 500);
  try {
    return fc.stringify(value);
  } catch {
    return inspect(value, 500);
  }
}
