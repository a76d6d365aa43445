/**
 * The GenServer callback contract, and the results callbacks return.
 *
 * A GenServer is a process that keeps a state and handles one message at a
 * time: synchronous requests (`call`, answered with a reply), asynchronous
 * requests (`cast`), and plain messages (`send`, timers, monitor `DOWN` and
 * trapped `EXIT` notices). You write the callbacks; the system runs them, one
 * at a time per process, while other processes run in between.
 *
 * Client API (on {@linkcode System} and on the {@linkcode Context} a callback
 * gets) and callback contract are kept apart, as in Elixir's `GenServer`:
 *
 * | client | callback | returns |
 * | --- | --- | --- |
 * | `system.start(server, arg)` | `init(arg, ctx)` | `ok(state)`, `ignore()`, `stop(reason)` |
 * | `system.call(pid, request)` | `handleCall(request, from, state, ctx)` | `reply(value, state)`, `noreply(state)`, `stop(reason, state, value?)` |
 * | `system.cast(pid, request)` | `handleCast(request, state, ctx)` | `noreply(state)`, `stop(reason, state)` |
 * | `system.send(pid, message)` | `handleInfo(message, state, ctx)` | `noreply(state)`, `stop(reason, state)` |
 * | `{ continue: x }` in a result | `handleContinue(x, state, ctx)` | `noreply(state)`, `stop(reason, state)` |
 * | exit | `terminate(reason, state, ctx)` | anything (ignored) |
 *
 * Any callback may return a Promise of its result: the process is then busy
 * until it settles (its mailbox keeps filling, other processes keep running).
 * A callback that throws, rejects, or returns something else stops the
 * process: with the error, or with a {@linkcode BadReturnValueError} (a result
 * whose fields cannot be read, a `timeout` option outside
 * `0..MAX_TIMEOUT_MS` and not `Infinity`). The process dies alone; if it is
 * killed while a callback's Promise is pending, the rest of that callback
 * runs with a context that no longer acts (see {@linkcode Context}).
 *
 * Deadlines travel with a call. A call whose caller gave up (its timeout
 * passed, its `signal` aborted, it exited) while the call was still in the
 * mailbox is skipped by default: `handleCall` never sees it. Start the
 * server with `expiredCalls: "handle"` to run `handleCall` anyway and drop
 * the reply, as OTP does. Either way each such call is counted in
 * `schedulerStats().expiredCalls` and executed as
 * `["beamlet", "call", "expired"]` (metadata `handled`). While `handleCall`
 * runs, `ctx.signal` aborts when its caller stops waiting and `ctx.deadline`
 * says when that will be: hand the signal to `fetch` and the like, so work
 * nobody waits for stops (see `docs/deadlines.md`).
 *
 * @example Work that stops with its caller
 * ```ts
 * import { type GenServer, ok, reply, System } from "@beamlet/beamlet";
 *
 * const slow: GenServer<null, undefined, number, string> = {
 *   init: () => ok(null),
 *   handleCall: async (ms, _from, state, ctx) => {
 *     await new Promise<void>((resolve) => {
 *       const timer = setTimeout(resolve, ms);
 *       ctx.signal.addEventListener("abort", () => {
 *         clearTimeout(timer);
 *         resolve();
 *       });
 *     });
 *     return reply(ctx.signal.aborted ? "abandoned" : "done", state);
 *   },
 * };
 *
 * const system = new System();
 * const pid = await system.start(slow, undefined, { expiredCalls: "skip" });
 * await system.call(pid, 10_000, { timeout: 50 }).catch((error) => console.log(error.name));
 * // "CallTimeoutError": the handler's timer was cleared at the deadline
 * ```
 *
 * @example A counter
 * ```ts
 * import { type GenServer, noreply, ok, reply, System } from "@beamlet/beamlet";
 *
 * type Request = "get";
 * type Cast = { add: number };
 *
 * const counter: GenServer<number, number, Request, number, Cast> = {
 *   init: (start) => ok(start),
 *   handleCall: (_request, _from, count) => reply(count, count),
 *   handleCast: ({ add }, count) => noreply(count + add),
 * };
 *
 * const system = new System();
 * const pid = await system.start(counter, 10);
 * system.cast(pid, { add: 5 });
 * console.log(await system.call(pid, "get")); // 15
 * ```
 *
 * @module
 */

