/**
 * The Context a process's callbacks receive (internal implementation).
 *
 * @module
 */

import type { Context } from "./context.ts";
import type { ExitReason } from "./exit_reason.ts";
import type { From } from "./from.ts";
import type { GenServer } from "./gen_server.ts";
import type { Pid, Ref } from "./pid.ts";
import type { CallOptions, Delivery, StartOptions, Target } from "./options.ts";
import type { System } from "./system.ts";
import type { Process } from "./_process.ts";

/** Delegates to the system with this process as the sender. */
export class ProcessContext implements Context {
  readonly system: System;
  readonly #process: Process;

  constructor(system: System, process: Process) {
    this.system = system;
    this.#process = process;
  }

  get self(): Pid {
    return this.#process.pid;
  }

  call<R = unknown>(target: Target, request: unknown, options?: CallOptions): Promise<R> {
    return this.system.callFrom(this.#process, target, request, options) as Promise<R>;
  }

  cast(target: Target, request: unknown): Delivery {
    return this.system.deliverFrom(target, false, request);
  }

  send(target: Target, message: unknown): Delivery {
    return this.system.deliverFrom(target, true, message);
  }

  sendAfter(target: Target, message: unknown, ms: number): Ref {
    return this.system.sendAfter(target, message, ms);
  }

  cancelTimer(ref: Ref): number | false {
    return this.system.cancelTimer(ref);
  }

  reply<R>(from: From<R>, value: R): void {
    this.system.reply(from, value);
  }

  start<S, A>(server: GenServer<S, A>, arg: A, options: StartOptions = {}): Promise<Pid> {
    return this.system.startFrom(this.#process, false, server, arg, options) as Promise<Pid>;
  }

  startLink<S, A>(server: GenServer<S, A>, arg: A, options: StartOptions = {}): Promise<Pid> {
    return this.system.startFrom(this.#process, true, server, arg, options) as Promise<Pid>;
  }

  link(pid: Pid): void {
    this.system.link(this.#process, pid);
  }

  unlink(pid: Pid): void {
    this.system.unlink(this.#process, pid);
  }

  monitor(target: Target): Ref {
    return this.system.monitorFrom({ kind: "process", process: this.#process }, target);
  }

  demonitor(ref: Ref, options: { flush?: boolean } = {}): boolean {
    return this.system.demonitorFrom(this.#process, ref, options.flush === true);
  }

  trapExit(trap: boolean): boolean {
    const previous = this.#process.trapExit;
    this.#process.trapExit = trap === true;
    return previous;
  }

  exit(pid: Pid, reason: ExitReason): void {
    this.system.exitFrom(this.#process, pid, reason);
  }
}
