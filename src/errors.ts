/**
 * Named errors of the process runtime. Every failure a caller can meet is one
 * of these, with readonly context fields and, where there is one, a `cause`.
 *
 * @module
 */

import { type ExitReason, formatReason } from "./exit_reason.ts";
import { isError } from "./_inspect.ts";
import { Pid } from "./pid.ts";

/**
 * The JSON form of the runtime's errors that cross the routing seam:
 * `name`, `code`, `message`, and the error's own fields.
 *
 * @example
 * ```ts
 * import { NoProcError } from "@beamlet/beamlet";
 * import type { SerializedError } from "@beamlet/beamlet/remote";
 *
 * const json: SerializedError = new NoProcError("cache").toJSON();
 * console.log(json.code); // "noproc"
 * ```
 */
export interface SerializedError {
  /** The error class's name (`"NoProcError"`, ...). */
  readonly name: string;
  /** Its code (`"noproc"`, `"timeout"`, `"exit"`, `"overloaded"`, ...). */
  readonly code: string;
  /** Its message. */
  readonly message: string;
  /** Its own fields, serializable. */
  readonly [field: string]: unknown;
}

function serialize(
  error: Error & { readonly code: string },
  fields: Record<string, unknown>,
): SerializedError {
  return { name: error.name, code: error.code, message: error.message, ...fields };
}

/**
 * A `call` got no reply within its timeout. A reply that comes later is
 * dropped, never delivered anywhere.
 *
 * @example Catching a timeout
 * ```ts
 * import { CallTimeoutError, noreply, ok, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start({
 *   init: () => ok(null),
 *   handleCall: (_request, _from, state) => noreply(state),
 * });
 * try {
 *   await system.call(pid, "ping", { timeout: 10 });
 * } catch (error) {
 *   if (error instanceof CallTimeoutError) console.log(error.timeout); // 10
 * }
 * ```
 */
export class CallTimeoutError extends Error {
  /** `"timeout"`: what this error is, on any side of a wire. */
  readonly code = "timeout";
  /** The process called. */
  readonly target: string;
  /** The request that timed out. */
  readonly request: unknown;
  /** The timeout, ms. */
  readonly timeout: number;

  /** Built by the runtime when a call's timer fires. */
  constructor(target: string, request: unknown, timeout: number) {
    super(`call to ${target} timed out after ${timeout} ms`);
    this.name = "CallTimeoutError";
    this.target = target;
    this.request = request;
    this.timeout = timeout;
  }

  /**
   * `{ name, code, message, target, timeout }` (the request stays behind: it
   * may not be serializable).
   *
   * @example
   * ```ts
   * import { CallTimeoutError } from "@beamlet/beamlet";
   *
   * const json = JSON.parse(JSON.stringify(new CallTimeoutError("cache", "get", 50)));
   * console.log(CallTimeoutError.fromJSON(json).timeout); // 50
   * ```
   */
  toJSON(): SerializedError {
    return serialize(this, { target: this.target, timeout: this.timeout });
  }

  /** Rebuilds a CallTimeoutError from its JSON form (its request is `undefined`). */
  static fromJSON(json: SerializedError): CallTimeoutError {
    return new CallTimeoutError(String(json.target), undefined, Number(json.timeout));
  }
}

/**
 * No process answers to that pid or name: it never existed, or has exited.
 * A `call` fails with it at once, not after its timeout.
 *
 * @example A call to a dead process
 * ```ts
 * import { NoProcError, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * await system.call("nobody", "ping").catch((error) => {
 *   console.log(error instanceof NoProcError); // true
 * });
 * ```
 */
export class NoProcError extends Error {
  /** `"noproc"`: what this error is, on any side of a wire. */
  readonly code = "noproc";
  /** The pid or name that was not found. */
  readonly target: string;
  /** The pid, when the target was one (of this node or of another). */
  readonly pid: Pid | undefined;

