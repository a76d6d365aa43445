/**
 * The system: a scheduler, a process table, and the client API of GenServers.
 *
 * @module
 */

import { ActorState, type Core, MAX_ACTORS, Priority, Stat } from "./core/core.ts";
import { chooseCore } from "./core/create_core.ts";
import { performanceClock } from "./clock.ts";
import { ExitError, NoProcError } from "./errors.ts";
import type { ExitReason } from "./exit_reason.ts";
import type { From } from "./from.ts";
import type { GenServer } from "./gen_server.ts";
import { consoleLogger, type Logger, type Report } from "./logger.ts";
import { type Pid, Ref } from "./pid.ts";
import type { Name } from "./name.ts";
import { provideRuntimeAccess } from "./_runtime_access.ts";
import { checkNodeId, freshNodeId } from "./_node_id.ts";
import { Life } from "./kernel/state/process.ts";
import {
  type ProcessInfo,
  processInfoOf,
  type ProcessStatus,
  type ProcessSummary,
  processSummaryOf,
} from "./process_info.ts";
import {
  type CallOptions,
  type Delivery,
  MAX_TIMEOUT_MS,
  type RemoteResolver,
  type StartOptions,
  type SystemOptions,
  type Target,
  type ViaName,
} from "./options.ts";
import { checkDelay, checkOptionsObject, checkTracer, timeoutOf } from "./_options.ts";
import { describeValue } from "./_inspect.ts";
import type { SchedulerStats } from "./scheduler_stats.ts";
import type { MonitorStats } from "./monitor_stats.ts";
import { monitorStatsOf } from "./kernel/probes/monitor_stats_of.ts";
import { monitorSettings } from "./_monitor_settings.ts";
import { installMonitor, stopMonitor } from "./kernel/probes/monitor_install.ts";
import { processWork } from "./kernel/probes/monitor_stretches.ts";
import { K_STOP, type StopRequest } from "./kernel/state/envelopes.ts";
import { TimerKind } from "./kernel/state/timers.ts";
import { isLocalRef, lookup, type Runtime } from "./kernel/state/runtime.ts";
import { stopRoots } from "./_stop_roots.ts";
import { createKernel } from "./kernel/kernel.ts";
import { ProcessContext } from "./_process_context.ts";
import { genServerBehaviour } from "./_gen_server_behaviour.ts";
import type { Behaviour } from "./kernel/state/behaviour.ts";
import { Telemetry } from "./telemetry/telemetry.ts";
import { sendReport, traceSend } from "./kernel/probes/instrument.ts";
import { callFrom, replyTo } from "./kernel/calls/calls.ts";
import {
  deliverFrom,
  deliverSystem,
  deliverUrgent,
  isPid,
  isRef,
  isViaName,
  resolve,
  resolveOrThrow,
  targetName,
} from "./kernel/mailbox/delivery.ts";
import { die, exitFrom } from "./kernel/lifecycle/exit.ts";
import { hasRunnable, isIdle, kick, run, statusOf } from "./kernel/scheduler/scheduler.ts";
import { demonitorFrom, monitorFrom } from "./kernel/lifecycle/signals.ts";
import { startFrom } from "./kernel/lifecycle/start.ts";
import {
  MAX_SYSTEM_SCHEDULERS,
  planSchedulers,
  type SchedulersPlan,
  workerOptions,
} from "./_schedulers_plan.ts";
import { takeSchedulerSetup } from "./schedulers/_scheduler_setup.ts";
import type { SystemSchedulers } from "./schedulers/_system_schedulers.ts";
import type { SystemCluster } from "./cluster/_system_cluster.ts";
import { clusterSettings, type ClusterSettingsOf } from "./cluster/_cluster_settings.ts";
import { attachSchedulerLoad } from "./schedulers/_scheduler_load.ts";
import type { SchedulerInfo } from "./schedulers/scheduler_info.ts";
import { hostCoresAsync } from "./_host.ts";

// The client API's option types live in options.ts; importers of the system get them here too.
/** Default `maxQueuedMessages`: 2^24 messages queued at once across all mailboxes. */
const DEFAULT_MAX_QUEUED = 2 ** 24;
/** Largest `maxQueuedMessages`: 2^26, which keeps the payload table within one JavaScript array on every runtime. */
const MAX_QUEUED = 2 ** 26;

