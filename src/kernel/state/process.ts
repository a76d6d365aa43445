/**
 * The runtime's record of one process (internal).
 *
 * @module
 */

import type { RemoteEnds } from "./remote_ends.ts";
import type { ExitReason } from "../../exit_reason.ts";
import type { Behaviour } from "./behaviour.ts";
import type { Pid, Ref } from "../../pid.ts";
import type { Context } from "../../context.ts";
import type { PendingCall } from "./pending_call.ts";
import type { ViaName } from "../../options.ts";
import type { MailboxFlow } from "./mailbox_flow.ts"; // watermarks and shedding (issue 15)

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

/**
 * What few processes use, in one record created on first use
 * (`Process.rare`): links, monitors, a `{ via, key }` name, timers, exit
 * waiters, trapping exits, testing hooks. An idle process that uses none of
 * it costs its slots in the process record alone.
 */
export class ProcessRare {
  /** The name it was started under (`start`'s `name` option). */
  name: string | undefined = undefined;
  /**
   * Which park the in-flight Promise belongs to: a settlement that carries an
   * older number (a thenable that calls back twice, or late) is ignored.
   */
  parkToken = 0;
  /** Instrumentation: the kind index of the callback being timed (-1: none; `probes/instrument.ts`). */
  spanKind = -1;
  /** Clock time that callback began. */
  spanStart = 0;
  /** Milliseconds the message being handled waited in the mailbox. */
  queueTime = 0;
  /** The first of the calls waiting for this process to reply (a list through `PendingCall.inNext`). */
  inbound: PendingCall | undefined = undefined;
  /** The first of the calls this process made and still waits on (through `PendingCall.outNext`): dropped when it exits. */
  outbound: PendingCall | undefined = undefined;
  /**
   * Runtime messages (exit signals, DOWN, stop, ...) its full bounded mailbox
   * refused: each is handled once `taken` reaches `dueAfter`, i.e. after the
   * messages that were queued before it.
   */
  overflow: HeldMessage[] | undefined = undefined;
  /** Tracer token of the message being handled, and the scope of its handling (only with a tracer). */
  traceToken: unknown = undefined;
  traceScope: unknown = undefined;
  /** `hibernate: true` in the last result: drop the mailbox ring once idle. */
  hibernateWhenIdle = false;
  /** Testing hook: crash with `faultReason` when `handled` reaches `faultAt`. */
  faultAt = 0;
  faultReason: unknown = undefined;
  /** DOWN notices queued in the mailbox, by monitor ref serial, so `demonitor(ref, { flush })` can drop one. */
  queuedDowns: Map<number, { flushed: boolean }> | undefined = undefined;
  /** The `{ via, key }` name it was started under, unregistered at exit. */
  via: ViaName | undefined = undefined;
  trapExit = false;
  /** The process that started it with `startLink`: its exit signal means terminate. */
  parent: Pid | undefined = undefined;
  /** Linked processes. */
  links: Set<Process> | undefined = undefined;
  /** Monitors this process holds: ref serial → monitored process. */
  monitoring: Map<number, Process> | undefined = undefined;
  /** Monitors on this process: ref serial → the ref and who to tell. */
  monitoredBy: Map<number, DownWatcher> | undefined = undefined;
  /** Links and monitors across the routing seam (`remote_ends.ts`). */
  remote: RemoteEnds | undefined = undefined;
  /** Core timer id of the initTimeout, 0 when none. */
  initTimer = 0;
  /** Core timer ids that target this process (sendAfter, idle timeout). */
  timers: Set<number> | undefined = undefined;
  /**
   * Stop requests and the parent's exit signal that reached it while
   * suspended: handled even while suspended, as OTP handles system messages
   * of a suspended process.
   */
  urgent: { kind: number; payload: unknown }[] | undefined = undefined;
  /** Waiters for the exit (stop, whenExited). */
  exitWaiters: ((reason: ExitReason) => void)[] | undefined = undefined;
}

/**
 * The values of a rare record no process wrote to: what a process without
 * one reads. Never written (a write creates the process's own record).
 */
const NO_RARE: Readonly<ProcessRare> = Object.freeze(new ProcessRare());

/**
 * The mutable record behind a pid. It holds what every process uses on the
 * message path; the rest lives in {@linkcode ProcessRare}, read and written
 * through accessors of the same names (reading one allocates nothing;
 * writing one allocates the record the first time). An idle GenServer is
 * this record, its pid, its context and its entries in the process tables.
 */
