/**
 * A deterministic harness around a manually scheduled system.
 *
 * @module
 */

import type { GenServer } from "../gen_server.ts";
import { NoProcError } from "../errors.ts";
import type { CrashReport, Logger } from "../logger.ts";
import type { Pid } from "../pid.ts";
import type { ProcessStatus } from "../process_info.ts";
import {
  type CallOptions,
  type StartOptions,
  System,
  type SystemOptions,
  type Target,
} from "../system.ts";
import { InjectedCrashError, NotSettledError } from "./errors.ts";
import { VirtualClock } from "./virtual_clock.ts";
import { injectFault } from "./_inject_fault.ts";

/** Idle means: nothing can progress until the virtual clock moves. */
const UNTIL_TIMERS_ONLY = { untilTimersOnly: true } as const;

/**
 * Options of {@linkcode createTestSystem}.
 *
 * @example A test system that starts at t = 1000 and prints reports too
 * ```ts
 * import { consoleLogger } from "@beamlet/beamlet";
 * import { createTestSystem, type TestSystemOptions } from "@beamlet/beamlet/testing";
 *
 * const options: TestSystemOptions = { startAt: 1000, logger: consoleLogger };
 * const t = createTestSystem(options);
 * console.log(t.system.now()); // 1000
 * t.dispose();
 * ```
 */
export interface TestSystemOptions extends Omit<SystemOptions, "scheduling" | "clock" | "logger"> {
  /** Where the virtual clock starts, ms (default 0). */
  startAt?: number;
  /** Also pass every report to this logger (default: none; reports are only collected). */
  logger?: Logger | null;
}

/**
 * What {@linkcode TestSystem.mailbox} tells about a process's mailbox.
 * Counters only: the messages themselves cannot be read, by design — a
 * process's mailbox and state are its own, as in OTP. Observe a server
 * through its replies, or the messages it sends.
 *
 * @example A bounded mailbox that refused
 * ```ts
 * import { ok } from "@beamlet/beamlet";
 * import { createTestSystem, type MailboxSnapshot } from "@beamlet/beamlet/testing";
 *
 * const t = createTestSystem();
 * const pid = await t.start({ init: () => ok(null) }, undefined, { mailbox: { bound: 1 } });
 * t.system.cast(pid, "a");
 * t.system.cast(pid, "b"); // refused: the mailbox holds one
 * const snapshot: MailboxSnapshot = t.mailbox(pid);
 * console.log(snapshot.length, snapshot.refused); // 1 1
 * t.dispose();
 * ```
 */
export interface MailboxSnapshot {
  /** Messages queued now (runtime messages held back by a full mailbox included). */
  readonly length: number;
  /** Virtual ms the oldest queued message has waited (0 when empty). */
  readonly oldestAgeMs: number;
  /** Messages handled so far (init included). */
  readonly reductions: number;
  /** Messages ever queued. */
  readonly enqueued: number;
  /** Messages ever taken out to be handled. */
  readonly dequeued: number;
  /** Messages a full mailbox refused (`"reject"`). */
  readonly refused: number;
  /** Messages a full mailbox dropped (`"drop_oldest"` / `"drop_newest"`). */
  readonly dropped: number;
  /** The most messages ever queued at once. */
  readonly highWater: number;
  /** The mailbox bound (`Infinity` when unbounded). */
  readonly bound: number;
  /** What the process is doing. */
  readonly status: ProcessStatus;
}

/**
 * A system for tests: manual scheduling (nothing runs until the test says
 * so), a {@linkcode VirtualClock} (timers fire only when the test moves
 * time), crash reports collected instead of printed, and crash injection.
 * Same inputs, same run, every time.
 *
 * Create one with {@linkcode createTestSystem}; use `system` for the client
 * API (`cast`, `send`, `call`, ...) and the helpers to make progress.
 *
 * @example A timer, fired by moving time
 * ```ts
 * import { createTestSystem } from "@beamlet/beamlet/testing";
 * import { noreply, ok, reply } from "@beamlet/beamlet";
 *
 * const t = createTestSystem();
 * const pid = await t.start({
 *   init: () => ok(0),
 *   handleCall: (_request: "ticks", _from, n: number) => reply(n, n),
 *   handleInfo: (_tick, n: number, ctx) => {
 *     ctx.sendAfter(ctx.self, "tick", 100);
 *     return noreply(n + 1);
 *   },
 * });
 * t.system.sendAfter(pid, "tick", 100);
 * await t.advance(1000); // fires at 100, 200, ..., 1000
 * console.log(await t.call(pid, "ticks")); // 10
 * t.dispose();
 * ```
 */
export class TestSystem {
  /** The system under test (manual scheduling, virtual clock). */
  readonly system: System;
  /** Its clock. Prefer {@linkcode TestSystem.advance}: moving the clock alone fires nothing. */
  readonly clock: VirtualClock;
  /** Every crash report the system logged, oldest first (supervisor reports go to `logger` only). */
  readonly reports: readonly CrashReport[];

