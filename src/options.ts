/**
 * The options and outcome types of the client API: who to address, what a
 * delivery became, and how to start a process, call it, or build a system.
 *
 * @module
 */

import type { MessageTracer } from "./tracing/message_tracer.ts";
import type { CoreImplementation } from "./core/create_core.ts";
import type { Clock } from "./clock.ts";
import type { SystemMonitorOptions } from "./monitor_options.ts";
import type { Logger } from "./logger.ts";
import type { Pid, Ref } from "./pid.ts";
import type { From } from "./from.ts";
import type { ExitReason } from "./exit_reason.ts";
import type { ClusterOptions } from "./cluster/cluster_options.ts";

/**
 * Where messages for one pid of another node go: the port a transport
 * (another scheduler, a socket, NATS) plugs into the system's routing seam
 * through `SystemOptions.remote`. Local processes never go through it; the
 * kernel's callers (`call`, `cast`, `send`, `exit`, from the system or a
 * process) are the same whichever side a pid is on. Errors a port rejects
 * a call with should be the runtime's named errors (`NoProcError`,
 * `CallTimeoutError`, `ExitError`, `OverloadedError`): each has a `code`
 * and a JSON form, so it crosses the wire.
 *
 * @example A loopback port to another system in the same JavaScript process
 * ```ts
 * import { ok, type Pid, reply, System } from "@beamlet/beamlet";
 * import type { MailboxPort } from "@beamlet/beamlet/remote";
 *
 * const there = new System({ node: "there" });
 * const portOf = (pid: Pid): MailboxPort => ({
 *   deliver: (kind, message) => kind === "cast" ? there.cast(pid, message) : there.send(pid, message),
 *   call: (request, _from, timeout) => there.call(pid, request, { timeout }),
 *   exit: (_from, reason) => there.exit(pid, reason),
 * });
 * const here = new System({ node: "here", remote: (pid) => pid.node === "there" ? portOf(pid) : undefined });
 * const echo = await there.start({ init: () => ok(0), handleCall: (r: string, _f, n: number) => reply(r, n) });
 * console.log(await here.call(echo, "hi")); // "hi"
 * ```
 */
export interface MailboxPort {
  /** Queues a cast (`"cast"`, `handleCast`) or a plain message (`"info"`, `handleInfo`). */
  deliver(kind: "cast" | "info", message: unknown): Delivery;
  /** Sends a call and settles with its reply (or rejects with a named error). */
  call(request: unknown, from: From, timeout: number): Promise<unknown>;
  /** An exit signal from `from` (a pid of this system, or `undefined` from outside any process). */
  exit(from: Pid | undefined, reason: ExitReason): void;
  /**
   * `from` (a local process) linked itself to this port's pid. Optional: a
   * port without it cannot carry links, and linking to its pids is as
   * linking to a dead process (the linker gets `noproc`).
   */
  link?(from: Pid): void;
  /** `from` removed its link to this port's pid. */
  unlink?(from: Pid): void;
  /**
   * The exit signal a link carries: `from`, linked to this port's pid, exited
   * with `reason` (or, answering a link to a process that was already gone,
   * `"noproc"`). Unlike {@linkcode MailboxPort.exit} it also ends the link.
   */
  linkExit?(from: Pid, reason: ExitReason): void;
  /**
   * `watcher` monitors this port's pid under `ref`; the port answers with
   * the watcher's port's `down` when the pid exits (or at once, `"noproc"`,
   * when it is not alive). `watcher` is a pid of serial 0 for code outside
   * any process. Optional: a port without it answers every monitor with
   * `"noproc"`.
   */
  monitor?(watcher: Pid, ref: Ref): void;
  /** Drops the monitor `ref` on this port's pid. */
  demonitor?(ref: Ref): void;
  /** A DOWN for the monitor `ref` this port's pid holds on `pid`, which exited with `reason`. */
  down?(ref: Ref, pid: Pid, reason: ExitReason): void;
}

/**
 * Finds the {@linkcode MailboxPort} for a pid of another node, or
 * `undefined` when this system cannot reach it. Called for pids whose node
 * is not the system's own, never on the local path.
 *
 * @example Reaching no node at all
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import type { RemoteResolver } from "@beamlet/beamlet/remote";
 *
 * const nowhere: RemoteResolver = () => undefined;
 * const system = new System({ remote: nowhere });
 * ```
 */
export type RemoteResolver = (pid: Pid) => MailboxPort | undefined;

