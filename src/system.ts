/**
 * The system: a scheduler, a process table, and the client API of GenServers.
 *
 * @module
 */

import {
  ActorState,
  type Core,
  CoreCode,
  Priority,
  REUSED_SLOT,
  SLOT_MASK,
  Stat,
} from "./core/core.ts";
import { createCore } from "./core/create_core.ts";
import { type Clock, performanceClock } from "./clock.ts";
import {
  AlreadyStartedError,
  BadReturnValueError,
  CallingSelfError,
  CallTimeoutError,
  ExitError,
  NoProcError,
  OverloadedError,
} from "./errors.ts";
import { type ExitReason, isCleanExit } from "./exit_reason.ts";
import { From } from "./from.ts";
import { DownMessage, ExitMessage, type GenServer } from "./gen_server.ts";
import { consoleLogger, type Logger, type Report } from "./logger.ts";
import { Pid, Ref } from "./pid.ts";
import { type DownWatcher, Life, Process } from "./_process.ts";
import { PendingCall } from "./_pending_call.ts";
import { ProcessContext } from "./_process_context.ts";
import { type ProcessInfo, processInfoOf, type ProcessStatus } from "./process_info.ts";
import { hostYield } from "./_host_yield.ts";
import type { CallOptions, Delivery, StartOptions, SystemOptions, Target } from "./options.ts";

// The client API's option types live in options.ts; importers of the system get them here too.
export type {
  CallOptions,
  Delivery,
  OverflowPolicy,
  StartOptions,
  SystemOptions,
  Target,
} from "./options.ts";
import { checkDelay, checkTimeout, spawnArguments } from "./_options.ts";
import {
  type DownEnvelope,
  K_CALL,
  K_CAST,
  K_DOWN,
  K_EXIT,
  K_INFO,
  K_INIT,
  K_NOOP,
  K_STOP,
  K_TIMEOUT,
  type StopRequest,
} from "./_envelopes.ts";
import { type TimerEntry, TimerKind, TimerService } from "./_timer_service.ts";

const DEFAULT_CALL_TIMEOUT = 5000;
const INDEX_MASK = (1 << 20) - 1;

/**
 * A system of processes: it owns the scheduler core, the process table and
 * the registered names, and runs every process's callbacks — one message at
 * a time per process, a reduction budget per run, yielding to the host event
 * loop after each time slice so timers and I/O keep running.
 *
 * Outside processes, use the system's client API (`start`, `call`, `cast`,
 * `send`, `stop`, ...). Inside callbacks, use the {@linkcode Context} each
 * callback receives, so the runtime knows the sender.
 *
 * @example Start, call, cast, stop
 * ```ts
 * import { noreply, ok, reply, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const stack = await system.start({
 *   init: (items: string[]) => ok(items),
 *   handleCall: (_request: "pop", _from, [top, ...rest]: string[]) => reply(top, rest),
 *   handleCast: (item: string, items: string[]) => noreply([item, ...items]),
 * }, ["a"]);
 * system.cast(stack, "b");
 * console.log(await system.call(stack, "pop")); // "b"
 * await system.stop(stack);
 * ```
 */
export class System {
  /** The scheduler core (for introspection; its integers are the runtime's). */
  readonly core: Core;
  readonly #clock: Clock;
  readonly #origin: number;
  readonly #logger: Logger | null;
  readonly #timeSlice: number;
  readonly #manual: boolean;

  readonly #payloads: unknown[] = new Array(1024).fill(undefined);
  #kinds = new Uint8Array(1024);
  #byIndex: (Process | undefined)[] = [];
  readonly #byPid = new Map<Pid, Process>();
  readonly #names = new Map<string, Process>();
  readonly #calls = new Map<number, PendingCall>();
  readonly #timerService: TimerService;
  #nextSerial = 1;
  #nextRef = 1;
  #nextCallId = 1;

  #scheduled = false;
  #running = false;
  #burstStart = -1;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];