  /** Built by the runtime when a target cannot be resolved. */
  constructor(target: string, options?: ErrorOptions & { pid?: Pid }) {
    super(`no process: ${target}`, options);
    this.name = "NoProcError";
    this.target = target;
    this.pid = options?.pid;
  }

  /**
   * `{ name, code, message, target, pid }`: a NoProcError can cross a wire.
   *
   * @example
   * ```ts
   * import { NoProcError } from "@beamlet/beamlet";
   *
   * const error = NoProcError.fromJSON(JSON.parse(JSON.stringify(new NoProcError("cache"))));
   * console.log(error instanceof NoProcError, error.code, error.target); // true "noproc" "cache"
   * ```
   */
  toJSON(): SerializedError {
    return serialize(this, { target: this.target, pid: this.pid?.toString() });
  }

  /** Rebuilds a NoProcError from its JSON form. */
  static fromJSON(json: SerializedError): NoProcError {
    const pid = typeof json.pid === "string" ? Pid.parse(json.pid) : undefined;
    return new NoProcError(String(json.target), { pid });
  }
}

/**
 * A process called itself: it would wait for its own reply forever.
 *
 * @example
 * ```ts
 * import { CallingSelfError } from "@beamlet/beamlet";
 *
 * const error = new CallingSelfError("#PID<0.1.0>");
 * console.log(error.message); // "#PID<0.1.0> called itself"
 * ```
 */
export class CallingSelfError extends Error {
  /** `"calling_self"`. */
  readonly code = "calling_self";
  /** The process that called itself. */
  readonly target: string;

  /** Built by the runtime when a process calls itself. */
  constructor(target: string) {
    super(`${target} called itself`);
    this.name = "CallingSelfError";
    this.target = target;
  }
}

/**
 * The process exited while a caller waited for it (a call, a stop, a start):
 * its reason is in `reason` (and in `cause` when it is an `Error`).
 *
 * @example The reason of a crashed server
 * ```ts
 * import { ExitError, ok, System } from "@beamlet/beamlet";
 *
 * const system = new System({ logger: null });
 * const pid = await system.start({
 *   init: () => ok(0),
 *   handleCall: () => {
 *     throw new Error("boom");
 *   },
 * });
 * await system.call(pid, "crash").catch((error) => {
 *   if (error instanceof ExitError) console.log(String(error.reason)); // "Error: boom"
 * });
 * ```
 */
export class ExitError extends Error {
  /** `"exit"`: what this error is, on any side of a wire. */
  readonly code = "exit";
  /** The process that exited. */
  readonly target: string;
  /** Its exit reason. */
  readonly reason: ExitReason;

  /** Built by the runtime when a waited-on process exits. */
  constructor(target: string, reason: ExitReason, what = "exited") {
    super(`${target} ${what}: ${formatReason(reason)}`, {
      cause: isError(reason) ? reason : undefined,
    });
    this.name = "ExitError";
    this.target = target;
    this.reason = reason;
  }

  /**
   * `{ name, code, message, target, reason }`, the reason as it is when it
   * is a string (`"normal"`, `"killed"`, ...), formatted otherwise.
   *
   * @example
   * ```ts
   * import { ExitError } from "@beamlet/beamlet";
   *
   * const json = JSON.parse(JSON.stringify(new ExitError("#PID<n1.3.0>", "killed")));
   * console.log(ExitError.fromJSON(json).reason); // "killed"
   * ```
   */
  toJSON(): SerializedError {
    const reason = this.reason;
    return serialize(this, {
      target: this.target,
      reason: typeof reason === "string" ? reason : formatReason(reason),
    });
  }

  /** Rebuilds an ExitError from its JSON form (the reason as serialized). */
  static fromJSON(json: SerializedError): ExitError {
    const error = new ExitError(String(json.target), json.reason);
    if (typeof json.message === "string") error.message = json.message;
    return error;
  }
}