import type { ExitReason } from "./exit_reason.ts";
import type { Context } from "./context.ts";
import type { From } from "./from.ts";

/**
 * Options a result may carry after its state.
 *
 * @example Idle timeout
 * ```ts
 * import { noreply, type ResultOptions } from "@beamlet/beamlet";
 *
 * const idle: ResultOptions = { timeout: 30_000, hibernate: true };
 * const handleCast = (_request: unknown, count: number) => noreply(count + 1, idle);
 * ```
 */
export interface ResultOptions {
  /** Run `handleContinue(value)` right after this callback, before any message. */
  continue?: unknown;
  /** Drop the mailbox ring and buffers until the next message (idle processes). */
  hibernate?: boolean;
  /** Deliver `"timeout"` to `handleInfo` if no message arrives within this many ms. */
  timeout?: number;
}

/**
 * `init` succeeded: the process runs with `state`.
 *
 * @example What `ok` builds
 * ```ts
 * import { ok, type OkResult } from "@beamlet/beamlet";
 *
 * const result: OkResult<number> = ok(0, { continue: "load" });
 * console.log(result.type, result.state, result.continue); // "ok" 0 "load"
 * ```
 */
export interface OkResult<S> extends ResultOptions {
  /** Discriminant. */
  readonly type: "ok";
  /** The new state. */
  readonly state: S;
}
/**
 * `init` declined: `start` resolves with `undefined`, nothing is left behind.
 *
 * @example A disabled server
 * ```ts
 * import { ignore, type IgnoreResult, System } from "@beamlet/beamlet";
 *
 * const disabled = { init: (): IgnoreResult => ignore() };
 * console.log(await new System().start(disabled)); // undefined
 * ```
 */
export interface IgnoreResult {
  /** Discriminant. */
  readonly type: "ignore";
}
/**
 * A reply to the caller, and the new state.
 *
 * @example What `reply` builds
 * ```ts
 * import { reply, type ReplyResult } from "@beamlet/beamlet";
 *
 * const result: ReplyResult<number, string> = reply("pong", 1);
 * console.log(result.type, result.reply, result.state); // "reply" "pong" 1
 * ```
 */
export interface ReplyResult<S, R> extends ResultOptions {
  /** Discriminant. */
  readonly type: "reply";
  /** The reply to the caller. */
  readonly reply: R;
  /** The new state. */
  readonly state: S;
}
/**
 * No reply now (reply later with `reply(from, value)`, or never), and the new state.
 *
 * @example What `noreply` builds
 * ```ts
 * import { noreply, type NoReplyResult } from "@beamlet/beamlet";
 *
 * const result: NoReplyResult<number> = noreply(2, { hibernate: true });
 * console.log(result.type, result.state, result.hibernate); // "noreply" 2 true
 * ```
 */
export interface NoReplyResult<S> extends ResultOptions {
  /** Discriminant. */
  readonly type: "noreply";
  /** The new state. */
  readonly state: S;
}
/**
 * Stop with `reason` after `terminate`; from `handleCall`, optionally reply first.
 *
 * @example What `stop` builds
 * ```ts
 * import { stop, type StopResult } from "@beamlet/beamlet";
 *
 * const result: StopResult<number, string> = stop("normal", 0, "bye");
 * console.log(result.type, result.reason, result.hasReply, result.reply); // "stop" "normal" true "bye"
 * ```
 */
export interface StopResult<S, R = never> {
  /** Discriminant. */
  readonly type: "stop";
  /** The exit reason. */
  readonly reason: ExitReason;
  /** The state `terminate` gets. */
  readonly state: S;
  /** Whether to reply to the caller before stopping (`handleCall` only). */
  readonly hasReply: boolean;
  /** That reply. */
  readonly reply?: R;
}

