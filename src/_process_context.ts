/**
 * The Context a process's callbacks receive (internal implementation).
 *
 * A dead process never acts again. JavaScript cannot stop a callback that
 * was awaiting when its process was killed, so the context stops acting for
 * it instead: once the process has exited, sends are dropped (`"dropped"`),
 * calls and starts reject with an `ExitError` (already handled, so an
 * un-awaited one cannot surface as an unhandled rejection), and links,
 * monitors, exits, timers and replies do nothing. Each such attempt is
 * counted in `schedulerStats().afterDeath`. Nothing here throws for it,
 * since the code still running may be a timer's, outside any `try`.
 *
 * @module
 */

import type { Context } from "./context.ts";
import { ExitError } from "./errors.ts";
import type { ExitReason } from "./exit_reason.ts";
import type { From } from "./from.ts";
import type { GenServer } from "./gen_server.ts";
import { type Pid, Ref } from "./pid.ts";
import type { Name } from "./name.ts";
import type { CallOptions, Delivery, StartOptions, Target, ViaName } from "./options.ts";
import type { System } from "./system.ts";
import { Life, type Process } from "./kernel/state/process.ts";
import type { Runtime } from "./kernel/state/runtime.ts";
import { deliverFrom } from "./kernel/mailbox/delivery.ts";
import { callFrom, pendingCallOf, replyTo } from "./kernel/calls/calls.ts";
import { handlerSignal, signalNeverAborted } from "./kernel/calls/handler_signal.ts";
import type { PendingCall } from "./kernel/state/pending_call.ts";
import { startFrom } from "./kernel/lifecycle/start.ts";
import type { Behaviour } from "./kernel/state/behaviour.ts";
import { genServerBehaviour } from "./_gen_server_behaviour.ts";
import {
  demonitorFrom,
  linkProcesses,
  monitorFrom,
  unlinkProcesses,
} from "./kernel/lifecycle/signals.ts";
import { exitFrom } from "./kernel/lifecycle/exit.ts";

/** The kernel's functions with this process as the sender. */
export class ProcessContext implements Context {
  readonly #rt: Runtime;
  readonly #process: Process;
  readonly #system: System;

  constructor(rt: Runtime, process: Process, system: System) {
    this.#rt = rt;
    this.#process = process;
    this.#system = system;
  }

  get system(): System {
    return this.#system;
  }

  get self(): Pid {
    return this.#process.pid;
  }

  /** The call whose `handleCall` runs now (awaited included), if any. */
  #call(): PendingCall | undefined {
    const process = this.#process;
    const call = process.activeCall;
    // `activeCall` is cleared when the callback's result is applied; a
    // crash or stop in between leaves it, so the callback name decides.
    return call !== undefined && process.callback === process.behaviour.callbackNames.call
      ? call
      : undefined;
  }

  get signal(): AbortSignal {
    const call = this.#call();
    return call === undefined ? signalNeverAborted() : handlerSignal(call);
  }

  get deadline(): number {
    const call = this.#call();
    return call === undefined ? Infinity : call.deadline + this.#rt.origin;
  }

  signalOf(from: From): AbortSignal {
    const call = pendingCallOf(this.#rt, from);
    if (call !== undefined && call.target === this.#process) return handlerSignal(call);
    const active = this.#call();
    if (active !== undefined && active.from === from) return handlerSignal(active);
    return AbortSignal.abort();
  }

  /** Whether its process has exited (the attempt is then counted). */
  #dead(): boolean {
    if (this.#process.life !== Life.Dead) return false;
    this.#rt.sched.afterDeath++;
    return true;
  }

  /** A rejection for an operation of a dead process, marked handled. */
  #refused<T>(): Promise<T> {
    const process = this.#process;
    const refused = Promise.reject<T>(
      new ExitError(String(process.pid), process.exitReason, "has exited and cannot act"),
    );
    refused.catch(() => {});
    return refused;
  }

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
  > {
    if (this.#dead()) return this.#refused();
    return callFrom(this.#rt, this.#process, target, request, options) as Promise<
      [R] extends [never] ? (T extends Pid<unknown, infer Reply, unknown> ? Reply
          : T extends Name<unknown, infer Reply, unknown> ? Reply
          : unknown)
        : R
    >;
  }

  cast<T extends Target>(
    target: T,
    request: T extends Pid<unknown, unknown, infer Cast> ? Cast
      : T extends Name<unknown, unknown, infer Cast> ? Cast
      : unknown,
  ): Delivery {
    if (this.#dead()) return "dropped";
    return deliverFrom(this.#rt, target, false, request);
  }

  send(target: Target, message: unknown): Delivery {
    if (this.#dead()) return "dropped";
    return deliverFrom(this.#rt, target, true, message);
  }

  sendAfter(target: Target, message: unknown, ms: number): Ref {
    if (this.#dead()) return new Ref(this.#rt.nextRef++, this.#rt.node);
    return this.#system.sendAfter(target, message, ms);
  }

  cancelTimer(ref: Ref): number | false {
    if (this.#dead()) return false;
    return this.#system.cancelTimer(ref);
  }

  reply<R>(from: From<R>, value: R): void {
    if (this.#dead()) return;
    replyTo(this.#rt, from, value);
  }

  start<S, A, Req = unknown, Rep = unknown, C = unknown, I = unknown>(
    server: GenServer<S, A, Req, Rep, C, I>,
    arg: A,
    options: StartOptions & {
      readonly name?: Name<NoInfer<Req>, NoInfer<Rep>, NoInfer<C>> | ViaName;
    } = {},
  ): Promise<Pid<Req, Rep, C>> {
    return this.#start(false, server, arg, options) as Promise<Pid<Req, Rep, C>>;
  }

  startLink<S, A, Req = unknown, Rep = unknown, C = unknown, I = unknown>(
    server: GenServer<S, A, Req, Rep, C, I>,
    arg: A,
    options: StartOptions & {
      readonly name?: Name<NoInfer<Req>, NoInfer<Rep>, NoInfer<C>> | ViaName;
    } = {},
  ): Promise<Pid<Req, Rep, C>> {
    return this.#start(true, server, arg, options) as Promise<Pid<Req, Rep, C>>;
  }
  /** `start` / `startLink`: refused once this process is dead. */
  #start(
    link: boolean,
    server: unknown,
    arg: unknown,
    options: StartOptions,
  ): Promise<Pid | undefined> {
    if (this.#dead()) return this.#refused();
    return startFrom(
      this.#rt,
      this.#process,
      link,
      server,
      genServerBehaviour as (server: unknown) => Behaviour,
      arg,
      options,
    );
  }

  link(pid: Pid): void {
    if (this.#dead()) return;
    linkProcesses(this.#rt, this.#process, pid);
  }

  unlink(pid: Pid): void {
    if (this.#dead()) return;
    unlinkProcesses(this.#rt, this.#process, pid);
  }

  monitor(target: Target): Ref {
    if (this.#dead()) return new Ref(this.#rt.nextRef++, this.#rt.node);
    return monitorFrom(this.#rt, this.#process, undefined, target);
  }

  demonitor(ref: Ref, options: { flush?: boolean } = {}): boolean {
    if (this.#dead()) return false;
    return demonitorFrom(this.#rt, this.#process, ref, options?.flush === true);
  }

  trapExit(trap: boolean): boolean {
    const previous = this.#process.trapExit;
    if (this.#dead()) return previous;
    this.#process.trapExit = trap === true;
    return previous;
  }

  exit(pid: Pid, reason: ExitReason): void {
    if (this.#dead()) return;
    exitFrom(this.#rt, this.#process, pid, reason);
  }
}