/**
 * The target's bounded mailbox refused the message (or dropped it by its
 * overflow policy), or its mailbox shed it after it waited too long
 * (`mailbox.shed`). The refusal is counted on the target's mailbox.
 *
 * @example Back-pressure on a bounded server
 * ```ts
 * import { OverloadedError } from "@beamlet/beamlet";
 *
 * const error = new OverloadedError("#PID<0.7.0>", "refused");
 * console.log(error.outcome); // "refused"
 * ```
 */
export class OverloadedError extends Error {
  /** `"overloaded"`: what this error is, on any side of a wire. */
  readonly code = "overloaded";
  /** The process whose mailbox was full. */
  readonly target: string;
  /**
   * `"refused"` (policy reject), `"dropped"` (drop_newest, or evicted by
   * drop_oldest), or `"shed"` (it waited longer than `mailbox.shed` allows).
   */
  readonly outcome: "refused" | "dropped" | "shed";

  /** Built by the runtime when a mailbox refuses, drops or sheds a call. */
  constructor(target: string, outcome: "refused" | "dropped" | "shed") {
    super(`${target} is overloaded: its mailbox ${outcome} the message`);
    this.name = "OverloadedError";
    this.target = target;
    this.outcome = outcome;
  }

  /**
   * `{ name, code, message, target, outcome }`.
   *
   * @example
   * ```ts
   * import { OverloadedError } from "@beamlet/beamlet";
   *
   * const json = JSON.parse(JSON.stringify(new OverloadedError("cache", "dropped")));
   * console.log(OverloadedError.fromJSON(json).outcome); // "dropped"
   * ```
   */
  toJSON(): SerializedError {
    return serialize(this, { target: this.target, outcome: this.outcome });
  }

  /** Rebuilds an OverloadedError from its JSON form. */
  static fromJSON(json: SerializedError): OverloadedError {
    return new OverloadedError(
      String(json.target),
      json.outcome === "dropped" || json.outcome === "shed" ? json.outcome : "refused",
    );
  }
}

/**
 * `start` with a name that a live process already holds. `pid` is that process.
 *
 * @example A name taken twice
 * ```ts
 * import { AlreadyStartedError, ok, System } from "@beamlet/beamlet";
 *
 * const system = new System({ node: "a" });
 * const server = { init: () => ok(null) };
 * await system.start(server, undefined, { name: "cache" });
 * await system.start(server, undefined, { name: "cache" }).catch((error) => {
 *   if (error instanceof AlreadyStartedError) console.log(error.message);
 *   // "cache is already registered to #PID<a.1.0>"
 * });
 * ```
 */
export class AlreadyStartedError extends Error {
  /** `"already_started"`. */
  readonly code = "already_started";
  /** The name asked for. */
  readonly processName: string;
  /** The process that holds it. */
  readonly pid: Pid;

  /** Built by the runtime when a name is taken. */
  constructor(processName: string, pid: Pid) {
    super(`${processName} is already registered to ${pid}`);
    this.name = "AlreadyStartedError";
    this.processName = processName;
    this.pid = pid;
  }
}

/**
 * A callback returned something that is not one of its allowed results; the
 * process stops with this error as its reason (OTP's `bad_return_value`).
 *
 * @example
 * ```ts
 * import { BadReturnValueError } from "@beamlet/beamlet";
 *
 * const error = new BadReturnValueError("handleCast", 42);
 * console.log(error.message); // "handleCast returned a bad value: 42"
 * ```
 */
export class BadReturnValueError extends Error {
  /** `"bad_return_value"`. */
  readonly code = "bad_return_value";
  /** The callback. */
  readonly callback: string;
  /** What it returned. */
  readonly value: unknown;

  /**
   * Built by the runtime when a callback result fails validation. `detail`
   * says what was wrong with it; `cause` is what reading it threw, if it threw.
   */
  constructor(callback: string, value: unknown, options?: ErrorOptions & { detail?: string }) {
    const detail = options?.detail === undefined ? "" : ` (${options.detail})`;
    super(`${callback} returned a bad value: ${formatReason(value)}${detail}`, options);
    this.name = "BadReturnValueError";
    this.callback = callback;
    this.value = value;
  }
}

