/**
 * Shared fixtures of the GenServer runtime tests (private: not a test file).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Context } from "../src/context.ts";
import { type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import type { CrashReport, Report } from "../src/logger.ts";
import type { Pid } from "../src/pid.ts";
import { type StartOptions, System, type SystemOptions } from "../src/system.ts";

/** A clock a test moves by hand. */
export class ManualClock {
  t = 0;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A system (auto scheduling) whose crash reports are collected (other reports dropped), not printed. */
export function collecting(
  options: SystemOptions = {},
): { system: System; reports: CrashReport[] } {
  const reports: CrashReport[] = [];
  const system = new System({
    ...options,
    logger: { report: (r: Report) => void (r.kind === "crash" && reports.push(r)) },
  });
  return { system, reports };
}

/** A manually scheduled system on a manual clock, reports collected. */
export function manual(options: SystemOptions = {}): {
  system: System;
  clock: ManualClock;
  reports: CrashReport[];
} {
  const clock = new ManualClock();
  const reports: CrashReport[] = [];
  const system = new System({
    ...options,
    scheduling: "manual",
    clock,
    logger: { report: (r: Report) => void (r.kind === "crash" && reports.push(r)) },
  });
  return { system, clock, reports };
}

/** `start` on a manual system: runs the init, then returns the pid. */
export async function startManual<S, A>(
  system: System,
  server: GenServer<S, A>,
  arg?: A,
  options?: StartOptions,
): Promise<Pid> {
  const started = system.start(server, arg, options);
  await system.runUntilIdle();
  return await started;
}

const TABLES = [
  "processes",
  "names",
  "calls",
  "timers",
  "coreTimers",
  "coreActors",
  "slotsInUse",
  "monitors",
  "links",
];

/** Every table of the runtime is empty: nothing was left behind. */
export function assertNothingLeft(system: System): void {
  const sizes: Record<string, number> = system.tableSizes();
  for (const table of TABLES) assert.ok(table in sizes, `tableSizes() has no ${table}`);
  const zeroes = Object.fromEntries(Object.keys(sizes).map((key) => [key, 0]));
  assert.deepEqual(sizes, zeroes, "tables left behind");
}

/** A promise with its resolve/reject outside. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Real-time sleep (small values only). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets queued microtasks and one macrotask run. */
export function flush(): Promise<void> {
  return sleep(0);
}

export type Outcome<T> =
  | { status: "fulfilled"; value: T }
  | { status: "rejected"; reason: unknown }
  | { status: "pending" };

/** How `promise` stands after `ms` real milliseconds (0: after one macrotask). */
export async function outcomeAfter<T>(promise: Promise<T>, ms = 0): Promise<Outcome<T>> {
  const pending = Symbol("pending");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    promise.then(
      (value) => ({ status: "fulfilled", value }) as Outcome<T>,
      (reason) => ({ status: "rejected", reason }) as Outcome<T>,
    ),
    new Promise<typeof pending>((resolve) => {
      timer = setTimeout(() => resolve(pending), ms);
    }),
  ]);
  clearTimeout(timer);
  return result === pending ? { status: "pending" } : result;
}

/** Marks a promise as handled (its rejection is asserted later, or is expected). */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** What a probe holds: every plain message it got, in order. */
export interface ProbeState {
  log: unknown[];
}

/** A function a probe runs as itself (requests to a probe are functions). */
export type ProbeRun = (ctx: Context, state: ProbeState) => unknown;

/**
 * A scriptable process: a `call` or `cast` carries a function the probe runs
 * with its own context (so it links, monitors, sends... as itself); every
 * plain message (`send`, `DOWN`, trapped `EXIT`, timers) lands in its log.
 */
export const probe: GenServer<ProbeState, { trapExit?: boolean } | undefined> = {
  init: (options, ctx) => {
    if (options?.trapExit) ctx.trapExit(true);
    return ok({ log: [] });
  },
  handleCall: (run, _from, state, ctx) => reply((run as ProbeRun)(ctx, state), state),
  handleCast: (run, state, ctx) => {
    (run as ProbeRun)(ctx, state);
    return noreply(state);
  },
  handleInfo: (message, state) => {
    state.log.push(message);
    return noreply(state);
  },
};

/** Runs `run` inside the probe `pid` and returns what it returned. */
export function inside<T>(
  system: System,
  pid: Pid,
  run: (ctx: Context, state: ProbeState) => T,
): Promise<Awaited<T>> {
  return system.call(pid, run as ProbeRun) as Promise<Awaited<T>>;
}

/** The probe's log of plain messages. */
export function logOf(system: System, pid: Pid): Promise<unknown[]> {
  return inside(system, pid, (_ctx, state) => [...state.log]);
}