/**
 * Where a process starts in a system of several schedulers:
 * - `"local"`: on the scheduler that starts it (the default);
 * - `"round-robin"`: each start on the next live scheduler in turn;
 * - `"least-loaded"`: on the live scheduler with the fewest processes;
 * - `{ scheduler: n }`: on scheduler `n` (0 is the system's own thread);
 *   a scheduler that is down refuses it with `SchedulerDownError`;
 * - `{ key }`: on the scheduler the key hashes to (stable while the same
 *   schedulers are up), as a PartitionSupervisor maps keys to partitions;
 * - `{ partition: i }`: on the `i mod n`th of the `n` running schedulers,
 *   so that partitions 0, 1, 2, … spread evenly (a PartitionSupervisor with
 *   `schedulers: true` places its partitions so);
 * - `{ node: "b" }`: on node `b` of this system's cluster (a behaviour made
 *   with `defineBehaviour`, started there by its name); `NoConnectionError`
 *   when that node is not up.
 *
 * @example Placing a counter on the least-loaded scheduler
 * ```ts
 * import type { Placement } from "@beamlet/beamlet";
 *
 * const placement: Placement = "least-loaded";
 * const pinned: Placement = { scheduler: 1 };
 * const keyed: Placement = { key: "customer:42" };
 * console.log(placement, pinned, keyed);
 * ```
 */
export type Placement =
  | "local"
  | "round-robin"
  | "least-loaded"
  | { readonly scheduler: number }
  | { readonly key: unknown }
  | { readonly partition: number }
  | { readonly node: string };

/**
 * A name registry a process can be started under and addressed through,
 * like a module in Elixir's `{:via, module, name}`. beamlet's `Registry`
 * (unique keys) is one; any object with these three methods is another.
 *
 * @example Addressing a process through a registry
 * ```ts
 * import { ok, Registry, reply, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const sessions = new Registry(system, { keys: "unique" });
 * await system.start(
 *   { init: () => ok(0), handleCall: (_r: "ping", _f, n: number) => reply("pong", n) },
 *   undefined,
 *   { name: { via: sessions, key: "customer:42" } },
 * );
 * console.log(await system.call({ via: sessions, key: "customer:42" }, "ping")); // "pong"
 * ```
 */
export interface ViaRegistry {
  /** The live process registered under `key`, if any. */
  whereisName(key: unknown): Pid | undefined;
  /**
   * Registers `pid` under `key`: false when the key is taken. A registry
   * that must ask elsewhere (a cluster's global registry) returns a Promise:
   * the process's `init` runs once it resolves true.
   */
  registerName(key: unknown, pid: Pid): boolean | Promise<boolean>;
  /** Removes `pid`'s registration under `key`, if it has one. */
  unregisterName(key: unknown, pid: Pid): void;
}

/**
 * A name kept by a {@linkcode ViaRegistry}: `{ via: registry, key }`.
 *
 * @example Naming a process in a registry
 * ```ts
 * import { ok, Registry, System } from "@beamlet/beamlet";
 * import type { ViaName } from "@beamlet/beamlet/registry";
 *
 * const system = new System();
 * const name: ViaName = { via: new Registry(system, { keys: "unique" }), key: ["user", 7] };
 * const pid = await system.start({ init: () => ok(null) }, undefined, { name });
 * console.log(name.via.whereisName(name.key)?.equals(pid)); // true
 * ```
 */
export interface ViaName {
  /** The registry that resolves the name. */
  readonly via: ViaRegistry;
  /** The key within it. */
  readonly key: unknown;
}

/**
 * A process to address: its pid, the name it was started with, or a `{ via, key }` name.
 *
 * @example A pid or a name
 * ```ts
 * import { ok, reply, System, type Target } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start(
 *   { init: () => ok(0), handleCall: (_r: "ping", _f, n: number) => reply("pong", n) },
 *   undefined,
 *   { name: "echo" },
 * );
 * const targets: Target[] = [pid, "echo"];
 * for (const target of targets) console.log(await system.call(target, "ping")); // "pong", twice
 * ```
 */
export type Target = Pid | string | ViaName;