/**
 * Which of the system's limits a {@linkcode SystemLimitError} hit.
 *
 * @example Telling the limits apart
 * ```ts
 * import { type SystemLimit, SystemLimitError } from "@beamlet/beamlet";
 *
 * const limitOf = (error: unknown): SystemLimit | undefined =>
 *   error instanceof SystemLimitError ? error.limit : undefined;
 * console.log(limitOf(new SystemLimitError("timers", "the timer table is full"))); // "timers"
 * ```
 */
export type SystemLimit = "processes" | "timers" | "queued_messages" | "memory";

/**
 * One of the system's limits is reached (OTP's `system_limit`): the process
 * table is full, the timer table is full, every queued-message slot of the
 * system is taken (`SystemOptions.maxQueuedMessages`), or the WebAssembly
 * memory could not grow. Nothing was started, sent or scheduled; the refusal
 * is counted (`schedulerStats().outOfMemory` for messages).
 *
 * @example A full system refuses a call
 * ```ts
 * import { noreply, ok, reply, System, SystemLimitError } from "@beamlet/beamlet";
 *
 * const system = new System({ maxQueuedMessages: 1 });
 * const pid = await system.start({
 *   init: () => ok(0),
 *   handleCall: (_request, _from, n: number) => reply(n, n),
 *   handleCast: (_request, n: number) => noreply(n),
 * });
 * system.cast(pid, "fill the only slot");
 * await system.call(pid, "get").catch((error) => {
 *   if (error instanceof SystemLimitError) console.log(error.limit); // "queued_messages"
 * });
 * ```
 */
export class SystemLimitError extends Error {
  /** `"system_limit"`. */
  readonly code = "system_limit";
  /** The limit reached. */
  readonly limit: SystemLimit;

  /** Built by the runtime when a table or the memory is full. */
  constructor(limit: SystemLimit, message: string) {
    super(message);
    this.name = "SystemLimitError";
    this.limit = limit;
  }
}

/**
 * A process exited with a reason that is a Promise or another thenable (or
 * whose `then` cannot even be read): no Promise can hand such a value over
 * as it is — `whenExited`, a stop or a task would adopt it instead — so the
 * runtime replaces it, for every observer alike, with this error, which
 * keeps the original in `original`.
 *
 * @example
 * ```ts
 * import { ThenableReasonError } from "@beamlet/beamlet";
 *
 * const error = new ThenableReasonError(Promise.resolve("late"));
 * console.log(error.original instanceof Promise); // true
 * ```
 */
export class ThenableReasonError extends Error {
  /** `"thenable_reason"`. */
  readonly code = "thenable_reason";
  /** The reason the process exited with. */
  readonly original: unknown;

  /** Built by the runtime when an exit reason is thenable. */
  constructor(original: unknown) {
    super(
      `an exit reason must not be a Promise or a thenable (no Promise can hand one over): ${
        formatReason(original)
      }`,
    );
    this.name = "ThenableReasonError";
    this.original = original;
  }
}

/**
 * A call's reply was a Promise (or thenable) that rejected (or whose `then`
 * threw): the caller gets this named error, with what it rejected with in
 * `reason` (and in `cause` when it is an Error) — as an `ExitError` carries
 * the reason of a server that crashed.
 *
 * @example
 * ```ts
 * import { ReplyRejectedError } from "@beamlet/beamlet";
 *
 * const error = new ReplyRejectedError("#PID<0.3.0>", "not found");
 * console.log(error.message); // "the reply of #PID<0.3.0> was a Promise that rejected with: not found"
 * ```
 */
export class ReplyRejectedError extends Error {
  /** `"reply_rejected"`. */
  readonly code = "reply_rejected";
  /** The process that replied. */
  readonly target: string;
  /** What the reply Promise rejected with. */
  readonly reason: unknown;

  /** Built by the runtime when an awaited reply rejects. */
  constructor(target: string, reason: unknown) {
    super(`the reply of ${target} was a Promise that rejected with: ${formatReason(reason)}`, {
      cause: isError(reason) ? reason : undefined,
    });
    this.name = "ReplyRejectedError";
    this.target = target;
    this.reason = reason;
  }
}