  readonly #reports: CrashReport[] = [];
  #disposed = false;

  /** See {@linkcode createTestSystem}. */
  constructor(options: TestSystemOptions = {}) {
    const { startAt = 0, logger = null, ...systemOptions } = options;
    this.clock = new VirtualClock(startAt);
    this.reports = this.#reports;
    const reports = this.#reports;
    this.system = new System({
      ...systemOptions,
      scheduling: "manual",
      clock: this.clock,
      logger: {
        report(report) {
          if (report.kind === "crash") reports.push(report);
          logger?.report(report);
        },
      },
    });
  }

  /**
   * Runs processes until none is runnable and no callback Promise is
   * pending. Time does not move: timers due by the clock's current time
   * fire, later ones wait for {@linkcode TestSystem.advance}. A callback
   * awaiting real I/O is waited for on the host's event loop as long as
   * something progresses; once nothing has over two host turns while a
   * timer is pending, the callbacks are taken to wait on virtual time (a call
   * timeout, a `sendAfter`, a task's timeout) and this returns — `advance`
   * then moves time to them. With no timer pending it returns after five
   * host turns without progress (a Promise that never settles).
   *
   * @example
   * ```ts
   * import { createTestSystem } from "@beamlet/beamlet/testing";
   * import { noreply, ok } from "@beamlet/beamlet";
   *
   * const t = createTestSystem();
   * const pid = await t.start({ init: () => ok(0), handleCast: (n: number, sum: number) => noreply(sum + n) });
   * t.system.cast(pid, 1);
   * console.log(t.mailbox(pid).length); // 1: nothing ran yet
   * await t.runUntilIdle();
   * console.log(t.mailbox(pid).length); // 0
   * ```
   */
  runUntilIdle(): Promise<void> {
    return this.system.runUntilIdle(UNTIL_TIMERS_ONLY);
  }

