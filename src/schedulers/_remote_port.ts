/**
 * The routing seam's port for one pid reached through a fabric (internal):
 * another scheduler's (`_fabric.ts`) or another node's
 * (`../cluster/_node_fabric.ts`). A small object whose methods live on its
 * prototype, so that making one for a pid just decoded from a message
 * costs one allocation; each method hands the operation to the fabric.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { Delivery, MailboxPort } from "../options.ts";
import type { From } from "../from.ts";
import type { Pid, Ref } from "../pid.ts";

/** What a fabric does for the ports of its pids. */
export interface PortFabric {
  /** `MailboxPort.deliver` of `pid`. */
  portDeliver(pid: Pid, kind: "cast" | "info", message: unknown): Delivery;
  /** `MailboxPort.call` of `pid`, the handler's `from` naming `caller`. */
  portCall(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown>;
  /** `MailboxPort.exit` (`link` false) or `linkExit` (`link` true) of `pid`. */
  portSignal(pid: Pid, link: boolean, from: Pid | undefined, reason: ExitReason): void;
  /** `MailboxPort.link` (`link` true) or `unlink` of `pid`. */
  portLink(pid: Pid, link: boolean, from: Pid): void;
  /** `MailboxPort.monitor` of `pid`. */
  portMonitor(pid: Pid, watcher: Pid, ref: Ref): void;
  /** `MailboxPort.demonitor` of `pid`. */
  portDemonitor(pid: Pid, ref: Ref): void;
  /** `MailboxPort.down` of `pid` (the watcher). */
  portDown(pid: Pid, ref: Ref, dead: Pid, reason: ExitReason): void;
}

/** The port of one pid, through its fabric. */
export class RemotePort implements MailboxPort {
  readonly #fabric: PortFabric;
  readonly #pid: Pid;

  constructor(fabric: PortFabric, pid: Pid) {
    this.#fabric = fabric;
    this.#pid = pid;
  }

  deliver(kind: "cast" | "info", message: unknown): Delivery {
    return this.#fabric.portDeliver(this.#pid, kind, message);
  }

  call(request: unknown, from: From, timeout: number): Promise<unknown> {
    return this.#fabric.portCall(this.#pid, request, timeout, from.pid);
  }

  exit(from: Pid | undefined, reason: ExitReason): void {
    this.#fabric.portSignal(this.#pid, false, from, reason);
  }

  link(from: Pid): void {
    this.#fabric.portLink(this.#pid, true, from);
  }

  unlink(from: Pid): void {
    this.#fabric.portLink(this.#pid, false, from);
  }

  linkExit(from: Pid, reason: ExitReason): void {
    this.#fabric.portSignal(this.#pid, true, from, reason);
  }

  monitor(watcher: Pid, ref: Ref): void {
    this.#fabric.portMonitor(this.#pid, watcher, ref);
  }

  demonitor(ref: Ref): void {
    this.#fabric.portDemonitor(this.#pid, ref);
  }

  down(ref: Ref, pid: Pid, reason: ExitReason): void {
    this.#fabric.portDown(this.#pid, ref, pid, reason);
  }
}
