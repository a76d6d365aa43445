/**
 * The state one system's kernel shares (internal): the scheduler core, the
 * payload table beside its slots, the process table, names, pending calls
 * and timers, and the scheduler's flags. A plain record: it points to no
 * System and holds no behaviour of its own; the kernel's functions live in
 * the layers above (`src/kernel/<layer>/`), each takes this as its first
 * argument, and what a layer needs from one above it is in `ports`,
 * injected when the kernel is assembled (`kernel.ts`).
 *
 * @module
 */

import type { Core } from "../../core/core.ts";
import type { Clock } from "../../clock.ts";
import type { Logger } from "../../logger.ts";
import { type Pid, pidSlot } from "../../pid.ts";
import type { Placement, RemoteResolver } from "../../options.ts";
import type { Telemetry } from "../../telemetry/telemetry.ts";
import type { MessageTracer } from "../../tracing/message_tracer.ts";
import type { Process } from "./process.ts";
import type { Behaviour } from "./behaviour.ts";
import { CallTable } from "./call_table.ts";
import { CallDeadlines } from "./call_deadlines.ts";
import type { Timers } from "./timers.ts";
import { NO_TOKEN, Probes } from "./probes.ts";
import type { ExitHook, KernelPorts } from "./ports.ts";
import type { MonitorState } from "./monitor_state.ts";
import { REF_SPAN, type RemoteExternalMonitor } from "./remote_ends.ts";

/** Bits of a core actor id that index the actor table. */
export const INDEX_MASK = (1 << 20) - 1;

/** Everything the kernel functions read and write. */
export class Runtime {
  /** This system's node id: every pid and ref it makes carries it. */
  readonly node: string;
  /** Which scheduler of its node this runtime is (0: the system's own thread); its pids carry it. */
  readonly scheduler: number;
  /**
   * Where pids of other nodes go (`SystemOptions.remote`): `undefined` when
   * no transport is plugged in, and such pids then find nothing.
   */
  readonly remote: RemoteResolver | undefined;
  readonly core: Core;
  readonly clock: Clock;
  /** Clock time at creation: the core clock counts from here. */
  readonly origin: number;
  readonly logger: Logger | null;
  /** Milliseconds of work before the scheduler yields to the host. */
  readonly timeSlice: number;
  /** `scheduling: "manual"`: nothing runs but `runUntilIdle`. */
  readonly manual: boolean;

  /** Payloads by core slot; grown in place, never replaced (the run loop holds it). */
  readonly payloads: unknown[] = new Array(1024).fill(undefined);
  /** Envelope kind by core slot (`state/envelopes.ts`). */
  kinds: Uint8Array = new Uint8Array(1024);
  /** Processes by core actor index. */
  byIndex: (Process | undefined)[] = [];
  /** Live processes by pid serial, oldest first (see {@linkcode lookup}). */
  readonly bySerial: Map<number, Process> = new Map();
  readonly names: Map<string, Process> = new Map();
  /** Calls waiting for a reply, by call id. */
  readonly calls: CallTable = new CallTable();
  /** The deadlines of calls waiting for a reply, and their sweep timer. */
  readonly deadlines: CallDeadlines = new CallDeadlines();
  /** Monitors held by code outside any process (`system.monitor`), by ref serial. */
  readonly externalMonitors: Map<number, Process> = new Map();
  /** Processes with links or monitors across the routing seam (`lifecycle/remote_links.ts`). */
  readonly remoteHolders: Set<Process> = new Set();
  /** Monitors held from outside any process on pids across the seam, by ref serial. */
  readonly remoteExternal: Map<number, RemoteExternalMonitor> = new Map();
  /**
   * Starts a process on another scheduler when its options place it there
   * (`SystemOptions.schedulers`): the Promise of its pid, or `undefined` for
   * "start it here". Set by the system when it runs several schedulers.
   */
  spawner: RemoteSpawner | undefined = undefined;
  /**
   * Registered names held on the other schedulers of this system (names
   * are system-wide, as on one BEAM node), set when the system runs
   * several schedulers; `undefined`: this runtime's own names are all.
   */
  directory: NameDirectory | undefined = undefined;
  /** Outside monitors (by ref serial) whose onDown is queued and not cancelled by demonitor. */
  readonly pendingDowns: Set<number> = new Set();
  /** The timer service (`timers/timer_service.ts`), set when the kernel is assembled. */
  timerService!: Timers;
  /** Where the runtime's events go (the system's telemetry). */
  readonly telemetry: Telemetry;
  /** Upward needs, injected when the kernel is assembled. */
  readonly ports: KernelPorts;
  /** Exit clean-up steps, in order, each registered by the subsystem that owns what it cleans. */
  readonly exitHooks: ExitHook[] = [];
  nextSerial = 1;
  nextRef: number;
  nextCallId = 1;

