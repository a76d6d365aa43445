/**
 * What a callback can do as its process: the client API with the process as
 * sender, plus links, monitors and exit trapping.
 *
 * @module
 */

import type { ExitReason } from "./exit_reason.ts";
import type { From } from "./from.ts";
import type { GenServer } from "./gen_server.ts";
import type { Pid, Ref } from "./pid.ts";
import type { Name } from "./name.ts";
import type { CallOptions, Delivery, StartOptions, Target, ViaName } from "./options.ts";
import type { System } from "./system.ts";

/**
 * The second-to-last argument of every callback: the process's own handle on
 * the system. Use it (not the `System`) inside callbacks, so the runtime
 * knows who is sending: a call to oneself fails at once, `startLink` links to
 * this process, and monitors and links belong to it.
 *
 * Once its process has exited (a kill while a callback awaited something),
 * the context no longer acts: `cast` / `send` return `"dropped"`, `call`,
 * `start` and `startLink` reject with an `ExitError`, and links, monitors,
 * exits, timers and replies do nothing; each attempt is counted in
 * `schedulerStats().afterDeath`.
 *
 * @example A server that watches the workers it starts
 * ```ts
 * import { type Context, DownMessage, noreply, ok, System } from "@beamlet/beamlet";
 *
 * const watcher = {
 *   init: (_arg: undefined, ctx: Context) => {
 *     ctx.trapExit(true);
 *     return ok(new Set<string>());
 *   },
 *   handleInfo: (message: unknown, seen: Set<string>) => {
 *     if (message instanceof DownMessage) seen.add(String(message.pid));
 *     return noreply(seen);
 *   },
 * };
 * ```
 */
export interface Context {
  /** This process. */
  readonly self: Pid;
  /** The system this process runs in. */
  readonly system: System;

  /**
   * While `handleCall` runs (an async one included, across its awaits): a
   * signal that aborts when the call's caller stops waiting — its deadline
   * passes (on the system clock, virtual ones included), its own `signal`
   * aborts, or it exits — and when this process exits before answering.
   * Its reason is the error the caller got (`CallTimeoutError`,
   * `CallAbortedError`, `ExitError`). Hand it to `fetch` and the like so
   * the work stops when nobody waits for it. A call answered never aborts
   * it; a call handled after its caller gave up (`expiredCalls: "handle"`)
   * gets it already aborted. Outside `handleCall`: a signal that never
   * aborts. Created the first time it is read: a handler that never reads
   * it costs nothing.
   *
   * @example A lookup that stops when its caller gives up
   * ```ts
   * import { type GenServer, ok, reply } from "@beamlet/beamlet";
   *
   * const lookup: GenServer<null, undefined, string, string> = {
   *   init: () => ok(null),
   *   handleCall: async (url, _from, state, ctx) => {
   *     const response = await fetch(url, { signal: ctx.signal });
   *     return reply(await response.text(), state);
   *   },
   * };
   * ```
   */
  readonly signal: AbortSignal;
  /**
   * While `handleCall` runs: when the call's caller stops waiting, in ms on
   * the system clock (`system.now()`), or `Infinity` for a call without a
   * timeout (and outside `handleCall`).
   *
   * @example Skipping work that cannot finish in time
   * ```ts
   * import { type GenServer, ok, reply } from "@beamlet/beamlet";
   *
   * const report: GenServer<null, undefined, "build", string> = {
   *   init: () => ok(null),
   *   handleCall: (_request, _from, state, ctx) =>
   *     ctx.deadline - ctx.system.now() < 100
   *       ? reply("too late for a full report", state)
   *       : reply("full report", state),
   * };
   * ```
   */
  readonly deadline: number;
  /**
   * The signal of the call `from` stands for, as `signal` is while its
   * `handleCall` runs: for a deferred reply (`noreply`, then `reply(from,
   * value)` later) whose work should stop when the caller gives up. A call
   * no longer waiting (answered, failed, or never made here) gets a signal
   * already aborted.
   *
   * @example A deferred reply that is abandoned with its caller
   * ```ts
   * import { type From, type GenServer, noreply, ok } from "@beamlet/beamlet";
   *
   * const slow: GenServer<null, undefined, number, number> = {
   *   init: () => ok(null),
   *   handleCall: (ms, from: From<number>, state, ctx) => {
   *     const timer = setTimeout(() => ctx.reply(from, ms), ms);
   *     ctx.signalOf(from).addEventListener("abort", () => clearTimeout(timer));
   *     return noreply(state);
   *   },
   * };
   * ```
   */
  signalOf(from: From): AbortSignal;