/**
 * What `init` may return: `ok(state)`, `ignore()`, or `stop(reason)` (the
 * start fails with that reason; no `terminate` runs, so a stop's state is
 * never read).
 *
 * @example An init that may decline, or refuse
 * ```ts
 * import { ignore, type InitResult, ok, stop } from "@beamlet/beamlet";
 *
 * const init = (port: number | null): InitResult<number> =>
 *   port === null ? ignore() : port < 0 ? stop("bad_port") : ok(port);
 * ```
 */
export type InitResult<S> = OkResult<S> | IgnoreResult | StopResult<unknown>;
/**
 * What `handleCall` may return.
 *
 * @example A call handler with every outcome
 * ```ts
 * import { type CallResult, noreply, reply, stop } from "@beamlet/beamlet";
 *
 * type Request = "get" | "later" | "quit";
 * const handleCall = (request: Request, _from: unknown, n: number): CallResult<number, number> =>
 *   request === "get" ? reply(n, n) : request === "later" ? noreply(n) : stop("normal", n, n);
 * ```
 */
export type CallResult<S, R> = ReplyResult<S, R> | NoReplyResult<S> | StopResult<S, R>;
/**
 * What `handleCast`, `handleInfo` and `handleContinue` may return.
 *
 * @example A cast handler that may stop
 * ```ts
 * import { noreply, type NoReplyCallbackResult, stop } from "@beamlet/beamlet";
 *
 * const handleCast = (add: number, n: number): NoReplyCallbackResult<number> =>
 *   add < 0 ? stop("negative", n) : noreply(n + add);
 * ```
 */
export type NoReplyCallbackResult<S> = NoReplyResult<S> | StopResult<S>;

/**
 * A callback result, or a Promise of it.
 *
 * @example Taking a value or a Promise of it
 * ```ts
 * import type { MaybePromise } from "@beamlet/beamlet";
 *
 * const settle = async <T>(value: MaybePromise<T>): Promise<T> => await value;
 * console.log(await settle(1), await settle(Promise.resolve(2))); // 1 2
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The callbacks of a GenServer. Only `init` is required; a missing handler
 * stops the process when a message of its kind arrives (a missing
 * `handleInfo` drops the message, as Elixir's default does, without its log line).
 *
 * Type parameters: `S` state, `A` init argument, `Req` call requests, `Rep`
 * replies, `C` casts, `I` plain messages.
 *
 * @example A typed key-value store
 * ```ts
 * import { type GenServer, noreply, ok, reply, System } from "@beamlet/beamlet";
 *
 * type Get = { get: string };
 * type Put = { put: string; value: number };
 * const store: GenServer<Map<string, number>, undefined, Get, number | undefined, Put> = {
 *   init: () => ok(new Map()),
 *   handleCall: ({ get }, _from, map) => reply(map.get(get), map),
 *   handleCast: ({ put, value }, map) => noreply(map.set(put, value)),
 * };
 *
 * const system = new System();
 * const pid = await system.start(store);
 * system.cast(pid, { put: "a", value: 1 });
 * console.log(await system.call(pid, { get: "a" })); // 1
 * ```
 */
export interface GenServer<
  S,
  A = undefined,
  Req = unknown,
  Rep = unknown,
  C = unknown,
  I = unknown,