  /** A run is queued (microtask or macrotask). */
  scheduled = false;
  /** The run loop is on the stack. */
  running = false;
  /** The clock reading the message that woke the system took, for the run it queued (-1: none). */
  wakeReading = -1;
  /** Clock time the current burst of work began (-1: none). */
  burstStart = -1;
  /** Callback Promises pending. */
  inFlight = 0;
  /** Processes with held-back work that no room was left to schedule (`nudge`): retried after each run. */
  nudged: Process[] = [];
  /**
   * Reductions charged to the process running now for the kernel work it
   * asked for (`state/reductions.ts`); reset when each run begins.
   */
  charged = 0;
  /**
   * A call was settled during this run: its caller's `await` goes on in a
   * microtask, which the run loop lets in after the process it is running
   * (`scheduler/scheduler.ts`) instead of after the whole slice.
   */
  settledCalls = false;
  /** The process whose callback runs synchronously now, if any (`system.call` to itself fails fast). */
  current: Process | undefined = undefined;

  /**
   * Exit signals waiting to be delivered, as (target, sender, reason)
   * triples from `signalHead` on: an exit that signals its links queues them
   * here, and the outermost exit delivers them in a loop, so a chain of a
   * million linked processes unwinds without deepening the stack.
   */
  readonly signals: unknown[] = [];
  signalHead = 0;
  /** The signal loop is on the stack. */
  propagating = false;

  /** Messages between two slice checks now (`scheduler/slice.ts`): grows while handlers are fast. */
  checkSpan = 1;
  /** Messages left before the next slice check. */
  untilCheck = 1;
  /** Clock reading at the last slice check. */
  lastCheck = 0;
  /** `sched.messages` as of the last slice check (its reading is the slice's end when no message followed). */
  checkedAt = -1;
  /** A slice check ran during the last process run (the loop then advances the timers). */
  checked = false;
  /** The last slice check found the slice used up: the loop yields to the host. */
  sliceOver = false;
  /**
   * A span of messages that took at most this long (ms) lets the next span
   * double (`scheduler/slice.ts`): an eighth of the slice, and with the
   * system monitor on at most a quarter of its long-callback budget, so a
   * span of fast callbacks never looks like a long one.
   */
  fastSpan: number;
  /** The system monitor (`kernel/monitor/`), undefined when off. */
  monitor: MonitorState | undefined = undefined;
  /** `sched.messages` when the monitor's current stretch began (`probes/monitor_stretches.ts`). */
  segBase = 0;
  /** The envelope kind of the message handled last (the monitor names its callback). */
  lastKind = 0;

  /** Link ends, active monitors and monitor refs held, kept up to date (`tableSizes` in O(1)). */
  readonly counts = { links: 0, monitors: 0, monitorHolders: 0 };
  /** `runUntilIdle` callers waiting in auto scheduling. */
  idleWaiters: (() => void)[] = [];

  /** Which built-in events have handlers, and the tracer. */
  readonly probes: Probes;
  /** Hot copy of `probes.timing`: callbacks are timed (events or a tracer). */
  timing = false;
  /** Hot copy of `probes.tracer`. */
  tracer: MessageTracer | undefined = undefined;
  /** While a `sendAfter` message is delivered with a tracer: the token taken when it was set. */
  timerToken: unknown = NO_TOKEN;
  /**
   * The clock reading at which the last timed callback ended, for the next
   * one in the same run to start at (-1: none; every run starts without).
   */
  stamp = -1;
  /** Tracer tokens of queued casts and sends, by core slot (only with a tracer). */
  readonly traceTokens: unknown[] = [];
  /** Scheduler counters (`system.schedulerStats()`). */
  readonly sched = {
    /** Runs of the scheduler loop (slices) ended. */
    slices: 0,
    /** Milliseconds the loop held the host, in all. */
    busy: 0,
    /** Process runs (one process, up to its budget). */
    processRuns: 0,
    /** Messages handled. */
    messages: 0,
    /** Clock time the last slice ended (-1: none yet). */
    lastEnd: -1,
    /** Clock time `table_size` was last executed. */
    lastTableSize: -Infinity,
    /** Busy time and start of the current utilization window. */
    windowBusy: 0,
    windowStart: 0,
    /** Utilization of the last complete window (0..1). */
    utilization: 0,
    /** Callback Promises that settled (progress, for `runUntilIdle` in manual scheduling). */
    settled: 0,
    /** Context operations of processes that had already exited (each dropped). */
    afterDeath: 0,
    /** Calls whose caller gave up (timeout, signal, exit) while they were queued. */
    expiredCalls: 0,
    /** Messages shed by a mailbox's CoDel policy (waited too long), never handled. */
    shed: 0,
    /** Messages refused because the system had no room for them (queued-message limit, memory). */
    outOfMemory: 0,
  };