  /** Calls `target` and waits for its reply (default timeout 5000 ms). */
  call<R = never, T extends Target = Target>(
    target: T,
    request: T extends Pid<infer Call, unknown, unknown> ? Call
      : T extends Name<infer Call, unknown, unknown> ? Call
      : unknown,
    options?: CallOptions,
  ): Promise<
    [R] extends [never] ? (T extends Pid<unknown, infer Reply, unknown> ? Reply
        : T extends Name<unknown, infer Reply, unknown> ? Reply
        : unknown)
      : R
  >;
  /** Casts `request` to `target`: whether its mailbox took it. */
  cast<T extends Target>(
    target: T,
    request: T extends Pid<unknown, unknown, infer Cast> ? Cast
      : T extends Name<unknown, unknown, infer Cast> ? Cast
      : unknown,
  ): Delivery;
  /** Sends a plain message (`handleInfo`) to `target`: whether its mailbox took it. */
  send(target: Target, message: unknown): Delivery;
  /** Sends `message` to `target` after `ms` milliseconds. */
  sendAfter(target: Target, message: unknown, ms: number): Ref;
  /** Cancels a `sendAfter`: the ms it had left, or `false` if it already fired or was cancelled. */
  cancelTimer(ref: Ref): number | false;
  /** Replies to a caller that `handleCall` left waiting (`noreply`). */
  reply<R>(from: From<R>, value: R): void;

  /**
   * Starts a GenServer (not linked). When the start is refused (the process
   * table is full: a `SystemLimitError`; bad options; a name taken), the
   * Promise rejects; a process that leaves that rejection unhandled past the
   * host's next turn crashes with the error instead, as OTP raises
   * `system_limit` in the caller, and the host never sees an unhandled
   * rejection.
   */
  start<S, A, Req = unknown, Rep = unknown, C = unknown, I = unknown>(
    server: GenServer<S, A, Req, Rep, C, I>,
    arg: A,
    options?: StartOptions & {
      readonly name?: Name<NoInfer<Req>, NoInfer<Rep>, NoInfer<C>> | ViaName;
    },
  ): Promise<Pid<Req, Rep, C>>;
  /** Starts a GenServer linked to this process; a refused start is told as `start`'s is. */
  startLink<S, A, Req = unknown, Rep = unknown, C = unknown, I = unknown>(
    server: GenServer<S, A, Req, Rep, C, I>,
    arg: A,
    options?: StartOptions & {
      readonly name?: Name<NoInfer<Req>, NoInfer<Rep>, NoInfer<C>> | ViaName;
    },
  ): Promise<Pid<Req, Rep, C>>;

  /** Links this process and `pid`: when one exits, the other gets an exit signal. */
  link(pid: Pid): void;
  /** Removes a link (either side's). */
  unlink(pid: Pid): void;
  /** Monitors `target`: a `DownMessage` arrives when it exits (`"noproc"` if it already has). */
  monitor(target: Target): Ref;
  /** Removes a monitor; with `flush`, also removes its `DownMessage` if one is queued. True if it was active. */
  demonitor(ref: Ref, options?: { flush?: boolean }): boolean;
  /** Sets whether exit signals arrive as `ExitMessage`s instead of killing this process; returns the old flag. */
  trapExit(trap: boolean): boolean;
  /** Sends an exit signal with `reason` to `pid` (`"kill"` cannot be trapped). */
  exit(pid: Pid, reason: ExitReason): void;
}