  /** Creates a system; it runs itself on the host's event loop unless `scheduling: "manual"`. */
  constructor(options: SystemOptions = {}) {
    this.core = createCore({
      implementation: options.core,
      reductionBudget: options.reductionBudget ?? 2000,
    });
    this.#clock = options.clock ?? performanceClock;
    if (typeof this.#clock?.now !== "function") {
      throw new TypeError("System: clock must be an object with a now() method");
    }
    this.#origin = this.#clock.now();
    this.#logger = options.logger === undefined ? consoleLogger : options.logger;
    const slice = options.timeSliceMs ?? 5;
    if (typeof slice !== "number" || !(slice > 0)) {
      throw new RangeError(`System: timeSliceMs must be a number > 0, got ${String(slice)}`);
    }
    this.#timeSlice = slice;
    const scheduling = options.scheduling ?? "auto";
    if (scheduling !== "auto" && scheduling !== "manual") {
      throw new TypeError(
        `System: scheduling must be "auto" or "manual", got ${String(scheduling)}`,
      );
    }
    this.#manual = scheduling === "manual";
    this.#timerService = new TimerService(
      this.core,
      () => this.#now(),
      this.#manual,
      () => this.#kick(),
    );
  }

  // ---------------------------------------------------------------- client API

  /**
   * Starts a GenServer: spawns a process, runs `init(arg)` inside it, and
   * resolves with its pid once `init` returns (`undefined` if `init` returned
   * `ignore()`). Rejects — leaving nothing behind — when `init` throws or
   * returns `stop(reason)` ({@linkcode ExitError}), when the name is taken
   * ({@linkcode AlreadyStartedError}), or when `init` outlasts `initTimeout`.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: (n: number) => ok(n) }, 1, { name: "one" });
   * ```
   */
  start<S, A>(server: GenServer<S, A>, arg?: A, options: StartOptions = {}): Promise<Pid> {
    return this.startFrom(undefined, false, server, arg, options) as Promise<Pid>;
  }

  /**
   * Calls `target` and resolves with its reply. Rejects with
   * {@linkcode NoProcError} at once if there is no such process,
   * {@linkcode OverloadedError} at once if its bounded mailbox refuses the
   * request, {@linkcode ExitError} if it exits before replying, and
   * {@linkcode CallTimeoutError} after `timeout` ms (default 5000) — a reply
   * that arrives later is dropped.
   *
   * @example
   * ```ts
   * import { ok, reply, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({
   *   init: () => ok(0),
   *   handleCall: (request: string, _from, n: number) => reply(`${request}!`, n),
   * });
   * console.log(await system.call(pid, "hi", { timeout: 1000 })); // "hi!"
   * ```
   */
  call<R = unknown>(target: Target, request: unknown, options?: CallOptions): Promise<R> {
    return this.callFrom(undefined, target, request, options) as Promise<R>;
  }

  /**
   * Casts `request` to `target` (`handleCast`), without waiting.
   *
   * @example
   * ```ts
   * import { noreply, ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start(
   *   { init: () => ok(0), handleCast: (n: number, sum: number) => noreply(sum + n) },
   *   undefined,
   *   { mailbox: { bound: 1000 } },
   * );
   * if (system.cast(pid, 5) === "overloaded") console.log("back off");
   * ```
   */
  cast(target: Target, request: unknown): Delivery {
    return this.#deliver(this.#resolve(target), K_CAST, request);
  }

  /**
   * Sends a plain message to `target` (`handleInfo`).
   *
   * @example
   * ```ts
   * import { noreply, ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok([]), handleInfo: (m, log: unknown[]) => noreply([...log, m]) });
   * system.send(pid, { tick: 1 });
   * ```
   */
  send(target: Target, message: unknown): Delivery {
    return this.#deliver(this.#resolve(target), K_INFO, message);
  }

  /**
   * Sends `message` to `target` after `ms` milliseconds (a name is resolved
   * when the timer fires). Returns a reference for `cancelTimer`.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const ref = system.sendAfter("ticker", "tick", 1000);
   * system.cancelTimer(ref);
   * ```
   */
  sendAfter(target: Target, message: unknown, ms: number): Ref {
    checkDelay("sendAfter", ms);
    const process = target instanceof Pid ? this.#byPid.get(target) : undefined;
    const ref = new Ref(this.#nextRef++);
    if (target instanceof Pid && process === undefined) return ref; // dead pid: nothing to deliver
    this.#timerService.schedule(ms, {
      kind: TimerKind.Send,
      process,
      name: typeof target === "string" ? target : undefined,
      message,
      ref,
      deadline: 0,
    });
    return ref;
  }

  /**
   * Cancels a `sendAfter`: the milliseconds it had left, or `false` when it
   * already fired or was cancelled.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const left = system.cancelTimer(system.sendAfter("x", "y", 500)); // about 500
   * ```
   */
  cancelTimer(ref: Ref): number | false {
    const entry = this.#timerService.cancelRef(ref);
    return entry ? Math.max(0, entry.deadline - this.#now()) : false;
  }

  /**
   * Replies to a caller that `handleCall` left waiting. Does nothing if the
   * caller already has its reply or gave up (timeout): a late reply is
   * dropped, never delivered anywhere.
   *
   * @example See {@linkcode From}.
   */
  reply<R>(from: From<R>, value: R): void {
    const call = this.#calls.get(from.callId);
    if (!call) return;
    this.#settleCall(call);
    call.resolve(value);
  }

  /**
   * Stops `target` with `reason` (default `"normal"`): it finishes the
   * message it is handling, runs `terminate(reason)`, and exits. Resolves
   * when it has exited; rejects with {@linkcode NoProcError} if there is no
   * such process, and with an {@linkcode ExitError} (reason `"timeout"`) if
   * it has not exited within `timeout` ms — it is then killed.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * await system.stop(pid, "shutdown", 1000);
   * ```
   */
  stop(target: Target, reason: ExitReason = "normal", timeout = Infinity): Promise<void> {
    const process = this.#resolve(target);
    if (!process) return Promise.reject(new NoProcError(String(target)));
    if (!(timeout >= 0)) {
      return Promise.reject(new RangeError(`stop: timeout must be >= 0 ms, got ${timeout}`));
    }
    return new Promise<void>((resolve, reject) => {
      let timer = 0;
      let timedOut = false;
      process.exitWaiters.push((exitReason) => {
        if (timer !== 0) this.#timerService.cancel(timer);
        if (timedOut) reject(new ExitError(String(process.pid), "timeout", "did not stop in time"));
        else if (exitReason === reason) resolve();
        else reject(new ExitError(String(process.pid), exitReason));
      });
      if (Number.isFinite(timeout)) {
        timer = this.#timerService.schedule(timeout, {
          kind: TimerKind.Stop,
          process,
          message: () => {
            timer = 0;
            timedOut = true;
          },
          deadline: 0,
        });
      }
      if (process.life === Life.Exiting) return;
      const request: StopRequest = { reason };
      this.#deliverSystem(process, K_STOP, request);
    });
  }

  /**
   * Sends an exit signal to `pid` from outside any process: `"normal"` is
   * ignored unless it traps exits, `"kill"` cannot be trapped (it exits with
   * `"killed"`), any other reason kills it unless it traps exits (then it
   * gets an {@linkcode ExitMessage}).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * system.exit(pid, "kill");
   * ```
   */
  exit(pid: Pid, reason: ExitReason): void {
    this.exitFrom(undefined, pid, reason);
  }

  /**
   * Monitors `target` from outside any process: `onDown(reason)` runs once
   * when it exits (with `"noproc"`, on a microtask, if it is already gone).
   * Returns a ref for `demonitor`.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * system.monitor(pid, (reason) => console.log("down:", reason));
   * ```
   */
  monitor(target: Target, onDown: (reason: ExitReason) => void): Ref {
    return this.monitorFrom({ kind: "callback", onDown }, target);
  }

  /**
   * Removes a monitor: true if it was active.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * system.demonitor(system.monitor(pid, () => {})); // true
   * ```
   */
  demonitor(ref: Ref): boolean {
    return this.demonitorFrom(undefined, ref, false);
  }

  /**
   * Resolves with `pid`'s exit reason when it exits (at once with `"noproc"`
   * if it is not alive).
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * system.exit(pid, "kill");
   * console.log(await system.whenExited(pid)); // "killed"
   * ```
   */
  whenExited(target: Target): Promise<ExitReason> {
    const process = this.#resolve(target);
    if (!process) return Promise.resolve("noproc");
    return new Promise((resolve) => process.exitWaiters.push(resolve));
  }

  /**
   * The pid registered under `name`, if a live process holds it.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * console.log(system.whereis("cache")); // undefined
   * ```
   */
  whereis(name: string): Pid | undefined {
    return this.#names.get(name)?.pid;
  }

  /**
   * Whether `pid` is a live process of this system.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * console.log(system.isAlive(pid)); // true
   * ```
   */
  isAlive(pid: Pid): boolean {
    const process = this.#byPid.get(pid);
    return process !== undefined && process.life !== Life.Dead;
  }

  /**
   * Suspends a process (`:sys.suspend`): it keeps receiving but handles
   * nothing until `resume`.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * system.suspend(pid);
   * system.resume(pid);
   * ```
   */
  suspend(target: Target): void {
    const process = this.#resolveOrThrow(target);
    if (process.suspended) return;
    process.suspended = true;
    // Waiting or Runnable actors are parked at their next run (see #runProcess).
  }

  /** Resumes a suspended process. See {@linkcode System.suspend}. */
  resume(target: Target): void {
    const process = this.#resolveOrThrow(target);
    if (!process.suspended) return;
    process.suspended = false;
    if (!process.busy && this.core.stat(process.coreId, Stat.State) === ActorState.Blocked) {
      this.core.wake(process.coreId);
      this.#kick();
    }
  }

  // ---------------------------------------------------------------- introspection

  /**
   * What a process is doing now, or `undefined` when it is not alive: status,
   * queue length, reductions, age of its oldest message, the callback it is
   * in, links, monitors and an estimate of its memory. Never the contents of
   * its mailbox or its state.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * console.log(system.processInfo(pid)?.status); // "waiting"
   * ```
   */
  processInfo(pid: Target): ProcessInfo | undefined {
    const process = this.#resolve(pid);
    if (!process) return undefined;
    return processInfoOf(process, this.core, this.#now(), this.#statusOf(process));
  }

  /**
   * The pids of all live processes, oldest first.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * console.log(new System().processes().length); // 0
   * ```
   */
  processes(): Pid[] {
    return [...this.#byPid.keys()];
  }

  /**
   * How many live processes are in each status.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * console.log(new System().countByStatus().waiting); // 0
   * ```
   */
  countByStatus(): Record<ProcessStatus, number> {
    const counts: Record<ProcessStatus, number> = {
      running: 0,
      runnable: 0,
      waiting: 0,
      suspended: 0,
      exiting: 0,
    };
    for (const process of this.#byPid.values()) counts[this.#statusOf(process)]++;
    return counts;
  }

  /**
   * Sizes of the runtime's tables (for leak checks): live processes, names,
   * pending calls, pending timers (runtime and core), and monitors.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * console.log(new System().tableSizes().processes); // 0
   * ```
   */
  tableSizes(): {
    processes: number;
    names: number;
    calls: number;
    timers: number;
    coreTimers: number;
    coreActors: number;
    slotsInUse: number;
    monitors: number;
    links: number;
  } {
    let monitors = 0;
    let links = 0;
    for (const process of this.#byPid.values()) {
      monitors += process.monitoring.size + process.monitoredBy.size;
      links += process.links.size;
    }
    return {
      processes: this.#byPid.size,
      names: this.#names.size,
      calls: this.#calls.size,
      timers: this.#timerService.size,
      coreTimers: this.core.timerCount(),
      coreActors: this.core.actorCount(),
      slotsInUse: this.core.slotsInUse(),
      monitors: monitors + this.#externalMonitors.size,
      links,
    };
  }

  // ---------------------------------------------------------------- scheduling control

  /**
   * When the next pending timer (sendAfter, call timeout, ...) may fire, in
   * the system clock's time, or `undefined` when none is pending. It is never
   * later than the earliest deadline (it may be a little earlier: the wheel's
   * next slot), so a test clock can step from one to the next.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System({ scheduling: "manual" });
   * system.sendAfter("nobody-yet", "ping", 100);
   * console.log(system.nextTimerDue()); // about performance.now() + 100
   * ```
   */
  nextTimerDue(): number | undefined {
    const due = this.core.timerNextDue();
    return due < 0 ? undefined : this.#origin + due;
  }

  /**
   * Runs processes until none is runnable and no callback Promise is pending
   * (timers are not advanced beyond the clock). In `"manual"` scheduling this
   * is how a test makes progress; in `"auto"` it waits for quiescence.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System({ scheduling: "manual" });
   * await system.runUntilIdle();
   * ```
   */
  async runUntilIdle(): Promise<void> {
    for (let round = 0;; round++) {
      if (this.#manual) this.#run(true);
      if (this.#isIdle()) {
        // Let settled callbacks' continuations run, then check again.
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        await Promise.resolve();
        if (this.#isIdle()) {
          if (this.#manual) this.#run(true);
          if (this.#isIdle()) return;
        }
        continue;
      }
      if (this.#manual) {
        // A callback Promise is pending: let the host settle it.
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      } else {
        await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      }
    }
  }

  /**
   * Kills every process (newest first) and stops the scheduler.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * system.shutdown();
   * ```
   */
  shutdown(): void {
    for (const process of [...this.#byPid.values()].reverse()) {
      this.#die(process, "killed", undefined);
    }
    this.#timerService.stop();
  }

  /**
   * @internal Testing hook (see `testing.ts`): the process crashes with
   * `reason` when it is about to handle its `atMessage`-th message (counting
   * from the next one it handles).
   */
  injectFault(target: Target, atMessage: number, reason: unknown): void {
    if (!Number.isInteger(atMessage) || atMessage < 1) {
      throw new RangeError(`injectFault: atMessage must be an integer >= 1, got ${atMessage}`);
    }
    const process = this.#resolveOrThrow(target);
    process.faultAt = process.handled + atMessage;
    process.faultReason = reason;
  }

  // ---------------------------------------------------------------- internal API (Context)

  /** @internal start, from a process (or outside), optionally linked. */
  startFrom<S, A>(
    parent: Process | undefined,
    link: boolean,
    server: GenServer<S, A>,
    arg: A | undefined,
    options: StartOptions,
  ): Promise<Pid | undefined> {
    if (typeof server !== "object" || server === null || typeof server.init !== "function") {
      return Promise.reject(
        new TypeError("start: server must be an object with an init(arg, ctx) function"),
      );
    }
    let spawnArgs: [number, number, number, number];
    const initTimeout = options.initTimeout ?? Infinity;
    try {
      spawnArgs = spawnArguments(options);
      checkTimeout("start: initTimeout", initTimeout);
    } catch (error) {
      return Promise.reject(error);
    }
    const name = options.name;
    if (name !== undefined) {
      if (typeof name !== "string" || name.length === 0) {
        return Promise.reject(new TypeError("start: name must be a non-empty string"));
      }
      const holder = this.#names.get(name);
      if (holder) return Promise.reject(new AlreadyStartedError(name, holder.pid));
    }
    const coreId = this.core.spawn(...spawnArgs);
    if (coreId < 0) {
      return Promise.reject(
        new RangeError(`start: the scheduler core refused a new process (code ${coreId})`),
      );
    }
    const pid = new Pid(this.#nextSerial++);
    const process = new Process(
      pid,
      coreId,
      server as GenServer<unknown, unknown>,
      name,
      this.#now(),
    );
    process.context = new ProcessContext(this, process);
    this.#byIndex[coreId & INDEX_MASK] = process;
    this.#byPid.set(pid, process);
    if (name !== undefined) this.#names.set(name, process);
    if (link && parent) {
      parent.links.add(process);
      process.links.add(parent);
      process.parent = parent.pid;
    }
    const started = new Promise<Pid | undefined>((resolve, reject) => {
      process.startResolve = resolve;
      process.startReject = reject;
    });
    if (Number.isFinite(initTimeout)) {
      process.initTimer = this.#timerService.schedule(initTimeout, {
        kind: TimerKind.Init,
        process,
        deadline: 0,
      });
    }
    this.#deliverSystem(process, K_INIT, arg);
    return started;
  }

  /** @internal call, from a process (or outside). */
  callFrom(
    sender: Process | undefined,
    target: Target,
    request: unknown,
    options: CallOptions | undefined,
  ): Promise<unknown> {
    const timeout = options?.timeout ?? DEFAULT_CALL_TIMEOUT;
    if (!(timeout >= 0)) {
      return Promise.reject(
        new RangeError(`call: timeout must be a number >= 0 ms or Infinity, got ${timeout}`),
      );
    }
    const process = this.#resolve(target);
    if (!process) return Promise.reject(new NoProcError(String(target)));
    if (process === sender) return Promise.reject(new CallingSelfError(String(target)));
    return new Promise((resolve, reject) => {
      const from = new From(sender?.pid, this.#nextCallId++);
      const call = new PendingCall(from, request, process, timeout, resolve, reject);
      const outcome = this.#deliver(process, K_CALL, call);
      if (outcome !== "ok") {
        reject(
          outcome === "noproc" ? new NoProcError(String(target)) : new OverloadedError(
            String(process.pid),
            outcome === "dropped" ? "dropped" : "refused",
          ),
        );
        return;
      }
      this.#calls.set(from.callId, call);
      process.inboundCalls.add(call);
      if (Number.isFinite(timeout)) {
        call.timer = this.#timerService.schedule(timeout, {
          kind: TimerKind.CallTimeout,
          call,
          deadline: 0,
        });
      }
    });
  }

  /** @internal cast/send from a process: same as outside (a sender changes nothing here). */
  deliverFrom(target: Target, info: boolean, message: unknown): Delivery {
    return this.#deliver(this.#resolve(target), info ? K_INFO : K_CAST, message);
  }

  /** @internal exit signal from a process (or outside). */
  exitFrom(sender: Process | undefined, pid: Pid, reason: ExitReason): void {
    if (!(pid instanceof Pid)) throw new TypeError("exit: pid must be a Pid");
    const process = this.#byPid.get(pid);
    if (!process) return;
    if (reason === "kill") {
      this.#die(process, "killed", undefined);
      return;
    }
    this.#signal(process, sender, reason, sender === process);
  }

  /** @internal link two processes. */
  link(process: Process, pid: Pid): void {
    if (!(pid instanceof Pid)) throw new TypeError("link: pid must be a Pid");
    if (pid === process.pid) return;
    const other = this.#byPid.get(pid);
    if (!other || other.life === Life.Dead) {
      // OTP: linking to a dead process sends the linker an exit signal noproc.
      this.#signal(process, undefined, "noproc", false, pid);
      return;
    }
    process.links.add(other);
    other.links.add(process);
  }

  /** @internal unlink two processes. */
  unlink(process: Process, pid: Pid): void {
    const other = this.#byPid.get(pid);
    if (!other) return;
    process.links.delete(other);
    other.links.delete(process);
  }

  readonly #externalMonitors = new Map<Ref, Process>();

  /** @internal monitor `target` for a process or a callback. */
  monitorFrom(watcher: DownWatcher, target: Target): Ref {
    const ref = new Ref(this.#nextRef++);
    const process = this.#resolve(target);
    if (!process || process.life === Life.Dead) {
      const pid = process?.pid ?? (target instanceof Pid ? target : new Pid(0));
      this.#notifyDown(watcher, ref, pid, "noproc");
      return ref;
    }
    process.monitoredBy.set(ref, watcher);
    if (watcher.kind === "process") watcher.process.monitoring.set(ref, process);
    else this.#externalMonitors.set(ref, process);
    return ref;
  }

  /** @internal demonitor for a process (or outside). */
  demonitorFrom(owner: Process | undefined, ref: Ref, flush: boolean): boolean {
    const target = owner ? owner.monitoring.get(ref) : this.#externalMonitors.get(ref);
    if (owner && flush) {
      const queued = owner.queuedDowns.get(ref);
      if (queued) queued.flushed = true;
    }
    if (!target) return false;
    target.monitoredBy.delete(ref);
    if (owner) owner.monitoring.delete(ref);
    else this.#externalMonitors.delete(ref);
    return true;
  }

  // ---------------------------------------------------------------- delivery

  #resolve(target: Target): Process | undefined {
    if (target instanceof Pid) return this.#byPid.get(target);
    if (typeof target === "string") return this.#names.get(target);
    throw new TypeError(`expected a Pid or a registered name, got ${describe(target)}`);
  }

  #resolveOrThrow(target: Target): Process {
    const process = this.#resolve(target);
    if (!process) throw new NoProcError(String(target));
    return process;
  }

  /** Queues one envelope: the hot path of cast, send and call. */
  #deliver(process: Process | undefined, kind: number, payload: unknown): Delivery {
    if (process === undefined || process.life >= Life.Exiting) return "noproc";
    if (!this.#scheduled && !this.#running) this.#wakeUp();
    const result = this.core.enqueue(process.coreId);
    if (result < 0) {
      return result === CoreCode.Full
        ? "overloaded"
        : result === CoreCode.Dropped
        ? "dropped"
        : "noproc";
    }
    this.#store(process, result, kind, payload);
    return "ok";
  }

  /** Runtime messages (init, stop, DOWN, EXIT, timeouts) must not be lost to a bound. */
  #deliverSystem(process: Process, kind: number, payload: unknown): void {
    if (!this.#scheduled && !this.#running) this.#wakeUp();
    const result = this.core.enqueue(process.coreId);
    if (result < 0) {
      if (result === CoreCode.Stale) return;
      // The bounded mailbox is full (so the actor is runnable or busy): hold the
      // message back, due after everything queued before it.
      const dueAfter = process.taken + this.core.stat(process.coreId, Stat.Length);
      process.overflow.push({ kind, payload, dueAfter });
      return;
    }
    this.#store(process, result, kind, payload);
  }

  /** Puts an accepted envelope in the slot `enqueue` returned (after a DropOldest eviction, if any). */
  #store(process: Process, result: number, kind: number, payload: unknown): void {
    let slot = result;
    if (result & REUSED_SLOT) {
      slot = result & SLOT_MASK;
      this.#evicted(process, slot);
    }
    if (slot >= this.#kinds.length) this.#growSlots(slot);
    this.#payloads[slot] = payload;
    this.#kinds[slot] = kind;
  }

  /**
   * The first message after the system went idle: schedule a run, and let the
   * core clock catch up so the message's enqueue time (its age) is right.
   */
  #wakeUp(): void {
    this.#kick();
    this.#advance();
  }

  /** DropOldest evicted the envelope at `slot`: a call there fails as overloaded. */
  #evicted(process: Process, slot: number): void {
    const kind = this.#kinds[slot];
    const payload = this.#payloads[slot];
    // The ring lost its head without a dequeue: held-back messages are due one sooner.
    for (const held of process.overflow) held.dueAfter--;
    if (kind === K_CALL) {
      const call = payload as PendingCall;
      if (this.#calls.get(call.from.callId) === call) {
        this.#settleCall(call);
        call.reject(new OverloadedError(String(call.target.pid), "dropped"));
      }
    } else if (kind !== K_CAST && kind !== K_INFO) {
      // A runtime message was evicted: hold it back, due now (it was the oldest).
      process.overflow.unshift({ kind, payload, dueAfter: process.taken });
    }
  }

  #growSlots(slot: number): void {
    let size = this.#kinds.length;
    while (size <= slot) size *= 2;
    const kinds = new Uint8Array(size);
    kinds.set(this.#kinds);
    this.#kinds = kinds;
    // In place: the run loop holds this array across handlers that may grow it.
    const payloads = this.#payloads;
    for (let i = payloads.length; i < size; i++) payloads.push(undefined);
  }

  #settleCall(call: PendingCall): void {
    this.#calls.delete(call.from.callId);
    call.target.inboundCalls.delete(call);
    if (call.timer !== 0) this.#timerService.cancel(call.timer);
  }

  // ---------------------------------------------------------------- timers

  #now(): number {
    return this.#clock.now() - this.#origin;
  }

  /** Moves the core clock to now and runs what fired. */
  #advance(): void {
    this.#timerService.advance(this.#fireTimer);
  }

  readonly #fireTimer = (entry: TimerEntry) => this.#fire(entry);

  #fire(entry: TimerEntry): void {
    switch (entry.kind) {
      case TimerKind.Send: {
        const process = entry.process ?? (entry.name ? this.#names.get(entry.name) : undefined);
        if (process) this.#deliver(process, K_INFO, entry.message);
        return;
      }
      case TimerKind.CallTimeout: {
        const call = entry.call!;
        if (this.#calls.get(call.from.callId) !== call) return;
        call.timer = 0;
        this.#settleCall(call);
        call.reject(new CallTimeoutError(String(call.target.pid), call.request, call.timeout));
        return;
      }
      case TimerKind.Idle: {
        const process = entry.process!;
        if (process.handled === entry.message) this.#deliverSystem(process, K_TIMEOUT, undefined);
        return;
      }
      case TimerKind.Init: {
        const process = entry.process!;
        if (process.life !== Life.Starting) return;
        this.#die(process, "killed", undefined, "timeout");
        return;
      }
      case TimerKind.Stop: {
        const process = entry.process!;
        (entry.message as () => void)();
        if (process.life !== Life.Dead) this.#die(process, "killed", undefined);
        return;
      }
    }
  }

  // ---------------------------------------------------------------- the scheduler

  #kick(): void {
    if (this.#scheduled || this.#manual) return;
    this.#scheduled = true;
    queueMicrotask(this.#runFromMicrotask);
  }

  readonly #runFromMicrotask = () => this.#run(false);
  readonly #runFromMacrotask = () => {
    this.#burstStart = -1;
    this.#run(false);
  };

  #isIdle(): boolean {
    const core = this.core;
    return this.#inFlight === 0 &&
      core.runQueueLength(Priority.High) === 0 &&
      core.runQueueLength(Priority.Normal) === 0 &&
      core.runQueueLength(Priority.Low) === 0;
  }

  /** Drains the run queue for up to one time slice, then yields to the host. */
  #run(manual: boolean): void {
    this.#scheduled = false;
    if (this.#running) return;
    this.#running = true;
    try {
      const now = this.#clock.now();
      if (this.#burstStart < 0) this.#burstStart = now;
      this.#advance();
      const core = this.core;
      let runs = 0;
      for (let id = core.next(); id > 0; id = core.next()) {
        this.#runProcess(this.#byIndex[id & INDEX_MASK]!, id);
        if ((++runs & 15) === 0 || core.stat(id, Stat.Length) > 0) {
          this.#advance();
          if (!manual && this.#clock.now() - this.#burstStart > this.#timeSlice) {
            this.#scheduled = true;
            this.#burstStart = -1;
            hostYield(this.#runFromMacrotask);
            return;
          }
        }
      }
      this.#burstStart = -1;
    } finally {
      this.#running = false;
    }
    this.#timerService.arm();
    if (this.#isIdle()) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** One run of one process: up to the reduction budget of messages. */
  #runProcess(process: Process, id: number): void {
    const core = this.core;
    if (process.suspended) {
      core.release(id, 0, 1);
      return;
    }
    const budget = core.reductionBudget;
    const payloads = this.#payloads; // grown in place, never replaced
    const overflow = process.overflow;
    let handled = 0;
    while (handled < budget) {
      let kind: number;
      let payload: unknown;
      if (overflow.length > 0 && overflow[0].dueAfter <= process.taken) {
        ({ kind, payload } = overflow.shift()!);
      } else {
        const slot = core.dequeue(id);
        if (slot >= 0) {
          process.taken++;
          kind = this.#kinds[slot];
          payload = payloads[slot];
          payloads[slot] = undefined;
        } else if (overflow.length > 0) {
          ({ kind, payload } = overflow.shift()!); // the ring is empty: all of them are due
        } else {
          break;
        }
      }
      handled++;
      if (this.#handle(process, kind, payload)) {
        core.release(id, handled, 1);
        return;
      }
      if (process.life === Life.Dead) return;
      if (process.suspended) break;
      // Reductions bound the messages of a run; slow handlers also bound its time.
      if ((handled & 63) === 0 && this.#clock.now() - this.#burstStart > this.#timeSlice) break;
    }
    core.release(id, handled, process.suspended ? 1 : 0);
    if (overflow.length > 0) this.#rescheduleOverflow(process);
    if (process.hibernateWhenIdle) {
      process.hibernateWhenIdle = false;
      core.hibernate(id); // BadState (not idle) leaves the ring: it is in use again
    }
  }

  /**
   * Held-back runtime messages remain but the ring may be empty: the core
   * schedules an actor only on enqueue, so queue a no-op to get it run.
   */
  #rescheduleOverflow(process: Process): void {
    if (this.core.stat(process.coreId, Stat.Length) === 0) {
      this.#deliverSystem(process, K_NOOP, undefined);
    }
  }

  /**
   * Handles one envelope. Returns true when a callback Promise is now in
   * flight (the process is busy until it settles).
   */
  #handle(process: Process, kind: number, payload: unknown): boolean {
    switch (kind) {
      case K_CAST:
      case K_INFO:
        if (process.life !== Life.Alive) return false;
        return this.#invoke(process, kind, payload, undefined);
      case K_CALL: {
        const call = payload as PendingCall;
        if (process.life !== Life.Alive) return false;
        if (this.#calls.get(call.from.callId) !== call) return false; // timed out while queued
        return this.#invoke(process, K_CALL, call.request, call);
      }
      case K_INIT:
        return this.#init(process, payload);
      case K_STOP:
        if (process.life !== Life.Alive) return false;
        return this.#terminate(process, (payload as StopRequest).reason, undefined, undefined);
      case K_DOWN: {
        const down = payload as DownEnvelope;
        process.queuedDowns.delete(down.message.ref);
        if (down.flushed || process.life !== Life.Alive) return false;
        return this.#invoke(process, K_INFO, down.message, undefined);
      }
      case K_EXIT: {
        if (process.life !== Life.Alive) return false;
        const exit = payload as ExitMessage;
        // gen_server: an exit signal from the parent (the startLink caller)
        // ends a trapping server through terminate, with the parent's reason.
        if (process.parent !== undefined && exit.from === process.parent) {
          return this.#terminate(process, exit.reason, undefined, undefined);
        }
        return this.#invoke(process, K_INFO, payload, undefined);
      }
      case K_TIMEOUT:
        if (process.life !== Life.Alive) return false;
        if (this.core.stat(process.coreId, Stat.Length) > 0) return false;
        return this.#invoke(process, K_INFO, "timeout", undefined);
    }
    return false;
  }

  /**
   * Runs handleCast / handleInfo / handleCall. Sync results are applied at
   * once (the fast path: no Promise, no microtask, no closure); a Promise
   * marks the process busy until it settles.
   */
  #invoke(
    process: Process,
    kind: number,
    message: unknown,
    call: PendingCall | undefined,
  ): boolean {
    const server = process.server;
    const callback = kind === K_CAST ? "handleCast" : kind === K_INFO ? "handleInfo" : "handleCall";
    process.handled++;
    process.callback = callback;
    process.message = message;
    if (process.faultAt !== 0 && process.handled === process.faultAt) {
      const reason = process.faultReason ??
        new Error(`injected crash at message ${process.faultAt}`);
      this.#crash(process, callback, message, reason);
      return false;
    }
    let result: unknown;
    try {
      if (kind === K_CAST) {
        if (!server.handleCast) throw new TypeError("this server has no handleCast callback");
        result = server.handleCast(message, process.state, process.context);
      } else if (kind === K_INFO) {
        // Elixir's default handle_info drops what it does not expect.
        if (!server.handleInfo) return this.#done(process);
        result = server.handleInfo(message, process.state, process.context);
      } else {
        if (!server.handleCall) throw new TypeError("this server has no handleCall callback");
        result = server.handleCall(message, call!.from, process.state, process.context);
      }
    } catch (error) {
      this.#crash(process, callback, message, error);
      return false;
    }
    return this.#settle(process, callback, message, result, call);
  }

  /** A callback returned: apply its result now, or wait for its Promise. */
  #settle(
    process: Process,
    callback: string,
    message: unknown,
    result: unknown,
    call: PendingCall | undefined,
  ): boolean {
    if (process.life === Life.Dead) return false; // it killed itself (or was killed) meanwhile
    if (isPromise(result)) {
      this.#await(process, callback, message, result, call);
      return true;
    }
    return this.#apply(process, callback, message, result, call);
  }

  #done(process: Process): false {
    process.callback = undefined;
    process.message = undefined;
    return false;
  }

  #await(
    process: Process,
    callback: string,
    message: unknown,
    promise: PromiseLike<unknown>,
    call: PendingCall | undefined,
  ): void {
    this.#park(process, promise, (result) => {
      if (!this.#apply(process, callback, message, result, call)) this.#wake(process);
    }, (error) => this.#crash(process, callback, message, error));
  }

  /** A callback Promise is in flight: the process is busy until it settles (or dies). */
  #park(
    process: Process,
    promise: PromiseLike<unknown>,
    onValue: (value: unknown) => void,
    onError: (error: unknown) => void,
  ): void {
    process.busy = true;
    this.#inFlight++;
    promise.then(
      (value) => {
        if (this.#unpark(process)) onValue(value);
        this.#notifyIdle();
      },
      (error) => {
        if (this.#unpark(process)) onError(error);
        this.#notifyIdle();
      },
    );
  }

  /** Its Promise settled: false when the process died meanwhile (#finalize unparked it). */
  #unpark(process: Process): boolean {
    if (!process.busy) return false;
    process.busy = false;
    this.#inFlight--;
    return process.life !== Life.Dead;
  }

  #notifyIdle(): void {
    if (this.#manual || !this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** An async callback settled: the process may run again. */
  #wake(process: Process): void {
    if (process.life === Life.Dead) return;
    if (process.suspended || process.busy) return;
    if (this.core.stat(process.coreId, Stat.State) === ActorState.Blocked) {
      this.core.wake(process.coreId);
    }
    if (process.overflow.length > 0) this.#rescheduleOverflow(process);
    this.#kick();
    this.#notifyIdle();
  }

  /**
   * Applies a callback result. Returns true when a follow-up Promise
   * (handleContinue, terminate) is now in flight.
   */
  #apply(
    process: Process,
    callback: string,
    message: unknown,
    result: unknown,
    call: PendingCall | undefined,
  ): boolean {
    process.callback = undefined;
    process.message = undefined;
    if (typeof result !== "object" || result === null) {
      this.#crash(process, callback, message, new BadReturnValueError(callback, result));
      return false;
    }
    const r = result as {
      type?: unknown;
      state?: unknown;
      reply?: unknown;
      reason?: unknown;
      hasReply?: boolean;
      continue?: unknown;
      hibernate?: boolean;
      timeout?: number;
    };
    switch (r.type) {
      case "reply":
        if (callback !== "handleCall") break;
        process.state = r.state;
        if (call) this.reply(call.from, r.reply);
        return this.#afterResult(process, r);
      case "noreply":
        process.state = r.state;
        return this.#afterResult(process, r);
      case "stop":
        process.state = r.state;
        if (callback === "handleCall" && r.hasReply && call) this.reply(call.from, r.reply);
        return this.#terminate(process, r.reason, callback, message);
    }
    this.#crash(process, callback, message, new BadReturnValueError(callback, result));
    return false;
  }

  #afterResult(
    process: Process,
    r: { continue?: unknown; hibernate?: boolean; timeout?: number },
  ): boolean {
    if ("continue" in r && r.continue !== undefined) {
      const server = process.server;
      if (!server.handleContinue) {
        this.#crash(
          process,
          "handleContinue",
          r.continue,
          new TypeError("no handleContinue callback"),
        );
        return false;
      }
      const value = r.continue;
      process.callback = "handleContinue";
      process.message = value;
      let result: unknown;
      try {
        result = server.handleContinue(value, process.state, process.context);
      } catch (error) {
        this.#crash(process, "handleContinue", value, error);
        return false;
      }
      return this.#settle(process, "handleContinue", value, result, undefined);
    }
    if (r.timeout !== undefined && Number.isFinite(r.timeout) && r.timeout >= 0) {
      this.#timerService.schedule(r.timeout, {
        kind: TimerKind.Idle,
        process,
        message: process.handled,
        deadline: 0,
      });
    }
    if (r.hibernate) process.hibernateWhenIdle = true;
    return false;
  }

  // ---------------------------------------------------------------- init, exit, links

  #init(process: Process, arg: unknown): boolean {
    process.callback = "init";
    let result: unknown;
    try {
      result = process.server.init(arg, process.context);
    } catch (error) {
      this.#initFailed(process, error);
      return false;
    }
    if (isPromise(result)) {
      this.#park(process, result, (value) => {
        if (process.life === Life.Starting && !this.#initResult(process, value)) {
          this.#wake(process);
        }
      }, (error) => {
        if (process.life === Life.Starting) this.#initFailed(process, error);
      });
      return true;
    }
    return this.#initResult(process, result);
  }

  #initResult(process: Process, result: unknown): boolean {
    process.callback = undefined;
    const r = result as { type?: unknown; state?: unknown; reason?: unknown } | null;
    if (typeof r !== "object" || r === null) {
      this.#initFailed(process, new BadReturnValueError("init", result));
      return false;
    }
    if (r.type === "ignore") {
      const resolve = process.startResolve!;
      this.#cleanStart(process, "normal");
      resolve(undefined);
      return false;
    }
    if (r.type === "stop") {
      // A deliberate refusal: the start caller gets the reason, no crash report.
      this.#initFailed(process, r.reason, false);
      return false;
    }
    if (r.type !== "ok") {
      this.#initFailed(process, new BadReturnValueError("init", result));
      return false;
    }
    process.state = r.state;
    process.life = Life.Alive;
    if (process.initTimer !== 0) this.#timerService.cancel(process.initTimer);
    process.initTimer = 0;
    const resolve = process.startResolve!;
    process.startResolve = undefined;
    process.startReject = undefined;
    resolve(process.pid);
    return this.#afterResult(process, r as { continue?: unknown });
  }

  /** init failed: the start rejects, the process leaves nothing behind and signals no link. */
  /** A crash (throw, rejection, bad value) is reported, unless its reason is clean. */
  #initFailed(process: Process, reason: unknown, report = true): void {
    const reject = process.startReject!;
    if (report && !isCleanExit(reason)) this.#report(process, "init", undefined, reason);
    this.#cleanStart(process, reason);
    reject(new ExitError(String(process.pid), reason, "failed to start"));
  }

  #cleanStart(process: Process, reason: ExitReason): void {
    process.startResolve = undefined;
    process.startReject = undefined;
    // A failed start is not a crash of the parent: unlink before exiting (OTP's init_fail).
    for (const other of process.links) other.links.delete(process);
    process.links.clear();
    this.#finalize(process, reason);
  }

  /** Stops by a result or a stop request: terminate(reason), then exit. */
  #terminate(
    process: Process,
    reason: ExitReason,
    callback: string | undefined,
    message: unknown,
  ): boolean {
    if (process.life !== Life.Alive) return false;
    process.life = Life.Exiting;
    const terminate = process.server.terminate;
    if (terminate) {
      process.callback = "terminate";
      let result: unknown;
      try {
        result = terminate.call(process.server, reason, process.state, process.context);
      } catch (error) {
        // A terminate that throws replaces the reason, as in OTP.
        this.#exitWith(process, error, "terminate", message);
        return false;
      }
      if (isPromise(result)) {
        this.#park(
          process,
          result,
          () => this.#exitWith(process, reason, callback, message),
          (error) => this.#exitWith(process, error, "terminate", message),
        );
        return true;
      }
    }
    this.#exitWith(process, reason, callback, message);
    return false;
  }

  /** A callback threw or returned a bad value: terminate with that reason. */
  #crash(process: Process, callback: string, message: unknown, reason: unknown): void {
    process.callback = callback;
    process.message = message;
    if (process.life === Life.Starting) {
      this.#initFailed(process, reason);
      return;
    }
    if (process.life !== Life.Alive) {
      this.#exitWith(process, reason, callback, message);
      return;
    }
    this.#terminate(process, reason, callback, message);
  }

  #exitWith(
    process: Process,
    reason: ExitReason,
    callback: string | undefined,
    message: unknown,
  ): void {
    if (!isCleanExit(reason) && reason !== "killed") {
      this.#report(process, callback ?? process.callback, message ?? process.message, reason);
    }
    this.#finalize(process, reason);
  }

  /** Dies at once, without terminate (exit signals, kill). */
  #die(
    process: Process,
    reason: ExitReason,
    _from: Process | undefined,
    startError?: ExitReason,
  ): void {
    if (process.life === Life.Dead) return;
    if (process.life === Life.Starting && process.startReject) {
      const reject = process.startReject;
      this.#cleanStart(process, reason);
      reject(new ExitError(String(process.pid), startError ?? reason, "failed to start"));
      return;
    }
    this.#finalize(process, reason);
  }

  #report(process: Process, callback: string | undefined, message: unknown, reason: unknown): void {
    if (!this.#logger) return;
    const report: Report = {
      kind: "crash",
      pid: process.pid,
      name: process.name,
      reason,
      callback,
      message,
      stack: reason instanceof Error ? reason.stack : undefined,
    };
    try {
      this.#logger.report(report);
    } catch {
      // A logger that throws must not take the runtime down with it.
    }
  }

  /** Removes every trace of a process and tells its links, monitors and waiters. */
  #finalize(process: Process, reason: ExitReason): void {
    if (process.life === Life.Dead) return;
    process.life = Life.Dead;
    process.exitReason = reason;
    this.#unpark(process); // a callback Promise still pending will be ignored
    process.state = undefined;
    const core = this.core;
    const id = process.coreId;
    for (let slot = core.dequeue(id); slot >= 0; slot = core.dequeue(id)) {
      this.#payloads[slot] = undefined;
    }
    core.free(id);
    this.#byIndex[id & INDEX_MASK] = undefined;
    this.#byPid.delete(process.pid);
    if (process.name !== undefined && this.#names.get(process.name) === process) {
      this.#names.delete(process.name);
    }
    process.overflow.length = 0;
    for (const timer of [...process.timers]) this.#timerService.cancel(timer);
    for (const call of [...process.inboundCalls]) {
      this.#settleCall(call);
      call.reject(
        reason === "noproc"
          ? new NoProcError(String(process.pid))
          : new ExitError(String(process.pid), reason),
      );
    }
    // Links first, then monitors, as the BEAM sends them.
    const linkReason = reason === "kill" ? "killed" : reason;
    const links = [...process.links];
    process.links.clear();
    for (const other of links) {
      other.links.delete(process);
      this.#signal(other, process, linkReason, false);
    }
    for (const [ref, target] of process.monitoring) target.monitoredBy.delete(ref);
    process.monitoring.clear();
    for (const [ref, watcher] of process.monitoredBy) {
      if (watcher.kind === "callback") this.#externalMonitors.delete(ref);
      else watcher.process.monitoring.delete(ref);
      this.#notifyDown(watcher, ref, process.pid, reason);
    }
    process.monitoredBy.clear();
    const waiters = process.exitWaiters.splice(0);
    for (const waiter of waiters) waiter(reason);
    process.queuedDowns.clear();
  }

  /** An exit signal reaches `process` (from a link or `exit`). */
  #signal(
    process: Process,
    from: Process | undefined,
    reason: ExitReason,
    fromSelf: boolean,
    fromPid?: Pid,
  ): void {
    if (process.life === Life.Dead) return;
    if (process.trapExit && reason !== "kill") {
      this.#deliverSystem(process, K_EXIT, new ExitMessage(from?.pid ?? fromPid, reason));
      return;
    }
    if (reason === "normal" && !fromSelf) return;
    this.#die(process, reason === "kill" ? "killed" : reason, from);
  }

  #notifyDown(watcher: DownWatcher, ref: Ref, pid: Pid, reason: ExitReason): void {
    if (watcher.kind === "callback") {
      const onDown = watcher.onDown;
      queueMicrotask(() => onDown(reason));
      return;
    }
    if (watcher.process.life === Life.Dead) return;
    const down: DownEnvelope = { message: new DownMessage(ref, pid, reason), flushed: false };
    watcher.process.queuedDowns.set(ref, down);
    this.#deliverSystem(watcher.process, K_DOWN, down);
  }

  #statusOf(process: Process): ProcessStatus {
    if (process.life === Life.Exiting) return "exiting";
    if (process.suspended) return "suspended";
    if (process.busy) return "running";
    const state = this.core.stat(process.coreId, Stat.State);
    if (state === ActorState.Running) return "running";
    if (state === ActorState.Runnable) return "runnable";
    return "waiting";
  }
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return `${typeof value} ${String(value)}`;
}