  /**
   * The scheduler's entry points from the host (a microtask, a macrotask),
   * bound once when the kernel is assembled so that scheduling a run
   * allocates nothing.
   */
  runFromMicrotask: () => void = noop;
  runFromMacrotask: () => void = noop;

  constructor(
    ports: KernelPorts,
    telemetry: Telemetry,
    node: string,
    scheduler: number,
    remote: RemoteResolver | undefined,
    core: Core,
    clock: Clock,
    logger: Logger | null,
    timeSlice: number,
    manual: boolean,
    tracer?: MessageTracer,
  ) {
    this.ports = ports;
    this.telemetry = telemetry;
    this.node = node;
    this.scheduler = scheduler;
    this.nextRef = scheduler * REF_SPAN + 1;
    this.remote = remote;
    this.core = core;
    this.clock = clock;
    this.origin = clock.now();
    this.logger = logger;
    this.timeSlice = timeSlice;
    this.fastSpan = timeSlice / 8;
    this.manual = manual;
    this.probes = new Probes(telemetry, tracer, (probes) => {
      this.timing = probes.timing;
      this.tracer = probes.tracer;
    });
    this.sched.windowStart = this.origin;
  }

  /** Milliseconds since the system was created, on its clock. */
  now(): number {
    return this.clock.now() - this.origin;
  }
}

/**
 * The live local process behind `pid`: its node checked to be this
 * system's, then found by serial (serials are never reused), so a pid of
 * another system with the same serial finds nothing here.
 */
export function lookup(rt: Runtime, pid: Pid): Process | undefined {
  const slot = pidSlot(pid);
  if (slot >= 0) {
    // The very pid object this system made: its process, if still at that index.
    const process = rt.byIndex[slot];
    if (process !== undefined && process.pid === pid) return process;
  }
  return pid.node === rt.node && pid.scheduler === rt.scheduler
    ? rt.bySerial.get(pid.serial)
    : undefined;
}

/** Whether a pid names this runtime's node and scheduler (alive or not). */
export function isHere(rt: Runtime, pid: Pid): boolean {
  return pid.node === rt.node && pid.scheduler === rt.scheduler;
}

/** Whether a ref was made by this runtime (refs of other nodes or schedulers match nothing here). */
export function isLocalRef(
  rt: Runtime,
  ref: { readonly node: string; readonly serial: number },
): boolean {
  return ref.node === rt.node && Math.floor(ref.serial / REF_SPAN) === rt.scheduler;
}

/** The system-wide names of a system of several schedulers (`schedulers/_names.ts`). */
export interface NameDirectory {
  /** The pid a name is registered to on another scheduler, if any. */
  whereis(name: string): Pid | undefined;
  /** A local process took `name`. */
  registered(name: string, pid: Pid): void;
  /** A local process that held `name` exited. */
  unregistered(name: string, pid: Pid): void;
}

/**
 * Starts `definition` where `placement` (read from `options` and checked
 * by `start`; never `"local"`) puts it: the Promise of its pid (`parent`
 * linked to it when `link`), or `undefined` to start it here.
 */
export type RemoteSpawner = (
  parent: Process | undefined,
  link: boolean,
  definition: unknown,
  behaviourOf: (definition: unknown) => Behaviour,
  arg: unknown,
  options: object,
  placement: Placement,
) => Promise<Pid | undefined> | undefined;

function noop(): void {}