/**
 * A call's `signal` aborted: the caller gave up before the reply came, as it
 * does at its timeout. A signal already aborted when `call` is made rejects
 * at once and nothing is sent. The signal's reason is this error's `reason`
 * and its `cause`; a reply that comes later is dropped, and the server's
 * handler sees its own `ctx.signal` abort.
 *
 * @example Giving up on a call
 * ```ts
 * import { CallAbortedError, noreply, ok, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start({
 *   init: () => ok(null),
 *   handleCall: (_request, _from, state) => noreply(state),
 * });
 * const controller = new AbortController();
 * const answer = system.call(pid, "slow", { signal: controller.signal });
 * controller.abort("user left");
 * await answer.catch((error) => {
 *   if (error instanceof CallAbortedError) console.log(error.reason); // "user left"
 * });
 * ```
 */
export class CallAbortedError extends Error {
  /** `"aborted"`: what this error is, on any side of a wire. */
  readonly code = "aborted";
  /** The process called. */
  readonly target: string;
  /** The request that was given up. */
  readonly request: unknown;
  /** The signal's reason (also the `cause`). */
  readonly reason: unknown;

  /** Built by the runtime when a call's signal aborts. */
  constructor(target: string, request: unknown, reason: unknown) {
    super(`call to ${target} aborted: ${formatReason(reason)}`, { cause: reason });
    this.name = "CallAbortedError";
    this.target = target;
    this.request = request;
    this.reason = reason;
  }

  /**
   * `{ name, code, message, target, reason }`, the reason as it is when it
   * is a string, formatted otherwise (the request stays behind).
   *
   * @example
   * ```ts
   * import { CallAbortedError } from "@beamlet/beamlet";
   *
   * const json = JSON.parse(JSON.stringify(new CallAbortedError("cache", "get", "user left")));
   * console.log(CallAbortedError.fromJSON(json).reason); // "user left"
   * ```
   */
  toJSON(): SerializedError {
    const reason = this.reason;
    return serialize(this, {
      target: this.target,
      reason: typeof reason === "string" ? reason : formatReason(reason),
    });
  }

  /** Rebuilds a CallAbortedError from its JSON form (the reason as serialized, no request). */
  static fromJSON(json: SerializedError): CallAbortedError {
    return new CallAbortedError(String(json.target), undefined, json.reason);
  }
}

/**
 * The scheduler (or, later, the node) a pid lives on went away while a call
 * or start was waiting on it: a Worker that crashed or was terminated. Links
 * and monitors into it see the exit reason `"noconnection"`.
 *
 * @example
 * ```ts
 * import { NoConnectionError } from "@beamlet/beamlet";
 *
 * const error = new NoConnectionError("scheduler 2");
 * console.log(error.code, error.message); // "noconnection" "lost the connection to scheduler 2"
 * ```
 */
export class NoConnectionError extends Error {
  /** `"noconnection"`. */
  readonly code = "noconnection";
  /** What was lost: `"scheduler 2"`, or a node's name. */
  readonly peer: string;

  /** Built by the runtime when a scheduler or node is lost. */
  constructor(peer: string, options?: ErrorOptions) {
    super(`lost the connection to ${peer}`, options);
    this.name = "NoConnectionError";
    this.peer = peer;
  }

  /** `{ name, code, message, peer }`. */
  toJSON(): SerializedError {
    return serialize(this, { peer: this.peer });
  }
}

/**
 * A start was placed on a scheduler that is not running (`{ scheduler: n }`
 * with `n` down, failed to start, or not part of the system).
 *
 * @example
 * ```ts
 * import { SchedulerDownError } from "@beamlet/beamlet/schedulers";
 *
 * console.log(new SchedulerDownError(3).message); // "scheduler 3 is not running"
 * ```
 */
export class SchedulerDownError extends Error {
  /** `"scheduler_down"`. */
  readonly code = "scheduler_down";
  /** The scheduler asked for. */
  readonly scheduler: number;

