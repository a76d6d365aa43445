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
import type { Runtime } from "./_runtime.ts";
import { callFrom, deliverFrom, replyTo } from "./_delivery.ts";
import { startFrom } from "./_start.ts";
import {
  demonitorFrom,
  exitFrom,
  linkProcesses,
  monitorFrom,
  unlinkProcesses,
} from "./_signals.ts";

/** The kernel's functions with this process as the sender. */
export class ProcessContext implements Context {
  readonly #rt: Runtime;
  readonly #process: Process;

  constructor(rt: Runtime, process: Process) {
    this.#rt = rt;
    this.#process = process;
  }

  get system(): System {
    return this.#rt.system;
  }

  get self(): Pid {
    return this.#process.pid;
  }

  call<R = unknown>(target: Target, request: unknown, options?: CallOptions): Promise<R> {
    return callFrom(this.#rt, this.#process, target, request, options) as Promise<R>;
  }

  cast(target: Target, request: unknown): Delivery {
    return deliverFrom(this.#rt, target, false, request);
  }

  send(target: Target, message: unknown): Delivery {
    return deliverFrom(this.#rt, target, true, message);
  }

  sendAfter(target: Target, message: unknown, ms: number): Ref {
    return this.#rt.system.sendAfter(target, message, ms);
  }

  cancelTimer(ref: Ref): number | false {
    return this.#rt.system.cancelTimer(ref);
  }

  reply<R>(from: From<R>, value: R): void {
    replyTo(this.#rt, from, value);
  }

  start<S, A>(server: GenServer<S, A>, arg: A, options: StartOptions = {}): Promise<Pid> {
    return startFrom(this.#rt, this.#process, false, server, arg, options) as Promise<Pid>;
  }

  startLink<S, A>(server: GenServer<S, A>, arg: A, options: StartOptions = {}): Promise<Pid> {
    return startFrom(this.#rt, this.#process, true, server, arg, options) as Promise<Pid>;
  }

  link(pid: Pid): void {
    linkProcesses(this.#rt, this.#process, pid);
  }

  unlink(pid: Pid): void {
    unlinkProcesses(this.#rt, this.#process, pid);
  }

  monitor(target: Target): Ref {
    return monitorFrom(this.#rt, { kind: "process", process: this.#process }, target);
  }

  demonitor(ref: Ref, options: { flush?: boolean } = {}): boolean {
    return demonitorFrom(this.#rt, this.#process, ref, options.flush === true);
  }

  trapExit(trap: boolean): boolean {
    const previous = this.#process.trapExit;
    this.#process.trapExit = trap === true;
    return previous;
  }

  exit(pid: Pid, reason: ExitReason): void {
    exitFrom(this.#rt, this.#process, pid, reason);
  }
}