  /**
   * Moves time forward by `ms` and runs until idle, firing every timer
   * that comes due in that window in deadline order: the clock stops at each
   * deadline and the system runs there, so a timer set by a fired timer (or
   * by the message it delivered) also fires if it is due within the window.
   *
   * @example A call timeout, in virtual time
   * ```ts
   * import { createTestSystem } from "@beamlet/beamlet/testing";
   * import { CallTimeoutError, noreply, ok } from "@beamlet/beamlet";
   *
   * const t = createTestSystem();
   * const pid = await t.start({ init: () => ok(0), handleCall: (_r, _f, n: number) => noreply(n) });
   * const reply = t.system.call(pid, "ping", { timeout: 5000 }).catch((e) => e);
   * await t.advance(5000);
   * console.log((await reply) instanceof CallTimeoutError); // true
   * ```
   */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance: ms must be a finite number >= 0, got ${String(ms)}`);
    }
    const target = this.clock.now() + ms;
    await this.system.runUntilIdle(UNTIL_TIMERS_ONLY);
    for (;;) {
      // Never later than the earliest deadline, always ahead of the clock the
      // system last saw: each step moves time forward.
      const dueAt = this.system.nextTimerDue();
      if (dueAt === undefined || dueAt > target) break;
      if (dueAt > this.clock.now()) this.clock.set(dueAt);
      await this.system.runUntilIdle(UNTIL_TIMERS_ONLY);
      if (this.system.nextTimerDue() === dueAt) break; // defensive: never spin in place
    }
    this.clock.set(target);
    await this.system.runUntilIdle(UNTIL_TIMERS_ONLY);
  }

  /**
   * A snapshot of a process's mailbox: queue length, age of the oldest
   * message, and counters (from `system.processInfo`). Throws
   * {@linkcode NoProcError} when the process is not alive. The messages
   * themselves are not inspectable, by design.
   *
   * @example Back-pressure, counted
   * ```ts
   * import { createTestSystem } from "@beamlet/beamlet/testing";
   * import { noreply, ok } from "@beamlet/beamlet";
   *
   * const t = createTestSystem();
   * const pid = await t.start(
   *   { init: () => ok(null), handleCast: (_m, s: null) => noreply(s) },
   *   undefined,
   *   { mailbox: { bound: 2 } },
   * );
   * for (let i = 0; i < 3; i++) t.system.cast(pid, i);
   * console.log(t.mailbox(pid).refused); // 1
   * ```
   */
  mailbox(target: Target): MailboxSnapshot {
    const info = this.system.processInfo(target);
    if (!info) throw new NoProcError(String(target));
    const { mailbox } = info;
    return {
      length: info.messageQueueLength,
      oldestAgeMs: info.oldestMessageAgeMs,
      reductions: info.reductions,
      enqueued: mailbox.enqueued,
      dequeued: mailbox.dequeued,
      refused: mailbox.refused,
      dropped: mailbox.dropped,
      highWater: mailbox.highWater,
      bound: mailbox.bound,
      status: info.status,
    };
  }

  /**
   * Makes `target` crash when it handles its `n`-th next message (1 = the
   * very next), counting calls, casts and plain messages (monitor `DOWN`,
   * trapped `EXIT`, `timeout` included). The crash is a real one: the
   * caller gets an `ExitError`, links and monitors are told, a crash report
   * is logged. The default `reason` is an {@linkcode InjectedCrashError}.
   *
   * @example The third message kills it
   * ```ts
   * import { createTestSystem } from "@beamlet/beamlet/testing";
   * import { noreply, ok } from "@beamlet/beamlet";
   *
   * const t = createTestSystem();
   * const pid = await t.start({ init: () => ok(0), handleCast: (_m, n: number) => noreply(n + 1) });
   * t.crashAt(pid, 3);
   * for (let i = 0; i < 5; i++) t.system.cast(pid, i);
   * await t.runUntilIdle();
   * console.log(t.system.isAlive(pid), t.reports.length); // false 1
   * ```
   */
  crashAt(target: Target, n: number, reason?: unknown): void {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(
        `crashAt: n must be an integer >= 1 (1 = the next message), got ${String(n)}`,
      );
    }
    injectFault(this.system, target, n, reason ?? new InjectedCrashError(String(target), n));
  }

  /**
   * Starts a GenServer and runs until idle: resolves with its pid once
   * `init` has run; rejects as `system.start` does.
   *
   * @example
   * ```ts
   * import { createTestSystem } from "@beamlet/beamlet/testing";
   * import { ok } from "@beamlet/beamlet";
   *
   * const t = createTestSystem();
   * const pid = await t.start({ init: (n: number) => ok(n) }, 1, { name: "one" });
   * console.log(t.system.whereis("one") === pid); // true
   * ```
   */
  start<S, A>(server: GenServer<S, A>, arg?: A, options?: StartOptions): Promise<Pid> {
    return this.#settle("start", this.system.start(server, arg, options));
  }

  /**
   * Calls `target` and runs until idle: resolves with the reply, rejects as
   * `system.call` does, or with {@linkcode NotSettledError} if no reply came
   * by the time the system is idle (for a reply that waits on time, use
   * `system.call` and `advance`).
   *
   * @example
   * ```ts
   * import { createTestSystem } from "@beamlet/beamlet/testing";
   * import { ok, reply } from "@beamlet/beamlet";
   *
   * const t = createTestSystem();
   * const pid = await t.start({ init: () => ok(0), handleCall: (r: string, _f, n: number) => reply(`${r}!`, n) });
   * console.log(await t.call(pid, "hi")); // "hi!"
   * ```
   */
  call<R = unknown>(target: Target, request: unknown, options?: CallOptions): Promise<R> {
    return this.#settle("call", this.system.call(target, request, options) as Promise<R>);
  }

  /**
   * Kills every process and stops the system. Idempotent.
   *
   * @example
   * ```ts
   * import { createTestSystem } from "@beamlet/beamlet/testing";
   *
   * const t = createTestSystem();
   * t.dispose();
   * ```
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.system.shutdown();
  }

  async #settle<T>(operation: string, promise: Promise<T>): Promise<T> {
    let outcome: { value: T } | { error: unknown } | undefined;
    promise.then((value) => (outcome = { value }), (error) => (outcome = { error }));
    await this.system.runUntilIdle(UNTIL_TIMERS_ONLY);
    // A reply given in the last run settles a few microtasks later.
    for (let tick = 0; tick < 4 && outcome === undefined; tick++) await Promise.resolve();
    if (outcome === undefined) {
      throw new NotSettledError(
        operation,
        "the system is idle and it is still pending (waiting on a timer? use advance)",
      );
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  }
}

/**
 * Creates a {@linkcode TestSystem}: a manually scheduled system on a
 * virtual clock, collecting its crash reports.
 *
 * @example Testing a GenServer
 * ```ts
 * import { createTestSystem } from "@beamlet/beamlet/testing";
 * import { noreply, ok, reply } from "@beamlet/beamlet";
 *
 * const t = createTestSystem();
 * const stack = await t.start({
 *   init: () => ok<string[]>([]),
 *   handleCall: (_pop: "pop", _from, [top, ...rest]: string[]) => reply(top, rest),
 *   handleCast: (item: string, items: string[]) => noreply([item, ...items]),
 * });
 * t.system.cast(stack, "a");
 * t.system.cast(stack, "b");
 * console.log(await t.call(stack, "pop")); // "b"
 * console.log(t.reports.length); // 0: no crash
 * t.dispose();
 * ```
 */
export function createTestSystem(options: TestSystemOptions = {}): TestSystem {
  return new TestSystem(options);
}
