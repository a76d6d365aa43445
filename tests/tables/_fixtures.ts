/**
 * Shared fixtures of the table tests (private: not a test file): the run
 * count of the properties (`BEAMLET_TABLES_RUNS` scales them), a manually
 * scheduled system with probe processes, running a function inside a probe,
 * and assertions on thrown table errors and unchanged tables.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Context } from "../../src/context.ts";
import type { Pid } from "../../src/pid.ts";
import type { System } from "../../src/system.ts";
import { type Table, TableKeyError } from "../../tables.ts";
import type { CrashReport } from "../../src/logger.ts";
import { inside, manual, probe, type ProbeState, startManual } from "../_helpers.ts";

/**
 * How many runs a property makes: `base`, or `base * BEAMLET_TABLES_RUNS / 100`
 * when that variable is set (a percentage: 1000 runs ten times as many).
 */
export function runs(base: number): number {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    const text = env?.BEAMLET_TABLES_RUNS;
    const percent = text === undefined ? NaN : Number(text);
    return Number.isFinite(percent) && percent > 0
      ? Math.max(1, Math.round((base * percent) / 100))
      : base;
  } catch {
    return base; // Deno without --allow-env
  }
}

/**
 * The timeout of a property test: generous, since only a scaled-up run
 * (`BEAMLET_TABLES_RUNS`) comes near it (bun's default is 5 s per test).
 */
export const PROPERTY_TIMEOUT = 600_000;

/** A manual system with `count` probe processes (started, idle). */
export async function withProbes(
  count: number,
): Promise<{ system: System; pids: Pid[]; reports: CrashReport[] }> {
  const { system, reports } = manual();
  const pids: Pid[] = [];
  for (let i = 0; i < count; i++) pids.push(await startManual(system, probe));
  return { system, pids, reports };
}

/** Runs `run` inside the probe `pid` (a call, driven to its end on a manual system). */
export async function ask<T>(
  system: System,
  pid: Pid,
  run: (ctx: Context, state: ProbeState) => T,
): Promise<T> {
  const answer = inside(system, pid, run);
  await system.runUntilIdle();
  return (await answer) as T;
}

/** What a synchronous attempt gave: its value, or what it threw. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `f`, catching what it throws. */
export function attempt<T>(f: () => T): Attempt<T> {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * `f` throws an instance of `errorClass` (a `TableError`, a `TypeError` or a
 * `RangeError`), and `table` holds the same rows, in the same order, after.
 */
export function assertRefused(
  table: Table,
  f: () => unknown,
  // deno-lint-ignore no-explicit-any
  errorClass: abstract new (...args: any[]) => Error,
  what: string,
  check?: (error: Error) => void,
): void {
  const before = table.toArray();
  const result = attempt(f);
  assert.ok(
    !result.ok,
    `${what}: expected ${errorClass.name}, got a value ${String(result.ok && result.value)}`,
  );
  const error = result.error;
  assert.ok(
    error instanceof errorClass,
    `${what}: expected ${errorClass.name}, got ${describeError(error)}`,
  );
  check?.(error as Error);
  assert.deepEqual(table.toArray(), before, `${what}: the table changed`);
}

/** A `TableKeyError` with the given reason. */
export function keyError(reason: "not_comparable" | "missing"): (error: Error) => void {
  return (error) => {
    assert.ok(error instanceof TableKeyError);
    assert.equal((error as TableKeyError).reason, reason);
  };
}

/** A short, never-throwing description of a thrown value. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
    return `non-Error ${String(error)}`;
  } catch {
    return "an unprintable value";
  }
}