/**
 * What became of a `cast` or `send`: `"ok"` (queued), `"overloaded"` (the
 * bounded mailbox refused it), `"dropped"` (policy `drop_newest` dropped it,
 * or the sender is a process that has already exited), `"noproc"` (no such
 * process), `"out_of_memory"` (the system has no room for it: all its
 * `maxQueuedMessages` slots are taken, or the WebAssembly memory could not
 * grow). Refusals and drops are counted: on the mailbox, or in
 * `schedulerStats()` (`outOfMemory`, `afterDeath`).
 *
 * @example What a cast became
 * ```ts
 * import { type Delivery, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const delivery: Delivery = system.cast("nobody", "hello");
 * console.log(delivery); // "noproc"
 * ```
 */
export type Delivery = "ok" | "overloaded" | "dropped" | "noproc" | "out_of_memory";

/**
 * The longest finite timeout or delay, in ms: 2^36 - 1 (about 2.2 years), the
 * range of the timer wheel. Every timeout option takes a number of ms in
 * `0..MAX_TIMEOUT_MS`, or `Infinity` for none; anything else is refused (a
 * `TypeError` for a non-number, a `RangeError` for NaN, a negative or a larger
 * value) before anything is sent, started or registered.
 *
 * @example
 * ```ts
 * import { MAX_TIMEOUT_MS } from "@beamlet/beamlet";
 *
 * console.log(MAX_TIMEOUT_MS / 86_400_000 > 795); // true: more than two years
 * ```
 */
export const MAX_TIMEOUT_MS: number = 2 ** 36 - 1;

/**
 * Options of `call`.
 *
 * @example A short timeout
 * ```ts
 * import { type CallOptions, ok, reply, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(0), handleCall: (_r, _f, n: number) => reply(n, n) });
 * const quick: CallOptions = { timeout: 100 };
 * console.log(await system.call(pid, "get", quick)); // 0
 * ```
 */
export interface CallOptions {
  /**
   * Milliseconds to wait for the reply: a number in `0..MAX_TIMEOUT_MS`, or
   * `Infinity` to wait forever (default 5000).
   */
  timeout?: number;
  /**
   * Gives up when this signal aborts: the call rejects with a
   * `CallAbortedError` whose `reason` (and `cause`) is the signal's, the
   * reply that may come later is dropped, and the server's handler sees its
   * own `ctx.signal` abort. Already aborted: the call fails at once and
   * nothing is sent. Anything but an `AbortSignal` is a `TypeError`. The
   * `timeout` still applies: whichever comes first ends the call.
   */
  signal?: AbortSignal;
}

/**
 * What a full mailbox does with a new message.
 *
 * @example Keeping the latest messages
 * ```ts
 * import { noreply, ok, type OverflowPolicy, System } from "@beamlet/beamlet";
 *
 * const overflow: OverflowPolicy = "drop_oldest";
 * const system = new System();
 * const pid = await system.start(
 *   { init: () => ok(0), handleCast: (_r, n: number) => noreply(n + 1) },
 *   undefined,
 *   { mailbox: { bound: 100, overflow } },
 * );
 * console.log(system.processInfo(pid)?.mailbox.overflow); // "drop_oldest"
 * ```
 */
export type OverflowPolicy = "reject" | "drop_oldest" | "drop_newest";

/**
 * Options of `start`.
 *
 * @example A named, bounded, high-priority server
 * ```ts
 * import { noreply, ok, type StartOptions, System } from "@beamlet/beamlet";
 *
 * const options: StartOptions = {
 *   name: "ingest",
 *   mailbox: { bound: 1000, overflow: "reject" },
 *   priority: "high",
 *   initTimeout: 1000,
 * };
 * const system = new System();
 * await system.start({ init: () => ok(0), handleCast: (_r, n: number) => noreply(n + 1) }, undefined, options);
 * console.log(system.processInfo("ingest")?.priority); // "high"
 * ```
 */
