/**
 * The runtime's record of one process (internal).
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import type { Behaviour } from "./behaviour.ts";
import type { Pid, Ref } from "../../pid.ts";
import type { Context } from "../../context.ts";
import type { PendingCall } from "./pending_call.ts";
import type { ViaName } from "../../options.ts";

/**
 * What a process is doing: as `:erlang.process_info(pid, :status)`.
 *
 * @example An idle server is waiting
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import type { ProcessStatus } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(null) });
 * const status: ProcessStatus | undefined = system.processInfo(pid)?.status;
 * console.log(status); // "waiting"
 * ```
 */
export type ProcessStatus = "running" | "runnable" | "waiting" | "suspended" | "exiting";

/** Lifecycle of a process record. */
export const Life = {
  /** `init` has not finished. */
  Starting: 0,
  /** Handling messages. */
  Alive: 1,
  /** `terminate` is running. */
  Exiting: 2,
  /** Gone: its core actor is freed, its pid answers nothing. */
  Dead: 3,
} as const;
export type Life = typeof Life[keyof typeof Life];

/** Something waiting for a monitored process to exit, and the ref of its monitor. */
export type DownWatcher =
  | { readonly kind: "process"; readonly process: Process; readonly ref: Ref }
  | {
    readonly kind: "callback";
    readonly onDown: (reason: ExitReason, ref: Ref, pid: Pid) => void;
    readonly ref: Ref;
  };

/** A runtime message held back from a full mailbox (`Process.overflow`). */
export interface HeldMessage {
  kind: number;
  payload: unknown;
  /** Handled once the process has taken this many messages out of its ring. */
  dueAfter: number;
}

/** The mutable record behind a pid. */
export class Process {
  readonly pid: Pid;
  readonly coreId: number;
  /** What runs its code (a GenServer, a state machine, ...): the kernel knows only the port. */
  readonly behaviour: Behaviour;
  readonly name: string | undefined;
  life: Life = Life.Starting;
  state: unknown = undefined;
  context!: Context;

  /** The callback running now (sync or awaiting its Promise), for crash reports and processInfo. */
  callback: string | undefined = undefined;
  /** The message that callback handles. */
  message: unknown = undefined;
  /** A callback Promise is in flight: the core actor is Blocked. */
  busy = false;
  /**
   * Which park the in-flight Promise belongs to: a settlement that carries an
   * older number (a thenable that calls back twice, or late) is ignored.
   */
  parkToken = 0;
  /**
   * Its handlers were slow lately (`scheduler/slice.ts`): the scheduler reads the
   * clock after each of its messages instead of after a span of them.
   */
  slow = false;
  /** `system.suspend`: the core actor stays Blocked until `resume`. */
  suspended = false;
  /** `handleContinue` is owed before the next message. */
  continuePending = false;
  continueValue: unknown = undefined;
  /** Counts handled messages, so an idle timeout can tell it was overtaken. */
  handled = 0;
  /** Instrumentation: the kind index of the callback being timed (-1: none; `probes/instrument.ts`). */
  spanKind = -1;
  /** Clock time that callback began. */
  spanStart = 0;
  /** Milliseconds the message being handled waited in the mailbox. */
  queueTime = 0;
  /** Tracer token of the message being handled, and the scope of its handling. */
  traceToken: unknown = undefined;
  traceScope: unknown = undefined;
  /** Testing hook: crash with `faultReason` when `handled` reaches `faultAt`. */
  faultAt = 0;
  faultReason: unknown = undefined;

  /** `hibernate: true` in the last result: drop the mailbox ring once idle. */
  hibernateWhenIdle = false;
  /**
   * DOWN notices queued in the mailbox, by monitor ref serial, so
   * `demonitor(ref, { flush })` can drop one (created on first use, like
   * every collection below: most processes never link, monitor or hold back
   * a message, and an idle process should cost a few hundred bytes).
   */
  queuedDowns: Map<number, { flushed: boolean }> | undefined = undefined;

  /** The `{ via, key }` name it was started under, unregistered at exit. */
  via: ViaName | undefined = undefined;
  trapExit = false;
  /** The process that started it with `startLink`: its exit signal means terminate. */
  parent: Pid | undefined = undefined;
  /** Linked processes (created on first use). */
  links: Set<Process> | undefined = undefined;
  /** Monitors this process holds: ref serial → monitored process (created on first use). */
  monitoring: Map<number, Process> | undefined = undefined;
  /** Monitors on this process: ref serial → the ref and who to tell (created on first use). */
  monitoredBy: Map<number, DownWatcher> | undefined = undefined;
  /** The first of the calls waiting for this process to reply (a list through `PendingCall.inNext`). */
  inbound: PendingCall | undefined = undefined;
  /** The first of the calls this process made and still waits on (through `PendingCall.outNext`): dropped when it exits. */
  outbound: PendingCall | undefined = undefined;
  /** Core timer id of the initTimeout, 0 when none. */
  initTimer = 0;
  /** Core timer ids that target this process (sendAfter, idle timeout; created on first use). */
  timers: Set<number> | undefined = undefined;
  /** Messages taken out of the ring so far (positions for held-back messages). */
  taken = 0;
  /**
   * Runtime messages (exit signals, DOWN, stop, ...) its full bounded mailbox
   * refused: each is handled once `taken` reaches `dueAfter`, i.e. after the
   * messages that were queued before it.
   */
  overflow: HeldMessage[] | undefined = undefined;
  /**
   * Stop requests and the parent's exit signal that reached it while
   * suspended (created on first use): handled even while suspended, as OTP
   * handles system messages of a suspended process.
   */
  urgent: { kind: number; payload: unknown }[] | undefined = undefined;
  /** Resolves `start`. */
  startResolve: ((pid: Pid | undefined) => void) | undefined = undefined;
  startReject: ((error: unknown) => void) | undefined = undefined;
  /** Waiters for the exit (stop, whenExited). */
  exitWaiters: ((reason: ExitReason) => void)[] | undefined = undefined;
  exitReason: ExitReason = undefined;
  readonly startedAt: number;

  constructor(
    pid: Pid,
    coreId: number,
    behaviour: Behaviour,
    name: string | undefined,
    startedAt: number,
  ) {
    this.pid = pid;
    this.coreId = coreId;
    this.behaviour = behaviour;
    this.name = name;
    this.startedAt = startedAt;
  }
}
