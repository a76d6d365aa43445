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
    const rare = this.rare;
    return rare === undefined ? 0 : rare.faultAt;
  }
  set faultAt(value: number) {
    if (this.rare !== undefined || value !== 0) this.more().faultAt = value;
  }

  /** {@linkcode ProcessRare.faultReason}. */
  get faultReason(): unknown {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.faultReason;
  }
  set faultReason(value: unknown) {
    if (this.rare !== undefined || value !== undefined) this.more().faultReason = value;
  }

  /** {@linkcode ProcessRare.queuedDowns}. */
  get queuedDowns(): Map<number, { flushed: boolean }> | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.queuedDowns;
  }
  set queuedDowns(value: Map<number, { flushed: boolean }> | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().queuedDowns = value;
  }

  /** {@linkcode ProcessRare.via}. */
  get via(): ViaName | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.via;
  }
  set via(value: ViaName | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().via = value;
  }

  /** {@linkcode ProcessRare.trapExit}. */
  get trapExit(): boolean {
    const rare = this.rare;
    return rare === undefined ? false : rare.trapExit;
  }
  set trapExit(value: boolean) {
    if (this.rare !== undefined || value !== false) this.more().trapExit = value;
  }

  /** {@linkcode ProcessRare.parent}. */
  get parent(): Pid | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.parent;
  }
  set parent(value: Pid | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().parent = value;
  }

  /** {@linkcode ProcessRare.links}. */
  get links(): Set<Process> | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.links;
  }
  set links(value: Set<Process> | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().links = value;
  }

  /** {@linkcode ProcessRare.monitoring}. */
  get monitoring(): Map<number, Process> | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.monitoring;
  }
  set monitoring(value: Map<number, Process> | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().monitoring = value;
  }

  /** {@linkcode ProcessRare.monitoredBy}. */
  get monitoredBy(): Map<number, DownWatcher> | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.monitoredBy;
  }
  set monitoredBy(value: Map<number, DownWatcher> | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().monitoredBy = value;
  }

  /** {@linkcode ProcessRare.initTimer}. */
  get initTimer(): number {
    const rare = this.rare;
    return rare === undefined ? 0 : rare.initTimer;
  }
  set initTimer(value: number) {
    if (this.rare !== undefined || value !== 0) this.more().initTimer = value;
  }

  /** {@linkcode ProcessRare.timers}. */
  get timers(): Set<number> | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.timers;
  }
  set timers(value: Set<number> | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().timers = value;
  }

  /** {@linkcode ProcessRare.urgent}. */
  get urgent(): { kind: number; payload: unknown }[] | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.urgent;
  }
  set urgent(value: { kind: number; payload: unknown }[] | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().urgent = value;
  }

  /** {@linkcode ProcessRare.exitWaiters}. */
  get exitWaiters(): ((reason: ExitReason) => void)[] | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.exitWaiters;
  }
  set exitWaiters(value: ((reason: ExitReason) => void)[] | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().exitWaiters = value;
  }

  /** {@linkcode ProcessRare.traceToken}. */
  get traceToken(): unknown {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.traceToken;
  }
  set traceToken(value: unknown) {
    if (this.rare !== undefined || value !== undefined) this.more().traceToken = value;
  }

  /** {@linkcode ProcessRare.traceScope}. */
  get traceScope(): unknown {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.traceScope;
  }
  set traceScope(value: unknown) {
    if (this.rare !== undefined || value !== undefined) this.more().traceScope = value;
  }

  /** {@linkcode ProcessRare.hibernateWhenIdle}. */
  get hibernateWhenIdle(): boolean {
    const rare = this.rare;
    return rare === undefined ? false : rare.hibernateWhenIdle;
  }
  set hibernateWhenIdle(value: boolean) {
    if (this.rare !== undefined || value !== false) this.more().hibernateWhenIdle = value;
  }

  /** {@linkcode ProcessRare.spanKind}. */
  get spanKind(): number {
    const rare = this.rare;
    return rare === undefined ? -1 : rare.spanKind;
  }
  set spanKind(value: number) {
    if (this.rare !== undefined || value !== -1) this.more().spanKind = value;
  }

  /** {@linkcode ProcessRare.spanStart}. */
  get spanStart(): number {
    const rare = this.rare;
    return rare === undefined ? 0 : rare.spanStart;
  }
  set spanStart(value: number) {
    if (this.rare !== undefined || value !== 0) this.more().spanStart = value;
  }

  /** {@linkcode ProcessRare.queueTime}. */
  get queueTime(): number {
    const rare = this.rare;
    return rare === undefined ? 0 : rare.queueTime;
  }
  set queueTime(value: number) {
    if (this.rare !== undefined || value !== 0) this.more().queueTime = value;
  }

  /** {@linkcode ProcessRare.inbound}. */
  get inbound(): PendingCall | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.inbound;
  }
  set inbound(value: PendingCall | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().inbound = value;
  }

  /** {@linkcode ProcessRare.outbound}. */
  get outbound(): PendingCall | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.outbound;
  }
  set outbound(value: PendingCall | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().outbound = value;
  }

  /** {@linkcode ProcessRare.overflow}. */
  get overflow(): HeldMessage[] | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.overflow;
  }
  set overflow(value: HeldMessage[] | undefined) {
    if (this.rare !== undefined || value !== undefined) this.more().overflow = value;
  }

  /** {@linkcode ProcessRare.name}. */
  get name(): string | undefined {
    const rare = this.rare;
    return rare === undefined ? undefined : rare.name;
  }

  /** {@linkcode ProcessRare.parkToken}. */
  get parkToken(): number {
    const rare = this.rare;
    return rare === undefined ? 0 : rare.parkToken;
  }
  set parkToken(value: number) {
    if (this.rare !== undefined || value !== 0) this.more().parkToken = value;
  }
}