export interface StartOptions {
  /** Register the process under this name (unique in the system), or in a registry: `{ via, key }`. */
  name?: string | ViaName;
  /**
   * Which scheduler runs it, when the system runs several
   * (`SystemOptions.schedulers`): see {@linkcode Placement}. Default
   * `"local"`: the scheduler that starts it. Anything else needs a
   * behaviour defined with `defineBehaviour` in a module every scheduler
   * loads (`SystemOptions.modules`), found there by name.
   */
  placement?: Placement;
  /** Mailbox bound and overflow policy (default: unbounded). */
  mailbox?: {
    /** Most queued messages (integer >= 1, or `Infinity`). */
    bound?: number;
    /** What a full mailbox does (default `"reject"`). */
    overflow?: OverflowPolicy;
    /** Initial ring capacity (default 4; grows as needed). */
    initialCapacity?: number;
    /**
     * Queue-length watermarks with hysteresis: `beamlet.mailbox.watermark`
     * is emitted with `level: "high"` when the queue reaches `high`, and with
     * `level: "low"` once it has fallen back to `low` (integers,
     * `1 <= low < high`, `high` at most the bound); `processInfo` tells the
     * level now (`mailbox.watermark`).
     */
    watermarks?: { high: number; low: number };
    /**
     * Shedding by waiting time (CoDel, RFC 8289): once the messages taken
     * out have waited longer than `target` ms for a whole `interval` (default
     * 100 ms), one is shed instead of handled, then more at a quickening pace
     * (`interval / sqrt(count)` apart) until one waited less than `target`.
     * Counted like refusals (`processInfo().mailbox.shed`,
     * `beamlet.mailbox.shed`); a shed call fails with an `OverloadedError`
     * (`outcome: "shed"`); runtime messages (exit signals, DOWN, stop) are
     * never shed.
     */
    shed?: { target: number; interval?: number };
  };
  /**
   * A call whose caller gave up (its deadline passed, its signal aborted, it
   * exited) while the call waited in the mailbox: `"skip"` (default) drops
   * it unhandled; `"handle"` runs `handleCall` anyway, as OTP does (its
   * `ctx.signal` already aborted), and drops the reply. Either way it is
   * counted in `schedulerStats().expiredCalls` and emitted as
   * `beamlet.call.expired` (metadata `handled`). Anything else is a
   * `TypeError` and the start fails.
   */
  expiredCalls?: "skip" | "handle";
  /** Run-queue priority (default `"normal"`). */
  priority?: "high" | "normal" | "low";
  /**
   * Milliseconds `init` may take before the start fails and the process is
   * killed: `0..MAX_TIMEOUT_MS` or `Infinity` (default).
   */
  initTimeout?: number;
}

/**
 * Options of {@linkcode System}.
 *
 * @example A deterministic, quiet system
 * ```ts
 * import { ok, System, type SystemOptions } from "@beamlet/beamlet";
 *
 * const options: SystemOptions = {
 *   node: "a",
 *   logger: null,
 *   maxQueuedMessages: 10_000,
 *   maxProcesses: 1_000,
 * };
 * const system = new System(options);
 * const pid = await system.start({ init: () => ok(null) });
 * console.log(String(pid)); // "#PID<a.1.0>"
 * ```
 */