  /** Built by the runtime when a placement names a scheduler that is not running. */
  constructor(scheduler: number, options?: ErrorOptions) {
    super(`scheduler ${scheduler} is not running`, options);
    this.name = "SchedulerDownError";
    this.scheduler = scheduler;
  }

  /** `{ name, code, message, scheduler }`. */
  toJSON(): SerializedError {
    return serialize(this, { scheduler: this.scheduler });
  }
}

/**
 * A process or task was to start on another scheduler under a name that
 * scheduler does not know: the behaviour (or task) was not defined with
 * `defineBehaviour` / `defineTask` in a module of `SystemOptions.modules`,
 * or was passed as a plain object that has no name.
 *
 * @example
 * ```ts
 * import { UnknownBehaviourError } from "@beamlet/beamlet/schedulers";
 *
 * console.log(new UnknownBehaviourError("cache", 2).message);
 * // 'no behaviour "cache" on scheduler 2 (define it with defineBehaviour in a module of SystemOptions.modules)'
 * ```
 */
export class UnknownBehaviourError extends Error {
  /** `"unknown_behaviour"`. */
  readonly code = "unknown_behaviour";
  /** The name asked for (`undefined`: the behaviour has no name). */
  readonly behaviour: string | undefined;
  /** Where it was to start. */
  readonly scheduler: number;
  /** The node it was to start on, for a start placed on another node of a cluster. */
  readonly node: string | undefined;

  /** Built by the runtime when a placed start names no known behaviour. */
  constructor(
    behaviour: string | undefined,
    scheduler: number,
    options?: ErrorOptions & { node?: string },
  ) {
    const where = options?.node === undefined ? `scheduler ${scheduler}` : `node ${options.node}`;
    const how = options?.node === undefined
      ? "define it with defineBehaviour in a module of SystemOptions.modules"
      : "define it with defineBehaviour in a module that node imports";
    super(
      behaviour === undefined
        ? `a behaviour with no name cannot start on ${where} (${how})`
        : `no behaviour ${JSON.stringify(behaviour)} on ${where} (${how})`,
      options,
    );
    this.name = "UnknownBehaviourError";
    this.behaviour = behaviour;
    this.scheduler = scheduler;
    this.node = options?.node;
  }

  /** `{ name, code, message, behaviour, scheduler, node }`. */
  toJSON(): SerializedError {
    return serialize(this, {
      behaviour: this.behaviour,
      scheduler: this.scheduler,
      node: this.node,
    });
  }

  /** Rebuilds one from its JSON form (it crosses schedulers and nodes). */
  static fromJSON(json: SerializedError): UnknownBehaviourError {
    return new UnknownBehaviourError(
      typeof json.behaviour === "string" ? json.behaviour : undefined,
      Number(json.scheduler),
      typeof json.node === "string" ? { node: json.node } : undefined,
    );
  }
}

/**
 * A scheduler's Worker could not start: a module of `SystemOptions.modules`
 * failed to load, the host refused the Worker, or it did not answer. The
 * system keeps running on the schedulers it has (`system.schedulers()`).
 *
 * @example
 * ```ts
 * import { SchedulerStartError } from "@beamlet/beamlet/schedulers";
 *
 * console.log(new SchedulerStartError(1, "boom").message); // "scheduler 1 failed to start: boom"
 * ```
 */
export class SchedulerStartError extends Error {
  /** `"scheduler_start"`. */
  readonly code = "scheduler_start";
  /** The scheduler that failed. */
  readonly scheduler: number;

  /** Built by the runtime when a Worker fails to start. */
  constructor(scheduler: number, why: string, options?: ErrorOptions) {
    super(`scheduler ${scheduler} failed to start: ${why}`, options);
    this.name = "SchedulerStartError";
    this.scheduler = scheduler;
  }

  /** `{ name, code, message, scheduler }`. */
  toJSON(): SerializedError {
    return serialize(this, { scheduler: this.scheduler });
  }
}