export type {
  CallOptions,
  Delivery,
  MailboxPort,
  OverflowPolicy,
  RemoteResolver,
  StartOptions,
  SystemOptions,
  Target,
  ViaName,
  ViaRegistry,
} from "./options.ts";

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
  readonly #rt: Runtime;
  /** Its other schedulers' end here (`SystemOptions.schedulers`), once built; undefined with one. */
  #schedulers: SystemSchedulers | undefined = undefined;
  /** Its cluster (`SystemOptions.cluster`), once connected. */
  #cluster: SystemCluster | undefined = undefined;
  /** `shutdown` ran: a cluster still joining leaves as soon as it has joined. */
  #left = false;

  /**
   * Where the runtime executes its telemetry events (`:telemetry`'s model):
   * attach handlers by event name. Supervisors emit
   * `["beamlet", "supervisor", "child", "start" | "exit" | "restart" | "restart_failed"]`
   * and `["beamlet", "supervisor", "intensity_exceeded"]`, each with
   * `{ count: 1 }` and metadata `{ supervisor, childId, childPid, reason? }`.
   */
  readonly telemetry: Telemetry = new Telemetry();

  /**
   * This system's node id: every pid and ref it makes carries it
   * (`SystemOptions.node`, or a short random id unique in this JavaScript
   * process).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * console.log(new System({ node: "cart" }).node); // "cart"
   * ```
   */
  get node(): string {
    return this.#rt.node;
  }

  /** The scheduler core (for introspection; its integers are the runtime's). */
  get core(): Core {
    return this.#rt.core;
  }

  /** Creates a system; it runs itself on the host's event loop unless `scheduling: "manual"`. */
  constructor(options: SystemOptions = {}) {
    checkOptionsObject("System: options", options);
    const budget = options.reductionBudget ?? 2000;
    if (
      typeof budget !== "number" || !Number.isInteger(budget) || budget < 1 || budget > 0x7fff_ffff
    ) {
      throw new RangeError(
        `System: reductionBudget must be an integer in 1..${0x7fff_ffff}, got ${
          describeValue(budget)
        }`,
      );
    }
    const maxQueued = options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED;
    if (
      typeof maxQueued !== "number" || !Number.isInteger(maxQueued) || maxQueued < 1 ||
      maxQueued > MAX_QUEUED
    ) {
      throw new RangeError(
        `System: maxQueuedMessages must be an integer in 1..${MAX_QUEUED}, got ${
          describeValue(maxQueued)
        }`,
      );
    }
    const maxProcesses = options.maxProcesses ?? MAX_ACTORS;
    if (
      typeof maxProcesses !== "number" || !Number.isInteger(maxProcesses) || maxProcesses < 1 ||
      maxProcesses > MAX_ACTORS
    ) {
      throw new RangeError(
        `System: maxProcesses must be an integer in 1..${MAX_ACTORS}, got ${
          describeValue(maxProcesses)
        }`,
      );
    }
    const clock = options.clock ?? performanceClock;
    if (typeof clock !== "object" || clock === null || typeof clock.now !== "function") {
      throw new TypeError("System: clock must be an object with a now() method");
    }
    const slice = options.timeSliceMs ?? 5;
    if (typeof slice !== "number" || !(slice > 0 && slice <= MAX_TIMEOUT_MS)) {
      throw new RangeError(
        `System: timeSliceMs must be a number of ms in (0, ${MAX_TIMEOUT_MS}], got ${
          describeValue(slice)
        }`,
      );
    }
    const logger0 = options.logger === undefined ? consoleLogger : options.logger;
    const plan = planSchedulers(options, takeSchedulerSetup(), logger0);
    // Every number is checked before the core takes memory for it.
    const { core, fallback } = chooseCore({
      implementation: plan === undefined ? options.core : "wasm",
      memory: plan?.memory,
      module: options.wasmModule,
      reductionBudget: budget,
      slotLimit: maxQueued,
      actorLimit: maxProcesses,
    }, "System");
    const scheduling = options.scheduling ?? "auto";
    if (scheduling !== "auto" && scheduling !== "manual") {
      throw new TypeError(
        `System: scheduling must be "auto" or "manual", got ${String(scheduling)}`,
      );
    }
    const logger = options.logger === undefined ? consoleLogger : options.logger;
    if (logger !== null && (typeof logger !== "object" || typeof logger.report !== "function")) {
      throw new TypeError("System: logger must be an object with a report() method, or null");
    }
    if (fallback !== undefined && logger !== null) noticeFallback(logger, fallback);
    const tracer = options.tracer;
    if (tracer !== undefined) checkTracer(tracer);
    const node = options.node === undefined
      ? freshNodeId()
      : checkNodeId("System: node", options.node);
    const userRemote = options.remote;
    if (userRemote !== undefined && typeof userRemote !== "function") {
      throw new TypeError("System: remote must be a function (pid) => MailboxPort | undefined");
    }
    const cluster = options.cluster === undefined ? undefined : clusterSettings(options.cluster);
    if (cluster !== undefined && plan !== undefined) {
      throw new TypeError(
        "System: a system in a cluster runs one scheduler (cluster with schedulers > 1 is not supported yet)",
      );
    }
    // Pids of this node on another scheduler go to the fabric; of another
    // node, to the cluster; the rest to the user's seam.
    const remote: RemoteResolver | undefined = plan !== undefined
      ? (pid) => pid.node === node ? this.#schedulers?.portFor(pid) : userRemote?.(pid)
      : cluster !== undefined
      ? (pid) => this.#cluster?.portFor(pid) ?? userRemote?.(pid)
      : userRemote;
    const monitor = monitorSettings(options.monitor);
    this.#rt = createKernel({
      node,
      scheduler: plan?.index ?? 0,
      remote,
      core,
      clock,
      logger,
      timeSlice: slice,
      manual: scheduling === "manual",
      telemetry: this.telemetry,
      tracer,
      newContext: (rt, process) => new ProcessContext(rt, process, this),
    });
    if (monitor !== undefined) installMonitor(this.#rt, monitor);
    attachSchedulerLoad(this, this.#rt.scheduler);
    if (cluster !== undefined) {
      const joining = this.#joinCluster(cluster.settings, cluster.connection);
      joining.catch(() => {}); // its rejection is for whoever awaits `ready`, never unhandled
      this.ready = joining;
    } else {
      this.ready = plan === undefined
        ? Promise.resolve()
        : this.#startSchedulers(plan, options, logger);
    }
  }

  /** Joins the cluster (NATS and the node fabric are imported only now). */
  async #joinCluster(
    settings: ClusterSettingsOf,
    connection: object | undefined,
  ): Promise<void> {
    const rt = this.#rt;
    const { joinCluster } = await import("./cluster/_start.ts");
    if (this.#left) return;
    const cluster = await joinCluster({
      system: this,
      rt,
      settings,
      connection,
      telemetry: this.telemetry,
      processCount: () => rt.bySerial.size,
      call: (pid, request, timeout, caller) =>
        callFrom(rt, undefined, pid, request, { timeout }, caller),
      stop: (pid, reason, timeout) => this.stop(pid, reason, timeout),
      adopt: (built) => this.#cluster = built,
    });
    if (this.#left) await cluster.leave();
  }

  /** Brings the other schedulers up (the fabric is imported only now). */
  async #startSchedulers(
    plan: SchedulersPlan,
    options: SystemOptions,
    logger: Logger | null,
  ): Promise<void> {
    const rt = this.#rt;
    // Until the schedulers are up, a start placed elsewhere waits for them.
    let up!: () => void;
    const waiting = new Promise<void>((resolve) => up = resolve);
    rt.spawner = (parent, link, definition, behaviourOf, arg, startOptions) =>
      waiting.then(() => startFrom(rt, parent, link, definition, behaviourOf, arg, startOptions));
    try {
      const { startSchedulers } = await import("./schedulers/_start.ts");
      let count = plan.count;
      if (count === "auto") count = Math.min(await hostCoresAsync(), MAX_SYSTEM_SCHEDULERS);
      const schedulers = await startSchedulers({
        system: this,
        rt,
        index: plan.index,
        count,
        memory: plan.memory,
        control: plan.control,
        modules: plan.modules,
        options: workerOptions(options),
        call: (pid, request, timeout, caller) =>
          callFrom(rt, undefined, pid, request, { timeout }, caller),
        adopt: (built) => this.#schedulers = built,
      });
      if (logger !== null) {
        for (const info of schedulers.info()) {
          if (info.error === undefined) continue;
          logger.report({ kind: "notice", topic: "schedulers", message: info.error.message });
        }
      }
    } catch (error) {
      rt.spawner = undefined;
      logger?.report({
        kind: "notice",
        topic: "schedulers",
        message: `schedulers: running 1: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      up();
    }
  }

  /**
   * Resolves when every scheduler this system asked for
   * (`SystemOptions.schedulers`) has started or failed to: place processes
   * on other schedulers after it. A scheduler that failed does not reject
   * it (it is reported and listed by {@linkcode System.schedulers}); at
   * once for a system of one scheduler. For a system in a cluster
   * (`SystemOptions.cluster`), it resolves once the node has joined, and
   * rejects with `ClusterConnectError` or `NodeNameTakenError` when it
   * cannot (the system then runs on its own).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * await system.ready;
   * console.log(system.schedulers().length); // 1
   * ```
   */
  readonly ready: Promise<void>;

  /**
   * Which schedulers this system has and how they fare: index, status,
   * processes, CPU tasks, and the error of one that failed or died.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * console.log(system.schedulers()); // [{ index: 0, status: "running", processes: 0, tasks: 0 }]
   * ```
   */
  schedulers(): SchedulerInfo[] {
    const schedulers = this.#schedulers;
    if (schedulers !== undefined) return schedulers.info();
    return [{
      index: this.#rt.scheduler,
      status: "running",
      processes: this.#rt.bySerial.size,
      tasks: 0,
    }];
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
  start<S, A, Req = unknown, Rep = unknown, C = unknown, I = unknown>(
    server: GenServer<S, A, Req, Rep, C, I>,
    arg?: A,
    options: StartOptions & {
      readonly name?: Name<NoInfer<Req>, NoInfer<Rep>, NoInfer<C>> | ViaName;
    } = {},
  ): Promise<Pid<Req, Rep, C>> {
    return startFrom(
      this.#rt,
      undefined,
      false,
      server,
      genServerBehaviour as (server: unknown) => Behaviour,
      arg,
      options,
    ) as Promise<Pid<Req, Rep, C>>;
  }

  /**
   * Starts a process that runs `behaviour` (see {@linkcode Behaviour}): the
   * port the kernel runs every process through, GenServers included. It
   * resolves, rejects and registers names exactly as {@linkcode System.start}.
   * A behaviour missing one of the port's methods is a `TypeError`.
   *
   * @example
   * ```ts
   * import { type Behaviour, noreply, ok, System } from "@beamlet/beamlet";
   *
   * const names = { init: "init", call: "handle", cast: "handle", info: "handle", continue: "handle", timeout: "handle", terminate: "terminate" };
   * const sink: Behaviour = {
   *   callbackNames: names,
   *   init: () => ok(null),
   *   handles: () => true,
   *   handle: (_kind, _message, _from, state) => noreply(state),
   *   terminates: () => false,
   *   terminate: () => undefined,
   *   formatState: () => "sink",
   * };
   * const system = new System();
   * const pid = await system.startBehaviour(sink, undefined, { name: "sink" });
   * console.log(system.formatState(pid)); // "sink"
   * ```
   */
  startBehaviour(behaviour: Behaviour, arg?: unknown, options: StartOptions = {}): Promise<Pid> {
    return startFrom(
      this.#rt,
      undefined,
      false,
      behaviour,
      checkBehaviour,
      arg,
      options,
    ) as Promise<
      Pid
    >;
  }

  /**
   * What a live process's behaviour shows of its state for introspection
   * (a GenServer: what its `formatStatus` returns, else its state as it
   * is), or `undefined` when it is not alive or has not finished `init`. A
   * `formatStatus` that throws throws here; `formatState` of
   * `@beamlet/beamlet/introspection` gives a bounded preview that never does.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok({ hits: 3 }) });
   * console.log(system.formatState(pid)); // { hits: 3 }
   * ```
   */
  formatState(target: Target): unknown {
    const process = resolve(this.#rt, target);
    if (process === undefined || process.life !== Life.Alive) return undefined;
    return process.behaviour.formatState(process.state);
  }

  /**
   * Calls `target` and resolves with its reply. Rejects with
   * {@linkcode NoProcError} at once if there is no such process,
   * {@linkcode OverloadedError} at once if its bounded mailbox refuses the
   * request, {@linkcode SystemLimitError} at once if the system has no room
   * for another queued message, {@linkcode CallingSelfError} at once when
   * made (synchronously) from a callback of `target` itself,
   * {@linkcode ExitError} if it exits before replying, and
   * {@linkcode CallTimeoutError} after `timeout` ms (default 5000; a number
   * in `0..MAX_TIMEOUT_MS` or `Infinity`, else a `TypeError` / `RangeError`
   * and nothing is sent) — a reply that arrives later is dropped — and
   * {@linkcode CallAbortedError} when `signal` aborts (at once, with nothing
   * sent, if it already has; anything but an `AbortSignal` is a
   * `TypeError`). The deadline travels with the request: the server's
   * `ctx.signal` aborts when the caller stops waiting. A request whose
   * caller gave up while it was still queued is skipped by the server
   * (never handled) — or handled with its reply dropped when the server was
   * started with `expiredCalls: "handle"` — counted in
   * `schedulerStats().expiredCalls` and executed as `beamlet.call.expired`.
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
   *
   * @example Giving up when the client does
   * ```ts
   * import { CallAbortedError, ok, reply, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({
   *   init: () => ok(null),
   *   handleCall: (request: string, _from, state: null) => reply(request, state),
   * });
   * const request = new Request("http://localhost/");
   * try {
   *   console.log(await system.call(pid, "page", { signal: request.signal, timeout: 2000 }));
   * } catch (error) {
   *   if (error instanceof CallAbortedError) console.log("the client went away");
   * }
   * ```
   */
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
    return callFrom(this.#rt, undefined, target, request, options) as Promise<
      [R] extends [never] ? (T extends Pid<unknown, infer Reply, unknown> ? Reply
          : T extends Name<unknown, infer Reply, unknown> ? Reply
          : unknown)
        : R
    >;
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
  cast<T extends Target>(
    target: T,
    request: T extends Pid<unknown, unknown, infer Cast> ? Cast
      : T extends Name<unknown, unknown, infer Cast> ? Cast
      : unknown,
  ): Delivery {
    return deliverFrom(this.#rt, target, false, request);
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
    return deliverFrom(this.#rt, target, true, message);
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
    const delay = checkDelay("sendAfter", ms);
    if (!isPid(target) && typeof target !== "string" && !isViaName(target)) {
      throw new TypeError(
        `sendAfter: expected a Pid, a registered name or { via, key }, got ${
          describeValue(target)
        }`,
      );
    }
    const process = isPid(target) ? lookup(this.#rt, target) : undefined;
    const ref = new Ref(this.#rt.nextRef++, this.#rt.node);
    if (isPid(target) && process === undefined) return ref; // dead pid: nothing to deliver
    const name = typeof target === "string" ? target : undefined;
    // With a tracer, the token is taken now, in the context that set the timer.
    const tracer = this.#rt.probes.tracer;
    const now = process ?? (name === undefined ? undefined : this.#rt.names.get(name));
    this.#rt.timerService.schedule(delay, {
      kind: TimerKind.Send,
      process,
      name,
      message,
      ref,
      deadline: 0,
      trace: tracer !== undefined && now !== undefined
        ? traceSend(this.#rt, "info", now)
        : undefined,
    });
    return ref;
  }

  /**
   * Calls `callback` after `ms` milliseconds of the system's clock (so a
   * manual clock in tests drives it like every other timer). Cancel it with
   * `cancelTimer`. A callback that throws is reported through the logger (a
   * `"callback"` report); the system goes on.
   *
   * @example Waiting on the system clock
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * await new Promise<void>((resolve) => system.setTimer(10, resolve));
   * ```
   */
  setTimer(ms: number, callback: () => void): Ref {
    const delay = checkDelay("setTimer", ms);
    if (typeof callback !== "function") {
      throw new TypeError("setTimer: callback must be a function");
    }
    const ref = new Ref(this.#rt.nextRef++, this.#rt.node);
    this.#rt.timerService.schedule(delay, {
      kind: TimerKind.Callback,
      message: callback,
      ref,
      deadline: 0,
    });
    return ref;
  }

  /**
   * Cancels a `sendAfter` or `setTimer`: the milliseconds it had left, or
   * `false` when it already fired or was cancelled.
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
    if (!isRef(ref) || !isLocalRef(this.#rt, ref)) return false; // not a timer of this system
    const entry = this.#rt.timerService.cancelRef(ref);
    return entry ? Math.max(0, entry.deadline - this.#rt.now()) : false;
  }

  /**
   * Replies to a caller that `handleCall` left waiting. Does nothing if the
   * caller already has its reply or gave up (timeout): a late reply is
   * dropped, never delivered anywhere.
   *
   * @example See {@linkcode From}.
   */
  reply<R>(from: From<R>, value: R): void {
    replyTo(this.#rt, from, value);
  }

  /**
   * Stops `target` with `reason` (default `"normal"`): it finishes the
   * message it is handling, runs `terminate(reason)`, and exits. Resolves
   * when it has exited; rejects with {@linkcode NoProcError} if there is no
   * such process, and with an {@linkcode ExitError} (reason `"timeout"`) if
   * it has not exited within `timeout` ms — it is then killed. A suspended
   * process still handles a stop (as OTP's system messages).
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
  stop(target: Target, reason: ExitReason = "normal", timeout: number = Infinity): Promise<void> {
    let process;
    let limit: number;
    try {
      limit = timeoutOf("stop: timeout", timeout, Infinity);
      process = resolve(this.#rt, target);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!process) {
      // A pid of another node of this system's cluster: stopped there.
      const cluster = this.#cluster;
      if (cluster !== undefined && isPid(target) && target.node !== this.#rt.node) {
        return cluster.stop(target, reason, limit);
      }
      return Promise.reject(new NoProcError(targetName(target)));
    }
    const found = process;
    return new Promise<void>((resolve, reject) => {
      let timer = 0;
      let timedOut = false;
      (found.exitWaiters ??= []).push((exitReason) => {
        if (timer !== 0) this.#rt.timerService.cancel(timer);
        if (timedOut) reject(new ExitError(String(found.pid), "timeout", "did not stop in time"));
        else if (Object.is(exitReason, reason)) resolve();
        else reject(new ExitError(String(found.pid), exitReason));
      });
      if (limit !== Infinity) {
        try {
          timer = this.#rt.timerService.schedule(limit, {
            kind: TimerKind.Stop,
            process: found,
            message: () => {
              timer = 0;
              timedOut = true;
            },
            deadline: 0,
          });
        } catch (error) {
          found.exitWaiters?.pop();
          reject(error); // the timer table is full: nothing was sent
          return;
        }
      }
      if (found.life === Life.Exiting) return;
      const request: StopRequest = { reason };
      // A suspended process still handles a stop, as OTP's system messages.
      if (found.suspended) deliverUrgent(this.#rt, found, K_STOP, request);
      else deliverSystem(this.#rt, found, K_STOP, request);
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
    exitFrom(this.#rt, undefined, pid, reason);
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
  monitor(target: Target, onDown: (reason: ExitReason, ref: Ref, pid: Pid) => void): Ref {
    return monitorFrom(this.#rt, undefined, onDown, target);
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
    return demonitorFrom(this.#rt, undefined, ref, false);
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
    const process = resolve(this.#rt, target);
    if (!process) return Promise.resolve("noproc");
    return new Promise((resolve) => (process.exitWaiters ??= []).push(resolve));
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
    return this.#rt.names.get(name)?.pid ?? this.#rt.directory?.whereis(name);
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
    if (!isPid(pid)) return false;
    const process = lookup(this.#rt, pid);
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
    const process = resolveOrThrow(this.#rt, target);
    if (process.suspended) return;
    process.suspended = true;
    // Waiting or Runnable actors are parked at their next run (see runProcess in kernel/scheduler/scheduler.ts).
  }

  /** Resumes a suspended process. See {@linkcode System.suspend}. */
  resume(target: Target): void {
    const process = resolveOrThrow(this.#rt, target);
    if (!process.suspended) return;
    process.suspended = false;
    const urgent = process.urgent;
    if (urgent !== undefined) {
      // Resumed before it got to them: they take their place in the mailbox again.
      process.urgent = undefined;
      for (const { kind, payload } of urgent) deliverSystem(this.#rt, process, kind, payload);
    }
    if (!process.busy && this.#rt.core.stat(process.coreId, Stat.State) === ActorState.Blocked) {
      this.#rt.core.wake(process.coreId);
      kick(this.#rt);
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
    const process = resolve(this.#rt, pid);
    if (!process) return undefined;
    return processInfoOf(
      process,
      this.#rt.core,
      this.#rt.now(),
      statusOf(this.#rt, process),
      processWork(this.#rt.monitor, process),
    );
  }

  /**
   * The scalars of a process — name, status, callback, queue length,
   * reductions, memory estimate, age of its oldest message — or `undefined`
   * when it is not alive. Cheaper than {@linkcode System.processInfo}: no
   * arrays are built, so a tool can read every process without garbage.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * console.log(system.processSummary(pid)?.messageQueueLength); // 0
   * ```
   */
  processSummary(target: Target): ProcessSummary | undefined {
    const process = resolve(this.#rt, target);
    if (!process) return undefined;
    return processSummaryOf(
      process,
      this.#rt.core,
      this.#rt.now(),
      statusOf(this.#rt, process),
      processWork(this.#rt.monitor, process),
    );
  }

  /**
   * The live process of this system whose pid has this serial number (the
   * middle number of `#PID<node.serial.0>`), if any: how a tool finds a process from its printed
   * form (a dashboard URL, a log line) without scanning the process table.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * const pid = await system.start({ init: () => ok(null) });
   * console.log(system.pidBySerial(pid.serial)?.equals(pid)); // true
   * ```
   */
  pidBySerial(serial: number): Pid | undefined {
    if (typeof serial !== "number") return undefined;
    return this.#rt.bySerial.get(serial)?.pid;
  }

  /**
   * The live processes, oldest first, one at a time: an iterator that stays
   * valid while processes start and exit (a process that exits before the
   * iterator reaches it is skipped; one started meanwhile comes at the end).
   * Tools walk it in bounded steps instead of copying the whole table.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * await system.start({ init: () => ok(null) });
   * const walk = system.processIterator();
   * console.log(walk.next().value?.serial); // 1
   * ```
   */
  processIterator(): IterableIterator<Pid> {
    return pidsOf(this.#rt.bySerial.values());
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
    return Array.from(this.#rt.bySerial.values(), (process) => process.pid);
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
    for (const process of this.#rt.bySerial.values()) counts[statusOf(this.#rt, process)]++;
    return counts;
  }

  /**
   * The system monitor's counters — long callbacks, long scheduler slices,
   * event-loop stalls — and its last long callbacks, newest first (see
   * {@linkcode MonitorStats}; `SystemOptions.monitor` sets the thresholds).
   * Which processes are busiest: `procCount(system, "busyMs", n)`.
   *
   * @example Long callbacks on a virtual clock
   * ```ts
   * import { noreply, ok, System } from "@beamlet/beamlet";
   *
   * let now = 0;
   * const system = new System({ clock: { now: () => now }, scheduling: "manual", logger: null });
   * const started = system.start({
   *   init: () => ok(null),
   *   handleCast: (_msg: "work", state) => {
   *     now += 5; // the handler "takes" 5 ms
   *     return noreply(state);
   *   },
   * });
   * await system.runUntilIdle();
   * system.cast((await started)!, "work");
   * await system.runUntilIdle();
   * const { longCallbacks, recent } = system.monitorStats();
   * console.log(longCallbacks, recent[0].duration, recent[0].exact); // 1 5 true
   * ```
   */
  monitorStats(): MonitorStats {
    return monitorStatsOf(this.#rt.monitor);
  }

  /**
   * The scheduler's counters and run queues (see {@linkcode SchedulerStats}).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * console.log(system.schedulerStats().runQueue); // { high: 0, normal: 0, low: 0 }
   * await system.shutdown();
   * ```
   */
  schedulerStats(): SchedulerStats {
    const rt = this.#rt;
    const s = rt.sched;
    return {
      core: rt.core.kind,
      runQueue: {
        high: rt.core.runQueueLength(Priority.High),
        normal: rt.core.runQueueLength(Priority.Normal),
        low: rt.core.runQueueLength(Priority.Low),
      },
      slices: s.slices,
      processRuns: s.processRuns,
      messages: s.messages,
      busyMs: s.busy,
      uptimeMs: rt.now(),
      utilization: s.utilization,
      inFlight: rt.inFlight,
      afterDeath: s.afterDeath,
      expiredCalls: s.expiredCalls,
      shed: s.shed,
      outOfMemory: s.outOfMemory,
    };
  }

  /**
   * Sizes of the runtime's tables (for leak checks): live processes, names,
   * pending calls, pending timers (runtime and core), core actors and slots,
   * active monitors (each once), the monitor refs their holders keep, and
   * link ends. Every figure is a kept count: reading it costs the same with
   * ten processes or a million.
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
    monitorHolders: number;
    links: number;
  } {
    const counts = this.#rt.counts;
    return {
      processes: this.#rt.bySerial.size,
      names: this.#rt.names.size,
      calls: this.#rt.calls.size,
      timers: this.#rt.timerService.size,
      // The call-deadline sweep, set while no call is pending, is the runtime's own.
      coreTimers: this.#rt.core.timerCount() - this.#rt.timerService.weakCount,
      coreActors: this.#rt.core.actorCount(),
      slotsInUse: this.#rt.core.slotsInUse(),
      monitors: counts.monitors,
      monitorHolders: counts.monitorHolders,
      links: counts.links,
    };
  }

  /**
   * Sends a report through the system's logger (supervisors report restarts
   * this way; crash reports too). A logger that throws is ignored.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   *
   * const system = new System({ logger: { report: (r) => console.log(r.kind) } });
   * const pid = await system.start({ init: () => ok(null) });
   * system.report({
   *   kind: "supervisor",
   *   event: "restart",
   *   supervisor: pid,
   *   childId: "worker",
   *   childPid: undefined,
   *   reason: "boom",
   * }); // "supervisor"
   * ```
   */
  report(report: Report): void {
    sendReport(this.#rt, report);
  }

  /**
   * The system clock's time, in ms (the clock given to the constructor, or
   * `performance.now()`): what timers and message ages are measured on.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * let t = 0;
   * const system = new System({ scheduling: "manual", clock: { now: () => t } });
   * t = 250;
   * console.log(system.now()); // 250
   * ```
   */
  now(): number {
    return this.#rt.clock.now();
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
    const due = this.#rt.core.timerNextDue();
    return due < 0 ? undefined : this.#rt.origin + due;
  }

  /**
   * Runs processes until none is runnable and no callback Promise is pending
   * (timers are not advanced beyond the clock). In `"manual"` scheduling this
   * is how a test makes progress; in `"auto"` it waits for quiescence.
   *
   * A pending callback Promise is waited for on the host's event loop. With
   * `untilTimersOnly` (manual scheduling; what the test system's `advance`
   * and `runUntilIdle` use), that wait ends once nothing has progressed over
   * two host turns while a timer of the system is pending — the callbacks
   * are then taken to wait on the system's own time (a call timeout, a
   * `sendAfter`, a task's timeout), which only moving the clock can bring —
   * or over five host turns with no timer pending (a Promise that never
   * settles): this returns then, instead of waiting forever.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   *
   * const system = new System({ scheduling: "manual" });
   * await system.runUntilIdle();
   * ```
   */
  async runUntilIdle(options: { untilTimersOnly?: boolean } = {}): Promise<void> {
    const untilTimersOnly = options?.untilTimersOnly === true;
    let stalledTurns = 0;
    for (let round = 0;; round++) {
      if (this.#rt.manual) run(this.#rt, true);
      if (isIdle(this.#rt)) {
        // Let settled callbacks' continuations run, then check again.
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        await Promise.resolve();
        if (isIdle(this.#rt)) {
          if (this.#rt.manual) run(this.#rt, true);
          if (isIdle(this.#rt)) return;
        }
        continue;
      }
      if (this.#rt.manual && hasRunnable(this.#rt)) {
        // The run handed back so that a settled call's caller goes on first.
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        await Promise.resolve();
        stalledTurns = 0;
        continue;
      }
      if (this.#rt.manual) {
        // A callback Promise is pending: let the host settle it.
        const progress = this.#rt.sched.settled + this.#rt.sched.messages;
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        const moved = this.#rt.sched.settled + this.#rt.sched.messages !== progress;
        if (moved || hasRunnable(this.#rt)) stalledTurns = 0;
        else if (untilTimersOnly && ++stalledTurns >= stallLimit(this.#rt)) return;
      } else {
        await new Promise<void>((resolve) => this.#rt.idleWaiters.push(resolve));
      }
    }
  }

  /**
   * Kills every process (newest first, reason `"killed"`, no `terminate`)
   * and stops the scheduler's host timer: the brutal end, for tests and for
   * a host that is going away anyway. {@linkcode System.stopAll} is the
   * orderly one.
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
    this.#schedulers?.shutdown();
    this.#left = true;
    this.#cluster?.leave().catch(() => {});
    for (const process of [...this.#rt.bySerial.values()].reverse()) {
      die(this.#rt, process, "killed", undefined);
    }
    this.#rt.timerService.stop();
    stopMonitor(this.#rt);
  }

  /**
   * Stops the whole system in order, as OTP's `init:stop`: every top-level
   * process (one not started by `startLink`) is stopped newest first with
   * `reason` (default `"shutdown"`), each running its `terminate` — so a
   * supervisor stops its children in reverse start order — and waited for
   * up to `timeout` ms (default `Infinity`, as OTP's shutdown time) before
   * it is killed. Whatever is still alive at the end (processes started
   * meanwhile) is killed, and the scheduler's host timer is stopped.
   * Resolves when the system is empty.
   *
   * @example An orderly end
   * ```ts
   * import { ok, Supervisor, System } from "@beamlet/beamlet";
   *
   * const system = new System();
   * await Supervisor.start(system, [{
   *   id: "worker",
   *   start: { server: { init: () => ok(0), terminate: () => console.log("worker terminates") } },
   * }]);
   * await system.stopAll(); // "worker terminates"
   * console.log(system.processes().length); // 0
   * ```
   */
  async stopAll(options: { reason?: ExitReason; timeout?: number } = {}): Promise<void> {
    checkOptionsObject("stopAll: options", options);
    const reason = options.reason ?? "shutdown";
    const timeout = timeoutOf("stopAll: timeout", options.timeout, Infinity);
    await stopRoots(this, reason, timeout);
    // Then the other schedulers' top-level processes, each scheduler in parallel.
    await this.#schedulers?.stopOthers(reason, timeout);
    this.shutdown();
    // The cluster's goodbye is on its way before this resolves.
    await this.#cluster?.leave().catch(() => {});
  }

  static {
    provideRuntimeAccess((system) => #rt in system ? (system as System).#rt : undefined);
  }
}

/** Loggers already told that the core fell back: each is told once. */
const toldFallback = new WeakSet<Logger>();

/** Says once per logger that WebAssembly could not be used, and how to fix it. */
function noticeFallback(logger: Logger, error: unknown): void {
  if (toldFallback.has(logger)) return;
  toldFallback.add(logger);
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // A host with WebAssembly that refuses to compile bytes (Cloudflare Workers)
  // takes a precompiled module; one with no WebAssembly at all cannot.
  const message = typeof WebAssembly === "object"
    ? `this host cannot compile WebAssembly from bytes (${why}): running on the ` +
      "TypeScript reference core, which is slower. Pass the precompiled core instead: " +
      'new System({ wasmModule }), wasmModule imported from "@beamlet/beamlet/wasm/scheduler.wasm".'
    : `this host has no WebAssembly (${why}): running on the TypeScript reference core, ` +
      'which is slower. Say core: "reference" to choose it and silence this notice.';
  try {
    logger.report({ kind: "notice", topic: "core", message });
  } catch {
    // A logger must not throw; if it does, the notice is lost, the System is not.
  }
}

/** A behaviour handed to `startBehaviour`, checked: every method of the port, and its callback names. */
function checkBehaviour(value: unknown): Behaviour {
  const b = value as Partial<Behaviour>;
  for (const method of ["init", "handles", "handle", "terminates", "terminate", "formatState"]) {
    if (typeof (b as Record<string, unknown>)[method] !== "function") {
      throw new TypeError(`startBehaviour: behaviour.${method} must be a function`);
    }
  }
  const names = b.callbackNames as Record<string, unknown> | undefined;
  for (const step of ["init", "call", "cast", "info", "continue", "timeout", "terminate"]) {
    if (typeof names !== "object" || names === null || typeof names[step] !== "string") {
      throw new TypeError(`startBehaviour: behaviour.callbackNames.${step} must be a string`);
    }
  }
  return value as Behaviour;
}

/** The pids of an iterator over process records. */
function* pidsOf(processes: Iterator<{ readonly pid: Pid }>): IterableIterator<Pid> {
  for (let next = processes.next(); !next.done; next = processes.next()) yield next.value.pid;
}

/**
 * Host turns without progress after which `runUntilIdle({ untilTimersOnly })`
 * stops waiting: two while a timer is pending (the callbacks likely wait on
 * it), five otherwise (time for real I/O to come back).
 */
function stallLimit(rt: Runtime): number {
  return rt.core.timerNextDue() >= 0 ? 2 : 5;
}