export class Process {
  readonly pid: Pid;
  readonly coreId: number;
  /** What runs its code (a GenServer, a state machine, ...): the kernel knows only the port. */
  readonly behaviour: Behaviour;
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
   * Its handlers were slow lately (`scheduler/slice.ts`): the scheduler reads the
   * clock after each of its messages instead of after a span of them.
   */
  slow = false;
  /** `system.suspend`: the core actor stays Blocked until `resume`. */
  suspended = false;
  /** Counts handled messages, so an idle timeout can tell it was overtaken. */
  handled = 0;
  /** Messages taken out of the ring so far (positions for held-back messages). */
  taken = 0;
  /** Resolves `start`. */
  startResolve: ((pid: Pid | undefined) => void) | undefined = undefined;
  startReject: ((error: unknown) => void) | undefined = undefined;
  /** Runtime-clock ms it started at (whole ms: a small integer costs no heap box). */
  readonly startedAt: number;
  /** Why it exited (set once, at exit: a plain field, so an exit allocates no rare record). */
  exitReason: ExitReason = undefined;
  /** What few processes use (created on first write). */
  rare: ProcessRare | undefined = undefined;
  // deadlines (issue 15)
  /**
   * The call its running callback handles (set for every callback `invoke`
   * runs, undefined but for a call): what `ctx.signal` and `ctx.deadline`
   * refer to, until the next callback.
   */
  activeCall: PendingCall | undefined = undefined;
  /** `expiredCalls: "handle"`: run `handleCall` for calls whose caller gave up (reply dropped). */
  handleExpiredCalls = false;
  // watermarks and shedding (issue 15)
  /**
   * Its mailbox's watermarks and CoDel state (`mailbox.watermarks`,
   * `mailbox.shed`): undefined for every other process, whose message path
   * pays this one field check.
   */
  flow: MailboxFlow | undefined = undefined;

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
    if (name !== undefined) this.more().name = name;
    this.startedAt = Math.round(startedAt);
  }

  /** The rare record, created on first use. */
  more(): ProcessRare {
    return this.rare ??= new ProcessRare();
  }

  /** {@linkcode ProcessRare.faultAt}. */
  get faultAt(): number {
    return (this.rare ?? NO_RARE).faultAt;
  }
  set faultAt(value: number) {
    if (this.rare !== undefined || value !== NO_RARE.faultAt) this.more().faultAt = value;
  }

  /** {@linkcode ProcessRare.faultReason}. */
  get faultReason(): unknown {
    return (this.rare ?? NO_RARE).faultReason;
  }
  set faultReason(value: unknown) {
    if (this.rare !== undefined || value !== NO_RARE.faultReason) this.more().faultReason = value;
  }

  /** {@linkcode ProcessRare.queuedDowns}. */
  get queuedDowns(): Map<number, { flushed: boolean }> | undefined {
    return (this.rare ?? NO_RARE).queuedDowns;
  }
  set queuedDowns(value: Map<number, { flushed: boolean }> | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.queuedDowns) this.more().queuedDowns = value;
  }

  /** {@linkcode ProcessRare.via}. */
  get via(): ViaName | undefined {
    return (this.rare ?? NO_RARE).via;
  }
  set via(value: ViaName | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.via) this.more().via = value;
  }

  /** {@linkcode ProcessRare.trapExit}. */
  get trapExit(): boolean {
    return (this.rare ?? NO_RARE).trapExit;
  }
  set trapExit(value: boolean) {
    if (this.rare !== undefined || value !== NO_RARE.trapExit) this.more().trapExit = value;
  }

  /** {@linkcode ProcessRare.parent}. */
  get parent(): Pid | undefined {
    return (this.rare ?? NO_RARE).parent;
  }
  set parent(value: Pid | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.parent) this.more().parent = value;
  }

  /** {@linkcode ProcessRare.remote}. */
  get remote(): RemoteEnds | undefined {
    return (this.rare ?? NO_RARE).remote;
  }
  set remote(value: RemoteEnds | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.remote) this.more().remote = value;
  }

  /** {@linkcode ProcessRare.links}. */
  get links(): Set<Process> | undefined {
    return (this.rare ?? NO_RARE).links;
  }
  set links(value: Set<Process> | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.links) this.more().links = value;
  }

  /** {@linkcode ProcessRare.monitoring}. */
  get monitoring(): Map<number, Process> | undefined {
    return (this.rare ?? NO_RARE).monitoring;
  }
  set monitoring(value: Map<number, Process> | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.monitoring) this.more().monitoring = value;
  }

  /** {@linkcode ProcessRare.monitoredBy}. */
  get monitoredBy(): Map<number, DownWatcher> | undefined {
    return (this.rare ?? NO_RARE).monitoredBy;
  }
  set monitoredBy(value: Map<number, DownWatcher> | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.monitoredBy) this.more().monitoredBy = value;
  }

  /** {@linkcode ProcessRare.initTimer}. */
  get initTimer(): number {
    return (this.rare ?? NO_RARE).initTimer;
  }
  set initTimer(value: number) {
    if (this.rare !== undefined || value !== NO_RARE.initTimer) this.more().initTimer = value;
  }

  /** {@linkcode ProcessRare.timers}. */
  get timers(): Set<number> | undefined {
    return (this.rare ?? NO_RARE).timers;
  }
  set timers(value: Set<number> | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.timers) this.more().timers = value;
  }

  /** {@linkcode ProcessRare.urgent}. */
  get urgent(): { kind: number; payload: unknown }[] | undefined {
    return (this.rare ?? NO_RARE).urgent;
  }
  set urgent(value: { kind: number; payload: unknown }[] | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.urgent) this.more().urgent = value;
  }

  /** {@linkcode ProcessRare.exitWaiters}. */
  get exitWaiters(): ((reason: ExitReason) => void)[] | undefined {
    return (this.rare ?? NO_RARE).exitWaiters;
  }
  set exitWaiters(value: ((reason: ExitReason) => void)[] | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.exitWaiters) this.more().exitWaiters = value;
  }

  /** {@linkcode ProcessRare.traceToken}. */
  get traceToken(): unknown {
    return (this.rare ?? NO_RARE).traceToken;
  }
  set traceToken(value: unknown) {
    if (this.rare !== undefined || value !== NO_RARE.traceToken) this.more().traceToken = value;
  }

  /** {@linkcode ProcessRare.traceScope}. */
  get traceScope(): unknown {
    return (this.rare ?? NO_RARE).traceScope;
  }
  set traceScope(value: unknown) {
    if (this.rare !== undefined || value !== NO_RARE.traceScope) this.more().traceScope = value;
  }

  /** {@linkcode ProcessRare.hibernateWhenIdle}. */
  get hibernateWhenIdle(): boolean {
    return (this.rare ?? NO_RARE).hibernateWhenIdle;
  }
  set hibernateWhenIdle(value: boolean) {
    if (this.rare !== undefined || value !== NO_RARE.hibernateWhenIdle) {
      this.more().hibernateWhenIdle = value;
    }
  }

  /** {@linkcode ProcessRare.spanKind}. */
  get spanKind(): number {
    return (this.rare ?? NO_RARE).spanKind;
  }
  set spanKind(value: number) {
    if (this.rare !== undefined || value !== NO_RARE.spanKind) this.more().spanKind = value;
  }

  /** {@linkcode ProcessRare.spanStart}. */
  get spanStart(): number {
    return (this.rare ?? NO_RARE).spanStart;
  }
  set spanStart(value: number) {
    if (this.rare !== undefined || value !== NO_RARE.spanStart) this.more().spanStart = value;
  }

  /** {@linkcode ProcessRare.queueTime}. */
  get queueTime(): number {
    return (this.rare ?? NO_RARE).queueTime;
  }
  set queueTime(value: number) {
    if (this.rare !== undefined || value !== NO_RARE.queueTime) this.more().queueTime = value;
  }

  /** {@linkcode ProcessRare.inbound}. */
  get inbound(): PendingCall | undefined {
    return (this.rare ?? NO_RARE).inbound;
  }
  set inbound(value: PendingCall | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.inbound) this.more().inbound = value;
  }

  /** {@linkcode ProcessRare.outbound}. */
  get outbound(): PendingCall | undefined {
    return (this.rare ?? NO_RARE).outbound;
  }
  set outbound(value: PendingCall | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.outbound) this.more().outbound = value;
  }

  /** {@linkcode ProcessRare.overflow}. */
  get overflow(): HeldMessage[] | undefined {
    return (this.rare ?? NO_RARE).overflow;
  }
  set overflow(value: HeldMessage[] | undefined) {
    if (this.rare !== undefined || value !== NO_RARE.overflow) this.more().overflow = value;
  }

  /** {@linkcode ProcessRare.name}. */
  get name(): string | undefined {
    return (this.rare ?? NO_RARE).name;
  }

  /** {@linkcode ProcessRare.parkToken}. */
  get parkToken(): number {
    return (this.rare ?? NO_RARE).parkToken;
  }
  set parkToken(value: number) {
    if (this.rare !== undefined || value !== NO_RARE.parkToken) this.more().parkToken = value;
  }
}