export interface SystemOptions {
  /**
   * This system's node id, in every pid and ref it makes (`#PID<node.serial.0>`):
   * 1 to 64 characters of `A-Z a-z 0-9 _ - @`. Default: a short random id,
   * different for every system of this JavaScript process, so two systems
   * never make equal pids.
   */
  node?: string;
  /**
   * Experimental: the routing seam for pids of other nodes. A `call`,
   * `cast`, `send` or `exit` to a pid whose node is not this system's goes
   * to the {@linkcode MailboxPort} this returns for it; without one (or when
   * it returns `undefined`) such a pid names no process here: a call
   * rejects with `NoProcError`, a cast or send returns `"noproc"`, a link or
   * monitor gets `"noproc"` — never a local process with the same serial.
   */
  remote?: RemoteResolver;
  /**
   * How many schedulers run this system's processes (default 1): one on
   * the system's own thread and one per Worker for the rest (Node's
   * `worker_threads`, Deno's and Bun's Workers, browsers' Workers), all
   * over one shared WebAssembly memory; `"auto"`: one per core. Processes
   * start where `start`'s `placement` says; messages, calls, links,
   * monitors and exit signals between schedulers go through shared-memory
   * rings. Where the host has no Workers or no shared memory (Cloudflare
   * Workers), the system says so through its logger and runs one. Wait
   * for `system.ready` before placing processes elsewhere; a Worker that
   * fails to start is reported and the system runs on the others. An
   * integer in 1..64 (RangeError otherwise).
   */
  schedulers?: number | "auto";
  /**
   * Modules every scheduler imports before it starts (URLs or specifiers
   * a Worker can import, e.g. `new URL("./actors.ts", import.meta.url)`):
   * where `defineBehaviour` and `defineTask` give the behaviours and tasks
   * that run on other schedulers their names. Import them on this thread
   * too, to start or call them from here.
   */
  modules?: readonly (string | URL)[];
  /**
   * Joins a cluster of nodes over NATS (`@beamlet/beamlet/cluster`, see
   * `docs/cluster.md`): pids of other nodes of the cluster are reached by
   * every `call`, `cast`, `send`, `exit`, link and monitor, and a start may
   * be placed on another node (`{ placement: { node } }`). Give this
   * system a `node` name unique in the cluster. `system.ready` resolves
   * once the node has joined, or rejects with `ClusterConnectError` (no
   * NATS server answered) or `NodeNameTakenError`.
   */
  cluster?: ClusterOptions;
  /**
   * Which scheduler core to use (default `"auto"`: WebAssembly where it
   * compiles; where it does not, the TypeScript reference core, said once
   * through the logger).
   */
  core?: CoreImplementation;
  /**
   * The scheduler core as a precompiled module: beamlet's
   * `wasm/scheduler.wasm`. Hosts that forbid compiling WebAssembly from
   * bytes at run time (Cloudflare Workers) compile `.wasm` imports at deploy
   * time: `import scheduler from "@beamlet/beamlet/wasm/scheduler.wasm"`,
   * then `new System({ wasmModule: scheduler })`. A module means the
   * WebAssembly core (`core: "reference"` is refused); one that is not this
   * beamlet's scheduler is a `WasmModuleError`.
   */
  wasmModule?: WebAssembly.Module;
  /**
   * Reductions a process may use per run before the next process runs
   * (default 2000): one per message it handles and one per message it sends,
   * four per send to a process with this many queued, ten per process it
   * starts (see `docs/performance.md`).
   */
  reductionBudget?: number;
  /**
   * Most messages queued at once across all mailboxes (an integer in
   * `1..2^26`; default 2^24 = 16,777,216). An unbounded mailbox holds up to
   * this many; past it every `cast` / `send` is refused with
   * `"out_of_memory"` and every `call` with a `SystemLimitError`, counted in
   * `schedulerStats().outOfMemory`, while runtime messages (exit signals,
   * `DOWN`, stop requests) are still delivered. The runtime keeps one payload
   * reference (8 bytes) and 13 bytes of bookkeeping per queued message,
   * about 350 MB at the default when full, plus the messages themselves.
   */
  maxQueuedMessages?: number;
  /**
   * Most processes alive at once: the size of the process table (an integer
   * in `1..2^20`; default 2^20 = 1,048,576, the most a pid's 20-bit table
   * index can name). With that many alive, every `start` / `startLink`
   * rejects with a `SystemLimitError` (`limit: "processes"`); a process that
   * starts another without handling the rejection crashes with it instead
   * (see `Context.start`). The table grows with use, not with the limit:
   * each live process takes an 88-byte record in the core's table (kept in a
   * power-of-two block that doubles as the table grows) and a 16-byte
   * mailbox ring, plus its JavaScript record, 315–350 bytes of heap for an
   * idle GenServer (measured on Deno 2.9, Bun 1.4 and Node 20). At the
   * default limit, full: about 370 MB of heap and 272 MiB of WebAssembly
   * memory (the 128 MiB table block, the smaller blocks it grew through, the
   * rings). See `docs/limits.md`.
   */
  maxProcesses?: number;
  /** Milliseconds of work before the scheduler yields to the host event loop (default 5). */
  timeSliceMs?: number;
  /** Where time comes from (default `performance.now()`). */
  clock?: Clock;
  /** Where crash reports go (default the console; `null` silences them). */
  logger?: Logger | null;
  /**
   * `"auto"` (default): the system runs itself on the host event loop.
   * `"manual"`: nothing runs until `runUntilIdle()` / `step()` (deterministic tests; see `testing.ts`).
   */
  scheduling?: "auto" | "manual";
  /**
   * Traces every call, cast and send from sender to handler (see
   * {@linkcode MessageTracer}; `openTelemetryTracer()` from
   * `@beamlet/beamlet/otel` bridges to OpenTelemetry). Default: none, which
   * costs nothing.
   */
  tracer?: MessageTracer;
  /**
   * The system monitor, after `erlang:system_monitor` (on by default; `false`
   * turns it off): callbacks over a budget (default 1 ms), long scheduler
   * slices and host event-loop stalls are told as `beamlet.monitor.*`
   * events, counted (`monitorStats()`, `processInfo(pid).longCallbacks`)
   * and logged at most once per process per interval; each process's busy
   * time is kept (`processInfo(pid).busyMs`). See
   * {@linkcode SystemMonitorOptions} and `docs/system_monitor.md`.
   */
  monitor?: SystemMonitorOptions | false;
}