> {
  /** Sets up the state. Runs inside the new process; `start` waits for it. */
  init(arg: A, ctx: Context): MaybePromise<InitResult<S>>;
  /** Handles a `call`. */
  handleCall?(
    request: Req,
    from: From<Rep>,
    state: S,
    ctx: Context,
  ): MaybePromise<CallResult<S, Rep>>;
  /** Handles a `cast`. */
  handleCast?(request: C, state: S, ctx: Context): MaybePromise<NoReplyCallbackResult<S>>;
  /** Handles a plain message, a timer, a `DOWN` or trapped `EXIT` notice, or an idle `"timeout"`. */
  handleInfo?(
    message: I | SystemMessage,
    state: S,
    ctx: Context,
  ): MaybePromise<NoReplyCallbackResult<S>>;
  /** Runs the work a result deferred with `{ continue: value }`. */
  handleContinue?(value: unknown, state: S, ctx: Context): MaybePromise<NoReplyCallbackResult<S>>;
  /** Last words: runs when the process stops by a result, a `stop`, or a trapped exit signal. */
  terminate?(reason: ExitReason, state: S, ctx: Context): unknown;
  /**
   * What state inspection shows instead of the raw state (OTP's
   * `format_status`): redact secrets, summarise what is large. Used by
   * `formatState` of `@beamlet/beamlet/introspection`, the telemetry app's
   * `GET /processes/:id/state` and `system.formatState`; never by
   * `getState`, which returns the raw state. It runs synchronously outside
   * the process's callbacks, on the state of its last finished callback, so
   * it must not change the state; a throw is shown as an error, never as
   * the raw state.
   *
   * @example Hiding a secret
   * ```ts
   * import { type GenServer, ok } from "@beamlet/beamlet";
   *
   * const client: GenServer<{ apiKey: string; sent: number }> = {
   *   init: () => ok({ apiKey: "sk-live-123", sent: 0 }),
   *   formatStatus: ({ sent }) => ({ apiKey: "[redacted]", sent }),
   * };
   * ```
   */
  formatStatus?(state: S): unknown;
}

import type { SystemMessage } from "./system_messages.ts";
export { DownMessage, ExitMessage, type SystemMessage } from "./system_messages.ts";

/**
 * `init` result: run with `state`.
 *
 * @example
 * ```ts
 * import { ok } from "@beamlet/beamlet";
 *
 * const init = (size: number) => ok(new Array<number>(size).fill(0), { continue: "warm-up" });
 * ```
 */
export function ok<S>(state: S, options: ResultOptions = {}): OkResult<S> {
  return { type: "ok", state, ...options };
}

/**
 * `init` result: do not start; `start` resolves with `undefined`.
 *
 * @example
 * ```ts
 * import { ignore, ok } from "@beamlet/beamlet";
 *
 * const init = (enabled: boolean) => enabled ? ok(0) : ignore();
 * ```
 */
export function ignore(): IgnoreResult {
  return { type: "ignore" };
}

/**
 * `handleCall` result: reply `value` to the caller, keep `state`.
 *
 * @example
 * ```ts
 * import { reply } from "@beamlet/beamlet";
 *
 * const handleCall = (_request: "get", _from: unknown, count: number) => reply(count, count);
 * ```
 */
export function reply<S, R>(value: R, state: S, options: ResultOptions = {}): ReplyResult<S, R> {
  return { type: "reply", reply: value, state, ...options };
}

/**
 * Result of any handler: no reply now, keep `state`.
 *
 * @example
 * ```ts
 * import { noreply } from "@beamlet/beamlet";
 *
 * const handleCast = (add: number, count: number) => noreply(count + add);
 * ```
 */
export function noreply<S>(state: S, options: ResultOptions = {}): NoReplyResult<S> {
  return { type: "noreply", state, ...options };
}

/**
 * Result of any callback: stop with `reason`. From `handleCall`, pass `value`
 * to reply to the caller before stopping.
 *
 * @example
 * ```ts
 * import { stop } from "@beamlet/beamlet";
 *
 * const handleCall = (_request: "shutdown", _from: unknown, state: number) =>
 *   stop("normal", state, "bye");
 * ```
 */
export function stop<S, R = never>(
  reason: ExitReason,
  state?: S,
  ...value: [R] | []
): StopResult<S, R> {
  return value.length > 0
    ? { type: "stop", reason, state: state as S, hasReply: true, reply: value[0] }
    : { type: "stop", reason, state: state as S, hasReply: false };
}
